-- Kannel 1.4.5's DLR table for dlr-storage = pgsql. Its documented table has no oid column, yet Kannel deletes
-- a mapping with "DELETE FROM dlr WHERE oid = ..." (it relies on PostgreSQL's hidden oid column, which PostgreSQL
-- 12 removed), so every final DLR would fail: give the table a real oid.
CREATE TABLE dlr (
  oid         bigserial PRIMARY KEY,
  smsc        varchar(40),
  ts          varchar(65),
  destination varchar(40),
  source      varchar(40),
  service     varchar(40),
  url         varchar(255),
  mask        integer,
  status      integer,
  boxc        varchar(40)
);
-- Kannel looks a mapping up by (smsc, ts) for every receipt
CREATE INDEX dlr_smsc_ts ON dlr (smsc, ts);
