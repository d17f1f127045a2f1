-- Replies, second step (issue 16 part 3): duplicates resent by the carrier are stored once, and a stored reply
-- raises reply.received (issue 17).
--
-- Locks: both statements touch only a new table and a metadata-only column addition (nullable, no default: no
-- table rewrite). Nothing here builds an index on a large existing table. (V20 built messages_recipient on
-- messages(recipient, id) without CONCURRENTLY, which blocks writes to messages while it builds: on a large
-- messages table, upgrade past V20 in a quiet window; see docs/how-to/handle-replies-and-opt-outs.md, section 7.)

-- One row per reply stored, keyed by a SHA-256 of the carrier and the PDU body but its sequence number: source_addr and
-- destination_addr as sent, data_coding, and the message octets with their user data header (so two parts of one
-- concatenated reply never collide) and the carrier's own reference when the PDU has one; then the id of the message
-- the reply answers (the same text after a new message is an answer to it, not a resend). SMPP gives a
-- mobile-originated message no id of its own, so a resend after a lost deliver_sm_resp is recognised by being the
-- same PDU again before expires_at (the stored copy's time plus replies.duplicate_window). A key past expires_at is
-- re-armed by the next copy (stored again: a genuine repeat), and pruned in small slices by the writer, so the table
-- holds about one window of replies.
create table reply_keys (
    key        bytea primary key,
    stored_at  timestamptz not null,
    expires_at timestamptz not null
);
create index reply_keys_expires_at on reply_keys (expires_at);

-- reply.received events carry the reply itself: the outbox stays self-contained (a replay re-sends the same text).
alter table webhook_events
    add column reply_id   bigint,
    add column reply_to   text,
    add column reply_text text,
    add column reply_kind text;
