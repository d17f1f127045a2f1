package io.dlrgate.reporting.session;

import io.dlrgate.config.AuthConfig;
import io.dlrgate.reporting.db.StoreErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Web UI login sessions in PostgreSQL (table {@code login_sessions}), so that they survive a restart and are shared
 * by every instance on the database. Sessions are known by the SHA-256 of their cookie's token, written as 64
 * lower-case hex digits; the token itself is never stored.
 *
 * <p>Every method is one or two statements on an index: the cost of a login or a lookup does not grow with the
 * number of sessions. All of them do JDBC: never call them on an event loop.
 *
 * <p>A session ends at the first of: its absolute end ({@code auth.session_ttl} after the login), its idle end
 * ({@code auth.session_idle_timeout} after its last use; the last use is written at most once per
 * {@link #touchInterval()}, so the idle end is exact to within that), logout, a newer login of the same user beyond
 * {@code auth.max_sessions_per_user} (the oldest goes), or the purge trimming to {@code auth.max_sessions}.
 */
public final class LoginSessionStore {

    /** A live session. */
    public record Session(String tokenHash, String userName, Instant createdAt, Instant expiresAt) {
    }

    private static final HexFormat HEX = HexFormat.of();

    private final DataSource ds;
    private final Clock clock;
    private final Duration ttl;
    private final Duration idle;
    private final Duration touchInterval;
    private final int maxPerUser;
    private final int maxSessions;

    public LoginSessionStore(DataSource ds, Clock clock, AuthConfig auth) {
        this.ds = ds;
        this.clock = clock;
        this.ttl = auth.sessionTtl();
        this.idle = auth.sessionIdleTimeout();
        // 1/30 of the idle timeout (a minute for the default 30 min): one write per minute of use at most.
        this.touchInterval = idle.dividedBy(30);
        this.maxPerUser = auth.maxSessionsPerUser();
        this.maxSessions = auth.maxSessions();
    }

    public Duration touchInterval() {
        return touchInterval;
    }

    /**
     * Stores a new session of {@code userName} and, in the same transaction, ends that user's oldest sessions
     * beyond the per-user cap.
     *
     * @return the token hashes of the sessions ended to make room (their live streams should close)
     */
    public List<String> create(String tokenHash, String userName) throws SQLException {
        Instant now = clock.instant();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("insert into login_sessions (token_hash, user_name, "
                        + "created_at, expires_at, last_seen_at) values (?, ?, ?, ?, ?)")) {
                    ps.setBytes(1, bytes(tokenHash));
                    ps.setString(2, userName);
                    ps.setTimestamp(3, Timestamp.from(now));
                    ps.setTimestamp(4, Timestamp.from(now.plus(ttl)));
                    ps.setTimestamp(5, Timestamp.from(now));
                    ps.executeUpdate();
                }
                List<String> dropped = new ArrayList<>();
                // The user's sessions newest first, skipping the cap's worth: what is left are the oldest beyond it.
                // Reads at most cap + a few rows of the user's index range.
                try (PreparedStatement ps = c.prepareStatement("delete from login_sessions where token_hash in ("
                        + "select token_hash from login_sessions where user_name = ? "
                        + "order by created_at desc, token_hash desc offset ?) returning token_hash")) {
                    ps.setString(1, userName);
                    ps.setInt(2, maxPerUser);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            dropped.add(HEX.formatHex(rs.getBytes(1)));
                        }
                    }
                }
                c.commit();
                return dropped;
            } catch (SQLException | RuntimeException e) {
                StoreErrors.rollBackAfter(c, e);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * The session if it is live now, its last use moved to now when older than {@link #touchInterval()} (so the
     * idle end slides); empty when unknown or past either end.
     */
    public Optional<Session> find(String tokenHash) throws SQLException {
        Instant now = clock.instant();
        try (Connection c = ds.getConnection()) {
            Session s;
            Instant lastSeen;
            try (PreparedStatement ps = c.prepareStatement("select user_name, created_at, expires_at, last_seen_at "
                    + "from login_sessions where token_hash = ? and expires_at > ? and last_seen_at > ?")) {
                ps.setBytes(1, bytes(tokenHash));
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setTimestamp(3, Timestamp.from(now.minus(idle)));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    s = new Session(tokenHash, rs.getString(1), rs.getTimestamp(2).toInstant(),
                            rs.getTimestamp(3).toInstant());
                    lastSeen = rs.getTimestamp(4).toInstant();
                }
            }
            if (!lastSeen.plus(touchInterval).isAfter(now)) {
                try (PreparedStatement ps = c.prepareStatement("update login_sessions set last_seen_at = ? "
                        + "where token_hash = ? and last_seen_at < ?")) {
                    ps.setTimestamp(1, Timestamp.from(now));
                    ps.setBytes(2, bytes(tokenHash));
                    ps.setTimestamp(3, Timestamp.from(now)); // never moves it back (another instance wrote a later one)
                    ps.executeUpdate();
                }
            }
            return Optional.of(s);
        }
    }

    /** Ends a session (logout); false when there was none. */
    public boolean delete(String tokenHash) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from login_sessions where token_hash = ?")) {
            ps.setBytes(1, bytes(tokenHash));
            return ps.executeUpdate() == 1;
        }
    }

    /** Which of these sessions are live now (one query, for the live streams' periodic check). */
    public Set<String> live(Collection<String> tokenHashes) throws SQLException {
        Set<String> out = new HashSet<>();
        if (tokenHashes.isEmpty()) {
            return out;
        }
        Instant now = clock.instant();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select token_hash from login_sessions "
                     + "where token_hash = any(?) and expires_at > ? and last_seen_at > ?")) {
            ps.setArray(1, c.createArrayOf("bytea", tokenHashes.stream().map(LoginSessionStore::bytes).toArray(byte[][]::new)));
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setTimestamp(3, Timestamp.from(now.minus(idle)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(HEX.formatHex(rs.getBytes(1)));
                }
            }
        }
        return out;
    }

    /**
     * Deletes sessions past their absolute or idle end, then the least recently used beyond {@code
     * auth.max_sessions}: each statement at most {@code batchSize} rows, at most {@code maxBatches} statements of
     * each kind, so one purge is bounded however much piled up (the next one goes on).
     *
     * @return how many sessions were deleted
     */
    public int purge(int batchSize, int maxBatches) throws SQLException {
        Instant now = clock.instant();
        int deleted = 0;
        try (Connection c = ds.getConnection()) {
            deleted += repeat(c, "delete from login_sessions where token_hash in (select token_hash from "
                    + "login_sessions where expires_at <= ? limit ?)", Timestamp.from(now), batchSize, maxBatches);
            deleted += repeat(c, "delete from login_sessions where token_hash in (select token_hash from "
                    + "login_sessions where last_seen_at <= ? limit ?)", Timestamp.from(now.minus(idle)), batchSize,
                    maxBatches);
            deleted += repeat(c, "delete from login_sessions where token_hash in (select token_hash from "
                    + "login_sessions order by last_seen_at desc offset ? limit ?)", maxSessions, batchSize, maxBatches);
        }
        return deleted;
    }

    private static int repeat(Connection c, String sql, Object first, int batchSize, int maxBatches)
            throws SQLException {
        int total = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, first);
            ps.setInt(2, batchSize);
            for (int i = 0; i < maxBatches; i++) {
                int n = ps.executeUpdate();
                total += n;
                if (n < batchSize) {
                    break;
                }
            }
        }
        return total;
    }

    private static byte[] bytes(String tokenHash) {
        if (tokenHash.length() != 64) {
            throw new IllegalArgumentException("a token hash is 64 hex digits, got " + tokenHash.length()
                    + " characters");
        }
        return HEX.parseHex(tokenHash);
    }
}
