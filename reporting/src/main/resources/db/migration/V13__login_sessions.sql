-- Web UI login sessions (issue 12, item 6). They used to live in one gateway's memory: every login scanned them
-- all on the event loop, nothing capped them, and a restart logged everybody out. Here they survive a restart
-- and are shared by every instance on the database.
--
-- The cookie holds a random 256-bit token; only its SHA-256 is stored, so a copy of this table (a backup, a
-- replica) lets nobody in. A plain hash suffices: the token is random and long, so there is nothing to guess.
create table login_sessions (
    token_hash   bytea       primary key check (octet_length(token_hash) = 32),
    user_name    text        not null,          -- auth.users[].name; the role is read from the config at each use
    created_at   timestamptz not null,
    expires_at   timestamptz not null,          -- absolute end: created_at + auth.session_ttl
    last_seen_at timestamptz not null           -- sliding end: last_seen_at + auth.session_idle_timeout
);

-- A user's sessions, oldest first: the per-user cap drops the oldest at login.
create index login_sessions_user on login_sessions (user_name, created_at);
-- The purge (bounded batches) of sessions past either end, and the global cap (least recently used first).
create index login_sessions_expires on login_sessions (expires_at);
create index login_sessions_last_seen on login_sessions (last_seen_at);
