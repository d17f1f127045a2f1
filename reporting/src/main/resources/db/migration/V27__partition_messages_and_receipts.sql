-- Partitioning and retention (issue 18), second step: messages, message_parts, receipts and orphan_receipts become
-- partitioned tables (see V26 for the id blocks), without copying a row.
--
-- Each table is renamed to <table>_before_partitioning (its indexes and key likewise), a partitioned table takes its
-- name with the same columns, defaults, checks, keys and indexes, and the old table is attached as its first
-- partition, holding every id below this month's block. PostgreSQL attaches the old table's indexes, primary key and
-- foreign keys as the partition's own instead of building or checking them again; it reads the table once to check
-- the partition bound (no write). max(created_at) and max(received_at) are read once more here, so that retention
-- never scans the old partition to learn its age. Then this month's and the next two months' partitions are created
-- and the sequences moved to this month's block: from here on no id lands in the old partition.
--
-- Time: on a table of 1,000,000 messages the whole migration took 1.2 to 4 s on a two-core machine
-- (ConvertToPartitionsTest prints it); it holds an exclusive lock on the four tables meanwhile, so upgrade a large store in a quiet window.
--
-- The foreign keys that point at messages and receipts are dropped: a partition that rows of another table
-- reference cannot be dropped (PostgreSQL would check every referencing row first), and retention drops months
-- wholesale. Their dependants are partitioned on the same id blocks instead, and dropped with them:
--   message_parts.message_id -> messages (on delete cascade; messages are never deleted row by row),
--   orphan_receipts.receipt_id -> receipts.
-- orphan_receipts.message_id -> messages is dropped without a replacement: an orphan's message may be of another
-- month than its receipt; once that message's month is dropped the orphan row names an id that is gone, as a
-- receipt's message_id always could (receipts.message_id never had a key).
--
-- The keys from messages to campaigns and campaign_sends go too. Each month's partition would carry them, and
-- attaching, detaching or dropping a partition with such a key takes a table lock on campaigns and campaign_sends
-- (checked on PostgreSQL 15: the detach waited behind an open campaign send, and every send queued behind it). No
-- code deletes a campaign or a send; the store's own inserts name the campaign they just read.
alter table messages drop constraint messages_campaign_id_fkey;
alter table messages drop constraint messages_campaign_send_id_fkey;
alter table message_parts drop constraint message_parts_message_id_fkey;
alter table orphan_receipts drop constraint orphan_receipts_receipt_id_fkey;
alter table orphan_receipts drop constraint orphan_receipts_message_id_fkey;

create function pg_temp.partition_by_id(tbl text, key text, bound bigint, newest text) returns void
    language plpgsql
    as $$
declare
    old text := tbl || '_before_partitioning';
    idx record;
    con record;
    indexes text[] := '{}';
    constraints text[] := '{}';
    newest_at timestamptz;
    stmt text;
begin
    -- What the new table needs, read while the old one still has the name (the statements name it).
    for idx in select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def, i.indisprimary
               from pg_index i where i.indrelid = tbl::regclass order by 1 loop
        if not idx.indisprimary then
            indexes := indexes || idx.def;
        end if;
        execute format('alter index %I rename to %I', idx.name, old || substr(idx.name, length(tbl) + 1));
    end loop;
    for con in select conname, pg_get_constraintdef(oid) as def from pg_constraint
               where conrelid = tbl::regclass and contype in ('p', 'f') order by contype desc, conname loop
        constraints := constraints || format('alter table %I add constraint %I %s', tbl,
                                             case when con.def like 'PRIMARY KEY%' then tbl || '_pkey'
                                                  else con.conname end, con.def);
    end loop;
    if newest is not null then
        execute format('select max(%I) from %I', newest, tbl) into newest_at;
    end if;
    execute format('alter table %I rename to %I', tbl, old);
    execute format('create table %I (like %I including defaults including constraints including storage '
                   || 'including comments) partition by range (%I)', tbl, old, key);
    foreach stmt in array constraints || indexes loop
        execute stmt;
    end loop;
    -- The old table's indexes and keys match the new ones: attached as they are, nothing built.
    execute format('alter table %I attach partition %I for values from (minvalue) to (%s)', tbl, old, bound);
    insert into partitions (name, parent, month, id_from, id_to, newest_at) values (old, tbl, null, null, bound,
                                                                                    newest_at);
end
$$;

select pg_temp.partition_by_id('messages', 'id', partition_block_start((now() at time zone 'UTC')::date), 'created_at');
select pg_temp.partition_by_id('message_parts', 'message_id', partition_block_start((now() at time zone 'UTC')::date), null);
select pg_temp.partition_by_id('receipts', 'id', partition_block_start((now() at time zone 'UTC')::date), 'received_at');
select pg_temp.partition_by_id('orphan_receipts', 'receipt_id', partition_block_start((now() at time zone 'UTC')::date), null);

-- The sequences belonged to the old tables' columns: dropping the old partition would drop them too.
alter sequence messages_id_seq owned by messages.id;
alter sequence receipts_id_seq owned by receipts.id;

select count(*) from create_month_partitions((now() at time zone 'UTC')::date, 3);
