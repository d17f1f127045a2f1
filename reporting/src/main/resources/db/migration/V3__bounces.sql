-- Bounce classification and hard-bounce suppression (issue 4).

-- What kind of failure a message's error is, decided with the transition that made it fail (in the same
-- transaction): 'permanent' (wrong or dead number: counts toward suppression) or 'transient' (phone off, busy,
-- network trouble, throttled: never counts). Null while a message has not failed.
alter table messages add column error_class text check (error_class in ('permanent', 'transient'));

-- Permanent hard bounces per number, kept by the group committer in the transaction that stores the bounce.
-- Both counts are always kept so the account can switch between the consecutive and total modes at any time:
-- consecutive is reset by a delivery to the number, total only when a suppression is lifted. Only numbers that
-- ever bounced permanently have a row. Rows are changed with upserts (row lock on the number), so two gateway
-- processes counting bounces of one number at once both count.
create table bounce_counts (
    number       text primary key,
    consecutive  integer not null default 0,
    total        integer not null default 0,
    last_error   text,
    last_carrier text,
    updated_at   timestamptz not null
);
