-- Partitioning and retention (issue 18), first step: the bookkeeping and the one function that creates partitions.
-- V27 converts the existing tables and calls it for the first months; the gateway calls it ahead of each month.
--
-- messages and the receipt log (receipts) are partitioned by month, with PostgreSQL's declarative partitioning, but
-- keyed on the id, not on a timestamp: every hot path finds rows by id (the group committer's updates, the
-- dispatchers' claims, parts and orphan follow-ups), and a partition key of created_at would make the primary key
-- (id, created_at) and make every "where id = ?" probe every partition. Instead each month owns a block of ids:
-- month m (months since January 2000, UTC) owns [m * 2^40, (m + 1) * 2^40). At (or ahead of) each month's start the
-- gateway creates that month's partitions and moves the id sequence forward to the block's start; a row's partition
-- is the month its id was drawn in, and a lookup by id reads one partition. 2^40 ids a month is about 400,000 a
-- second for a whole month; the last block ends at 2^53 in the year 2682, so ids stay exact in JavaScript numbers.
-- docs/explanation/partitioning-and-retention.md says why, and what survives retention.
--
-- Each partitioned table has a companion that is partitioned on the same blocks and dropped with it: message_parts
-- (by message_id) with messages, orphan_receipts (by receipt_id) with receipts.

-- One row per partition of the four tables. Retention reads only this table: it never scans a partition to find
-- out how old it is.
create table partitions (
    name      text primary key,
    parent    text not null check (parent in ('messages', 'message_parts', 'receipts', 'orphan_receipts')),
    -- the month whose block of ids the partition holds; null: the table converted by V27, every id drawn before
    month     date check (month = date_trunc('month', month)),
    -- the bounds of the ids it holds, [id_from, id_to); id_from null: from the lowest id
    id_from   bigint,
    id_to     bigint not null,
    -- the converted table only: its newest row's time (messages.created_at, receipts.received_at), read once by
    -- V27; null when it was empty (then kept: nothing to gain). Retention drops it once that is older than
    -- retention.messages.
    newest_at timestamptz,
    created_at timestamptz not null default now()
);
create unique index partitions_parent_month on partitions (parent, month);

-- The first id of a month's block (month: any day of it, taken in UTC).
create function partition_block_start(month date) returns bigint
    language sql immutable strict
    as $$ select ((extract(year from month)::int - 2000) * 12 + extract(month from month)::int - 1)::bigint << 40 $$;

-- The month whose block holds an id.
create function partition_block_month(id bigint) returns date
    language sql immutable strict
    as $$ select (date '2000-01-01' + make_interval(months => (greatest(id, 0) >> 40)::int))::date $$;

-- Creates the partitions of months first_month .. first_month + months - 1 that do not exist yet, for the four
-- tables, and moves each id sequence forward to first_month's block if it is still below it (never back). Returns
-- the names of the partitions it created.
--
-- Safe to run from several gateway instances at once: a transaction-scoped advisory lock serialises the runs (the
-- second finds everything created and the sequences moved). Months below the block a sequence is already in are
-- skipped: a partition there would hold no id (and would overlap the converted table when they are older than the
-- conversion), so a caller whose clock is in the past changes nothing. A month is created only after its block's
-- partition exists in every table of its family, and the sequence moves only into a block whose partitions exist:
-- an insert never finds no partition for its id. Nothing here depends on which month it is now: the caller says.
create function create_month_partitions(first_month date, months int) returns setof text
    language plpgsql
    as $$
declare
    family record;
    seq_month date;
    m date;
    lo bigint;
    hi bigint;
    t text;
    part text;
begin
    perform pg_advisory_xact_lock(hashtext('dlrgate.partitions'));
    for family in select * from (values ('messages_id_seq', array['messages', 'message_parts']),
                                        ('receipts_id_seq', array['receipts', 'orphan_receipts'])) f(seq, tables)
    loop
        execute format('select partition_block_month(last_value) from %I', family.seq) into seq_month;
        m := greatest(date_trunc('month', first_month)::date, seq_month);
        while m < date_trunc('month', first_month)::date + make_interval(months => months) loop
            lo := partition_block_start(m);
            hi := partition_block_start((m + interval '1 month')::date);
            foreach t in array family.tables loop
                if not exists (select 1 from partitions p where p.parent = t
                               and coalesce(p.id_from, lo) < hi and p.id_to > lo) then
                    part := t || '_' || to_char(m, 'YYYY_MM');
                    -- Made apart and attached, not created "partition of": that would lock the parent against
                    -- every read and write until the running transactions ended; attaching takes a lock that
                    -- neither blocks nor waits for them (the empty table's bound check is instant).
                    execute format('create table %I (like %I including defaults including constraints '
                                   || 'including storage)', part, t);
                    execute format('alter table %I attach partition %I for values from (%s) to (%s)', t, part, lo,
                                   hi);
                    insert into partitions (name, parent, month, id_from, id_to) values (part, t, m, lo, hi);
                    return next part;
                end if;
            end loop;
            m := (m + interval '1 month')::date;
        end loop;
        lo := partition_block_start(first_month);
        execute format('select setval(%L, %s, false) from %I where last_value < %s and exists (select 1 from '
                       || 'partitions where parent = %L and id_from = %s)', family.seq, lo, family.seq, lo,
                       family.tables[1], lo);
    end loop;
end
$$;
