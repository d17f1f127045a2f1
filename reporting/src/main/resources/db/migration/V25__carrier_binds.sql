-- Carrier limits across instances (issue 18): what each gateway instance holds of a carrier, under its lease
-- (instances.id), so that limits count every instance's binds and a dead instance's stop counting once its lease
-- ran out. Rows are removed when the instance releases its lease or is taken over; counting never trusts them
-- alone: it joins the holder's lease, which must be live.

-- Inbound binds: one row per carrier session bound to an instance's SMPP server, entered when the bind is
-- admitted (max_binds counts these rows of live instances) and removed when the session ends. The session id is
-- the instance's own (ch-smpp numbers sessions per process).
create table carrier_binds (
    instance_id bigint not null,
    session_id  bigint not null,
    carrier     text not null,
    bound_at    timestamptz not null default now(),
    primary key (instance_id, session_id)
);
create index carrier_binds_carrier on carrier_binds (carrier);

-- Outbound sessions of a carrier with a connect block: slot 0 .. connect.sessions - 1, each held by at most one
-- instance (the key), which keeps that session (its transceiver, or its transmitter and receiver) bound.
create table connect_slots (
    carrier     text not null,
    slot        int not null,
    instance_id bigint not null,
    claimed_at  timestamptz not null default now(),
    primary key (carrier, slot)
);
