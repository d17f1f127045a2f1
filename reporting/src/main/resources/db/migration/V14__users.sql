-- Users of the HTTP API and web UI kept in the store (issue 14), beside those in auth.users of the config: the
-- demo's user, and users added with `dlrgate user add`. A login checks the config's users first, then these.
--
-- Only a slow salted hash of the password is kept (PBKDF2WithHmacSHA256, a salt of its own per user, written as
-- "pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>"), so a copy of this table gives nobody a password.
create table users (
    name          text        primary key check (length(name) between 1 and 64),
    password_hash text        not null,
    role          text        not null check (role in ('viewer', 'sender', 'admin')),
    created_at    timestamptz not null
);
