-- Long messages sent as concatenated parts (long_messages: udh or sar): one row per part the carrier answered,
-- with its own carrier message id (the correlation key of the part's receipt) and its own delivery state. The
-- message's tab is derived from its parts (docs/explanation/long-messages.md); a message sent in one submit_sm
-- (single part, or long_messages: payload) has no rows here and keeps messages.carrier_message_id.
-- A part with no row yet (not answered) counts as pending.
create table message_parts (
    message_id         bigint   not null references messages (id) on delete cascade,
    part_no            smallint not null,
    total              smallint not null,
    carrier_id         text     not null,
    -- null: the carrier refused the part (submit_status, error)
    carrier_message_id text,
    submit_status      integer,
    tab                text     not null default 'pending'
                       check (tab in ('delivered', 'pending', 'soft-bounces', 'hard-bounces', 'deleted')),
    last_stat          text,
    error              text,
    sent_at            timestamptz,
    final_at           timestamptz,
    primary key (message_id, part_no),
    check (part_no between 1 and total)
);
-- Receipt correlation of parts: (carrier, normalised carrier id), like messages_carrier_message_id.
create index message_parts_carrier_message_id on message_parts (carrier_id, carrier_message_id)
    where carrier_message_id is not null;
