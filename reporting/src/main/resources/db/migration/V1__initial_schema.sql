-- dlrgate store, first schema. Tab names are the URL slugs of io.dlrgate.config.Tab.

create table settings (
    key        text primary key,
    value      text not null,
    updated_at timestamptz not null default now()
);

create table campaigns (
    id               bigserial primary key,
    name             text not null,
    content          text not null,
    created_by       text not null,
    created_at       timestamptz not null,
    last_modified_by text not null,
    last_modified_at timestamptz not null,
    link_tracking    boolean not null default false,
    last_sent_at     timestamptz
);
create index campaigns_name on campaigns (lower(name));

create table campaign_sends (
    id                 bigserial primary key,
    campaign_id        bigint not null references campaigns (id),
    sent_by            text not null,
    sent_at            timestamptz not null,
    requested          integer not null,
    queued             integer not null,
    skipped_suppressed integer not null,
    rejected           integer not null
);
create index campaign_sends_campaign on campaign_sends (campaign_id);

create table messages (
    id                bigserial primary key,
    campaign_id       bigint references campaigns (id),
    campaign_send_id  bigint references campaign_sends (id),
    source            text not null check (source in ('ui', 'api', 'program', 'campaign')),
    recipient         text not null,
    country           text,
    content           text not null,
    carrier_id        text not null,
    -- Where the message is on its way to the carrier: queued (waiting in the store), in_flight (claimed by a
    -- dispatcher, submit_sm written or about to be), submitted (submit_sm_resp OK), failed (rejected or
    -- timed out for good).
    dispatch_state    text not null default 'queued'
                      check (dispatch_state in ('queued', 'in_flight', 'submitted', 'failed')),
    submit_attempts   integer not null default 0,
    carrier_message_id text,
    submit_status     integer,
    tab               text not null default 'pending'
                      check (tab in ('delivered', 'pending', 'soft-bounces', 'hard-bounces', 'deleted')),
    last_stat         text,
    error             text,
    -- receipt: a receipt put it in its final tab; submit: the carrier refused it; expiry: the gateway's sweeper.
    final_by          text check (final_by in ('receipt', 'submit', 'expiry')),
    created_at        timestamptz not null,
    submitted_at      timestamptz,
    sent_at           timestamptz,
    final_at          timestamptz,
    validity_deadline timestamptz not null
);
-- The dispatch queue: a partial index holds only what still waits, so claiming stays cheap however large
-- the table grows.
create index messages_queue on messages (carrier_id, id) where dispatch_state = 'queued';
-- Receipt correlation: (carrier, normalised carrier id). Not unique: carriers recycle ids over months.
create index messages_carrier_message_id on messages (carrier_id, carrier_message_id)
    where carrier_message_id is not null;
create index messages_campaign_tab on messages (campaign_id, tab, id);
create index messages_single_sends on messages (created_at desc) where campaign_id is null;
create index messages_pending_deadline on messages (validity_deadline) where tab = 'pending';

-- Every receipt PDU the gateway acknowledged, applied or not. Append-only.
create table receipts (
    id                 bigserial primary key,
    received_at        timestamptz not null,
    carrier_id         text not null,
    command            text not null check (command in ('deliver_sm', 'data_sm')),
    esm_class          integer not null,
    receipted_id_raw   text not null,
    receipted_id       text not null,
    stat               text,
    err                text,
    network_error_code text,
    message_state      integer,
    submit_date        timestamptz,
    done_date          timestamptz,
    intermediate       boolean not null,
    body               text,
    message_id         bigint,
    outcome            text not null
);
create index receipts_message on receipts (message_id) where message_id is not null;
create index receipts_carrier_id on receipts (carrier_id, receipted_id);

-- Receipts whose id was not known when they arrived (they beat the submit_sm_resp, or the id is wrong).
-- Applied when the id becomes known; old ones are reported, never silently dropped.
create table orphan_receipts (
    receipt_id   bigint primary key references receipts (id),
    carrier_id   text not null,
    receipted_id text not null,
    received_at  timestamptz not null,
    matched_at   timestamptz,
    message_id   bigint references messages (id)
);
create index orphan_receipts_open on orphan_receipts (carrier_id, receipted_id) where matched_at is null;

create table suppressions (
    number     text primary key,
    reason     text not null,
    created_at timestamptz not null,
    created_by text not null
);
