-- Delivery events pushed to the sender's apps (issue 17): the endpoints, and an outbox written in the same
-- transaction as the state change each event reports, so an event is never lost and never made up.

create table webhook_endpoints (
    id              bigserial primary key,
    url             text not null,
    -- any of message.queued, message.submitted, message.tab_changed, message.final, reply.received,
    -- number.suppressed
    events          text[] not null,
    campaign_id     bigint,
    secret          text not null,
    enabled         boolean not null default true,
    disabled_reason text,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    delivered_total bigint not null default 0,
    failed_total    bigint not null default 0,
    last_error      text,
    last_error_at   timestamptz,
    last_success_at timestamptz
);

-- One row per event and endpoint. event_id is the event's own (the same for every endpoint and every delivery,
-- replays included), for receivers to de-duplicate. order_key is what events must stay in order within (the
-- message id; for a number's events a hash of it): the worker delivers each endpoint's rows in id order per
-- lane, lane = order_key mod webhooks.concurrency.
create table webhook_events (
    id           bigserial primary key,
    endpoint_id  bigint not null references webhook_endpoints (id) on delete cascade,
    event_id     uuid not null,
    type         text not null,
    occurred_at  timestamptz not null,
    -- when this row joined the outbox (a replay's copy: the replay's time): what max_age and the age alert count from
    enqueued_at  timestamptz not null,
    order_key    bigint not null,
    message_id   bigint,
    campaign_id  bigint,
    number       text,
    tab          text,
    stat         text,
    err          text,
    error_class  text,
    cause        text,
    attempts     integer not null default 0,
    last_error   text,
    delivered_at timestamptz,
    -- dead-lettered: retried for webhooks.max_age without success; kept, visible, replayable
    dead_at      timestamptz
);
-- The backlog: only what still waits, so the worker's reads stay cheap however much was delivered.
create index webhook_events_undelivered on webhook_events (endpoint_id, id)
    where delivered_at is null and dead_at is null;
create index webhook_events_dead on webhook_events (endpoint_id) where dead_at is not null;
create index webhook_events_endpoint_time on webhook_events (endpoint_id, occurred_at);
create index webhook_events_endpoint_campaign on webhook_events (endpoint_id, campaign_id)
    where campaign_id is not null;

-- Who delivers an endpoint's lane, and its retry state. Claimed with FOR UPDATE SKIP LOCKED and held by a lease,
-- so several gateway processes share one database without sending a lane's events out of order or twice at once;
-- a process that dies leaves a lease that simply runs out.
create table webhook_lanes (
    endpoint_id     bigint not null references webhook_endpoints (id) on delete cascade,
    lane            integer not null,
    lease_owner     text,
    lease_until     timestamptz,
    failures        integer not null default 0,
    next_attempt_at timestamptz,
    primary key (endpoint_id, lane)
);
