-- Validity-period expiry (issue 4).
--
-- A message that waited in the queue past its validity deadline is expired by the gateway's sweeper without
-- ever being submitted: it leaves the queue as dispatch_state 'expired' (so it also leaves the messages_queue
-- partial index and the claim never scans it again), tab 'soft-bounces', final_by 'expiry'.
alter table messages drop constraint messages_dispatch_state_check;
alter table messages add constraint messages_dispatch_state_check
    check (dispatch_state in ('queued', 'in_flight', 'submitted', 'failed', 'expired'));

-- The sweeper's query is served by messages_pending_deadline (V1): a partial index on (validity_deadline) holding
-- only Pending rows, walked in deadline order up to the cutoff. Nothing to add for it here.
