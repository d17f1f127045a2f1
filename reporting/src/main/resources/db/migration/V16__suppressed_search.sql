-- The suppressed list at 100,000 rows and more (issue 14): its pages are read newest first by keyset on
-- (created_at, number), and its search keeps the numbers starting with what was typed, as the byte-wise range
-- number ~>=~ '+4477' and number ~<~ '+4478'. text_pattern_ops serves that range whatever the database's
-- collation (the primary key on number would serve it only under the C collation).
create index suppressions_newest on suppressions (created_at, number);
create index suppressions_number_prefix on suppressions (number text_pattern_ops);
