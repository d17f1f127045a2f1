-- Reports and link tracking (issue 5).

-- One row per distinct original URL of a campaign whose link tracking is on.
create table links (
    id          bigserial primary key,
    campaign_id bigint not null references campaigns (id),
    url         text not null,
    created_at  timestamptz not null,
    unique (campaign_id, url)
);

-- One short code per (link, recipient, send): the code in /l/{code}. Unguessable (128 random bits, base64url),
-- so the code itself is the credential; it says nothing about the campaign or the number.
create table link_codes (
    code       text primary key,
    link_id    bigint not null references links (id),
    recipient  text not null,
    created_at timestamptz not null
);

-- Every click on a short link. Total clicks: rows; unique clicks: distinct recipients per link.
create table link_clicks (
    id          bigserial primary key,
    link_id     bigint not null references links (id),
    campaign_id bigint not null references campaigns (id),
    recipient   text not null,
    clicked_at  timestamptz not null,
    user_agent  text
);
create index link_clicks_link_recipient on link_clicks (campaign_id, link_id, recipient);

-- Campaign list: sort by last modifier, search by name (campaigns_name on lower(name) exists since V1).
create index campaigns_last_sent on campaigns (last_sent_at desc nulls last, id desc);

-- Single sends are paged newest first by (created_at, id); V1's messages_single_sends covers created_at only.
create index messages_single_sends_keyset on messages (created_at desc, id desc) where campaign_id is null;
