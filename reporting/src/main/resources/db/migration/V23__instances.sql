-- Several gateway instances on one database (issue 18): each instance registers here and holds a lease, and every
-- message it claims for dispatch is marked with its id, so that what a dead instance left in flight can be told
-- apart from what a live one is sending, and requeued once.
--
-- All times are the database's (now()): instances on different hosts compare leases on one clock, whatever
-- their own clocks say.
create table instances (
    id           bigserial primary key,
    host         text not null,
    pid          bigint not null,
    started_at   timestamptz not null default now(),
    -- The last heartbeat, and how long it holds: the instance's own lease_timeout, so each instance's setting
    -- counts for its own lease.
    heartbeat_at timestamptz not null default now(),
    lease_until  timestamptz not null,
    -- Set once: the instance stopped and released its own messages (released_by = id), or a survivor found its
    -- lease expired and requeued what it left in flight (released_by = the survivor). A released instance never
    -- claims again; one that comes back registers anew.
    released_at  timestamptz,
    released_by  bigint
);
-- No index but the key: survivors read the whole (small) table for expired leases, and every heartbeat updates
-- lease_until; an index on it would make each heartbeat a non-HOT update for no gain.

-- Which instance claimed the message while it is in flight. Meaningful only while dispatch_state = 'in_flight'
-- (it is left as it was when a message goes back to the queue, to keep those writes as they are). Null on an
-- in-flight message: claimed without a lease (a version before this one), requeued by the next instance that
-- starts, as every in-flight message used to be.
--
-- The claim hot path stays cheap: the column has no default (adding it rewrites nothing) and no foreign key
-- (a key check per claimed row would lock the instance's row once per message); the index below is partial, so
-- it holds only the messages in flight right now (a window's worth per session, not the table), and the claim
-- already writes a new row version that is indexed anyway (dispatch_state is in the queue index's predicate, so
-- the update is never HOT): one small index entry more per claimed message. In exchange, requeueing a dead
-- instance's messages reads exactly those rows instead of scanning the table.
alter table messages add column claimed_by bigint;
create index messages_in_flight_claims on messages (claimed_by) where dispatch_state = 'in_flight';
