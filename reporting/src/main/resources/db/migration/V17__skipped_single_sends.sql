-- Single sends to a suppressed number (issue 14): nothing is sent, but the send is listed in Single sends under
-- "Suppressed" (not one of the five tabs), so that nothing a user asked to send disappears from the reports.
--
-- Their ids are drawn from the messages' own sequence, so a single send's id names one row in either table: the
-- list's keyset cursor (created_at, id) and the preview (GET /api/v1/single-sends/{id}) work over both.
create table skipped_single_sends (
    id          bigint primary key default nextval('messages_id_seq'),
    source      text not null check (source in ('ui', 'api', 'program')),
    recipient   text not null,
    country     text,
    content     text not null,
    carrier_id  text,
    created_at  timestamptz not null
);
-- Read newest first by keyset, as messages_single_sends_keyset (V10) reads the messages.
create index skipped_single_sends_keyset on skipped_single_sends (created_at desc, id desc);
