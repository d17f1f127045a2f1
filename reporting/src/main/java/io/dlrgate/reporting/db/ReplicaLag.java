package io.dlrgate.reporting.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.sql.DataSource;

/**
 * How far a streaming replica is behind its primary, measured by WAL position rather than by
 * {@code now() - pg_last_xact_replay_timestamp()}: that one grows while the primary is idle (the last replayed
 * transaction simply gets old) and cannot tell an idle primary from a stalled replica.
 *
 * <p>Each {@link #sample} reads the primary's flushed WAL position and then the replica's replayed one. The primary's
 * positions are kept with the time they were read; the replica has replayed everything the primary had written at
 * the latest sample whose position it reached, so the lag is the time since that sample, and zero once it reached
 * the newest. It is an upper bound, coarse by the time between samples: a primary idle for an hour that writes
 * once shows at most one sampling interval of lag, not an hour.
 */
public final class ReplicaLag {

    /** One position per distinct primary position: with a sample a second, over an hour of lag is remembered. */
    static final int MAX_SAMPLES = 4096;

    private static final String PRIMARY_POSITION = "select pg_current_wal_flush_lsn() - '0/0'::pg_lsn";
    /** Null on a server that is not in recovery (a promoted replica, or the primary itself): nothing to wait for. */
    private static final String REPLAYED_POSITION = "select pg_last_wal_replay_lsn() - '0/0'::pg_lsn";

    private record Sample(Instant at, long position) {
    }

    private final DataSource primary;
    private final DataSource replica;
    private final Clock clock;
    /** Oldest first; guarded by this. The first is the latest sample the replica reached, or older ones still. */
    private final Deque<Sample> samples = new ArrayDeque<>();
    private volatile Duration lag = Duration.ZERO;

    public ReplicaLag(DataSource primary, DataSource replica, Clock clock) {
        this.primary = primary;
        this.replica = replica;
        this.clock = clock;
    }

    /**
     * Measures the lag now and returns it. Throws when the replica cannot be read; when only the primary cannot,
     * the lag is measured against the positions already sampled (the primary's outage is reported elsewhere).
     */
    public synchronized Duration sample() throws SQLException {
        Instant now = clock.instant();
        Long primaryAt = null;
        try {
            primaryAt = position(primary, PRIMARY_POSITION);
        } catch (SQLException primaryDown) {
            // Nothing new written while the primary is away: the samples so far still say how far behind.
        }
        if (primaryAt != null) {
            remember(new Sample(now, primaryAt));
        }
        Long replayed = position(replica, REPLAYED_POSITION);
        lag = replayed == null ? Duration.ZERO : lagAt(now, replayed);
        return lag;
    }

    /** The lag measured by the last {@link #sample}. */
    public Duration current() {
        return lag;
    }

    private void remember(Sample s) {
        Sample last = samples.peekLast();
        if (last != null && last.position() == s.position()) {
            // Same position later: keep only the latest time the primary was there.
            samples.pollLast();
        }
        samples.addLast(s);
        if (samples.size() > MAX_SAMPLES) {
            samples.pollFirst();
        }
    }

    private Duration lagAt(Instant now, long replayed) {
        Sample newest = samples.peekLast();
        if (newest == null || replayed >= newest.position()) {
            samples.clear();
            if (newest != null) {
                samples.add(newest);
            }
            return Duration.ZERO;
        }
        // Drop what the replica is past: keep the latest sample it reached as the first.
        while (samples.size() > 1 && secondPosition() <= replayed) {
            samples.pollFirst();
        }
        // When even the oldest sample kept is ahead of the replica, this is a lower bound.
        Duration d = Duration.between(samples.peekFirst().at(), now);
        return d.isNegative() ? Duration.ZERO : d;
    }

    private long secondPosition() {
        var it = samples.iterator();
        it.next();
        return it.next().position();
    }

    private static Long position(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            long v = rs.getLong(1);
            return rs.wasNull() ? null : v;
        }
    }
}
