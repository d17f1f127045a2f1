-- Maintained report counters (issue 5): the campaign list and a campaign's overview read these instead of
-- counting messages, so their cost does not grow with the messages table.
--
-- Every statement that changes messages.tab (or inserts a campaign message) writes the aggregated delta in the
-- SAME transaction: sends (+n pending), the group-commit writer (tab before -> tab after, per message row that
-- changed), the expiry sweeper (pending -> soft-bounces). The counts are therefore exact at every commit:
-- sum(count) over the shards of (campaign, tab) = count(*) of the campaign's messages in that tab.
--
-- Shards: the two group-commit lanes write the same hot (campaign, tab) rows; with one row each they would queue
-- on its row lock until the other's commit. Each writer thread adds its deltas to its own shard (0..3), so
-- concurrent lanes do not wait for each other; readers add up the shards. Rows are upserted in (campaign_id, tab,
-- shard) order within a statement, so two writers that do share a shard never deadlock on them.
create table campaign_counters (
    campaign_id bigint   not null references campaigns (id),
    tab         text     not null
                check (tab in ('delivered', 'pending', 'soft-bounces', 'hard-bounces', 'deleted')),
    shard       smallint not null check (shard between 0 and 15),
    count       bigint   not null,
    primary key (campaign_id, tab, shard)
);

insert into campaign_counters (campaign_id, tab, shard, count)
select campaign_id, tab, 0, count(*) from messages where campaign_id is not null group by campaign_id, tab;

-- Unique sends: distinct numbers a campaign was sent to. One row per (campaign, number), inserted by the send
-- (on conflict do nothing); a new row adds one to campaigns.unique_recipients in the same transaction.
create table campaign_recipients (
    campaign_id bigint not null references campaigns (id),
    recipient   text   not null,
    primary key (campaign_id, recipient)
);
alter table campaigns add column unique_recipients bigint not null default 0;

insert into campaign_recipients (campaign_id, recipient)
select distinct campaign_id, recipient from messages where campaign_id is not null;
update campaigns c set unique_recipients = r.n
from (select campaign_id, count(*) as n from campaign_recipients group by campaign_id) r where r.campaign_id = c.id;

-- Link clicks: total and unique (distinct recipients) per link, kept by the click's own statement. A campaign's
-- figures are the sums over its (few) links.
create table link_click_recipients (
    link_id   bigint not null references links (id),
    recipient text   not null,
    primary key (link_id, recipient)
);
alter table links add column total_clicks bigint not null default 0;
alter table links add column unique_clicks bigint not null default 0;

insert into link_click_recipients (link_id, recipient) select distinct link_id, recipient from link_clicks;
update links l set total_clicks = k.total, unique_clicks = k.uniq
from (select link_id, count(*) as total, count(distinct recipient) as uniq from link_clicks group by link_id) k
where k.link_id = l.id;

