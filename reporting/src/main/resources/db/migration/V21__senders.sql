-- Sender ids (issue 16): who each message said it was from, and whom a campaign sends from.
--
-- messages.sender is the sender id as the send named it (alphanumeric "Acme", short code "60123" or E.164
-- "+447700900123"): the dispatcher derives source_addr and TON/NPI from it and the carrier's entry, the reports
-- show it, and replies can be matched to the last send to a number from that sender. Every message sent before
-- this migration went out as the fixed alphanumeric DLRGATE, hence the default; the gateway always writes it.
alter table messages add column sender text not null default 'DLRGATE';
alter table skipped_single_sends add column sender text not null default 'DLRGATE';

-- A campaign's own sender; null: the configured send.default_sender at the time of each send.
alter table campaigns add column sender text;
