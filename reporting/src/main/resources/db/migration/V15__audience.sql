-- Audience of a send (issue 14): numbers that are not mobile numbers, or that no carrier takes, are filed at the
-- door as Hard bounces instead of refusing the whole send.
--
-- Such a message never reaches a carrier: carrier_id is null when no carrier takes the number (and for a number
-- that is not a number at all), dispatch_state 'failed', tab 'hard-bounces', and final_by names the cause in the
-- reports' vocabulary: 'invalid-number' or 'no-route'.
alter table messages alter column carrier_id drop not null;
alter table messages drop constraint messages_final_by_check;
alter table messages add constraint messages_final_by_check
    check (final_by in ('receipt', 'submit', 'expiry', 'invalid-number', 'no-route'));

-- What happened to a send's list at the door, each requested contact in exactly one count:
-- requested = queued + skipped_suppressed + duplicates + rejected (the invalid ones, filed as Hard bounces).
alter table campaign_sends add column duplicates integer not null default 0;
