-- Recipients' replies (mobile-originated messages, issue 16): every deliver_sm / data_sm that is not a receipt,
-- stored by the group committer in the transaction whose commit allows its deliver_sm_resp. Append-only.
create table replies (
    id            bigserial primary key,
    received_at   timestamptz not null,
    carrier_id    text not null,
    command       text not null check (command in ('deliver_sm', 'data_sm')),
    -- source_addr, in E.164 (+447700900123) when it is a number; as sent otherwise (an alphanumeric sender)
    from_number   text not null,
    -- destination_addr as sent: the short code, long number or sender id the recipient answered
    to_address    text not null,
    text          text not null,
    data_coding   smallint not null,
    -- reply: an ordinary answer; opt-out / opt-in: the whole text was one of the configured keywords
    kind          text not null check (kind in ('reply', 'opt-out', 'opt-in')),
    -- the last message sent to from_number before the reply came, and its campaign (null: a single send); both
    -- null when nothing was ever sent to the number (an unlinked reply)
    message_id    bigint,
    campaign_id   bigint
);
-- The Replies views: per campaign, per number, and all of them, newest first by keyset on id.
create index replies_campaign on replies (campaign_id, id) where campaign_id is not null;
create index replies_number on replies (from_number, id);
-- Opt-outs per campaign for the campaign report (few rows per campaign: an index-only count).
create index replies_campaign_opt_outs on replies (campaign_id) where kind = 'opt-out';

-- Linking a reply to the last message its number was sent: the newest message to a recipient.
create index messages_recipient on messages (recipient, id);
