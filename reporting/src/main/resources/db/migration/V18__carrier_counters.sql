-- Messages per carrier and tab (issue 14), for the gauge dlrgate_messages{carrier,tab}: maintained like the
-- campaign counters of V11, so the gauge never counts the messages table.
--
-- Every message counts here, single sends included, in the carrier that took it: the statements that keep
-- campaign_counters (sends, the group-commit writer, the expiry sweeper) write this table's deltas in the SAME
-- transaction, right after theirs, so sum(count) over the shards of (carrier, tab) = count(*) of the messages of
-- that carrier in that tab at every commit. The store-wide figure per tab is the sum over the carriers.
--
-- carrier_id '' stands for the messages no carrier took (messages.carrier_id is null: a number that is not a
-- mobile number, or that no carrier's prefixes take; migration V15): a primary key column cannot be null, and a
-- configured carrier id is never empty.
--
-- Shards and row order as in campaign_counters: each writer thread adds to its own shard, rows are upserted in
-- (carrier_id, tab) order, and always after the transaction's campaign_counters rows, so writers sharing a shard
-- take the row locks of both tables in one order and never deadlock.
create table carrier_counters (
    carrier_id text     not null,
    tab        text     not null
               check (tab in ('delivered', 'pending', 'soft-bounces', 'hard-bounces', 'deleted')),
    shard      smallint not null check (shard between 0 and 15),
    count      bigint   not null,
    primary key (carrier_id, tab, shard)
);

insert into carrier_counters (carrier_id, tab, shard, count)
select coalesce(carrier_id, ''), tab, 0, count(*) from messages group by coalesce(carrier_id, ''), tab;
