-- The receipt log is written once per receipt on the hot path of intake; every index on it is paid for by every
-- receipt. (carrier_id, receipted_id) was never read by the gateway: a matched receipt is found through its
-- message (receipts_message), an unmatched one through orphan_receipts_open. Dropping it saves a text B-tree
-- insert per receipt (measured with `dlrgate bench receipts`: see the README's Benchmarks section).
drop index if exists receipts_carrier_id;
