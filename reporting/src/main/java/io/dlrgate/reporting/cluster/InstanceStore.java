package io.dlrgate.reporting.cluster;

import io.dlrgate.reporting.db.StoreErrors;
import io.dlrgate.reporting.message.MessageStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The gateway instances sharing this database and their leases (V23): registering, heartbeats, taking over what
 * dead instances left in flight, and releasing one's own at a clean stop. Releasing an instance also removes what
 * it held of the carriers ({@link CarrierBindStore}). Times are the database's, never the caller's: instances on
 * different hosts compare leases on one clock.
 *
 * <p>Who may requeue an instance's in-flight messages is decided on its row: a survivor locks the row of an
 * expired, unreleased instance FOR UPDATE, marks it released, and requeues its messages in the same transaction;
 * a second survivor skips the locked row, and finds it released afterwards. The lock also orders the takeover
 * against the dead instance's last claims (see {@link MessageStore#claim}) and against a late heartbeat (which
 * then finds its row released and renews nothing).
 */
public final class InstanceStore {

    /** What one takeover pass did: the instances it released and the messages it put back in the queue. */
    public record Takeover(List<Long> instances, int requeued) {
        public static final Takeover NONE = new Takeover(List.of(), 0);
    }

    private final DataSource ds;

    public InstanceStore(DataSource ds) {
        this.ds = ds;
    }

    /** Enters a new instance with a lease of {@code lease} from now; returns its id. */
    public long register(String host, long pid, Duration lease) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into instances (host, pid, lease_until) "
                     + "values (?, ?, now() + ? * interval '1 millisecond') returning id")) {
            ps.setString(1, host);
            ps.setLong(2, pid);
            ps.setLong(3, lease.toMillis());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Extends the instance's lease to {@code lease} from now, unless it was released. Also after the lease ran out,
     * as long as no survivor took the instance over: the row lock makes the renewal and a takeover exclusive.
     *
     * @return the instance's previous heartbeat (the database's time), to pass to {@link #takeOverDead}; empty: the
     *         instance was released (taken over), it must register anew before it claims again
     */
    public Optional<Instant> heartbeat(long id, Duration lease) throws SQLException {
        // The previous heartbeat is read under the row lock the update takes anyway (NO KEY UPDATE: it waits for a
        // takeover's FOR UPDATE, never for the claims' KEY SHARE).
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("update instances i set heartbeat_at = now(), "
                     + "lease_until = now() + ? * interval '1 millisecond' from (select heartbeat_at from instances "
                     + "where id = ? for no key update) prev where i.id = ? and i.released_at is null "
                     + "returning prev.heartbeat_at")) {
            ps.setLong(1, lease.toMillis());
            ps.setLong(2, id);
            ps.setLong(3, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getTimestamp(1).toInstant()) : Optional.empty();
            }
        }
    }

    /**
     * Releases every other instance whose lease expired before {@code aliveSince} and requeues what it left in
     * flight, atomically. Rows another survivor (or a last claim of the dead instance) holds locked are skipped: a
     * later pass takes them.
     *
     * @param me         the caller, never taken over by itself
     * @param aliveSince a time (the database's) at which the caller itself was known alive: its previous heartbeat.
     *                   An instance is taken over only if its lease had already run out then and it did not renew
     *                   it since. After a database outage longer than the lease every lease has run out; the first
     *                   instance back must not take over the others before they had a heartbeat's time to renew.
     *                   Null: any lease that ran out before now (an instance just started has no previous heartbeat).
     */
    public Takeover takeOverDead(long me, Instant aliveSince) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Long> dead = new ArrayList<>();
                // FOR UPDATE, not the weaker lock an update takes: it must conflict with the claims' KEY SHARE.
                try (PreparedStatement ps = c.prepareStatement("select id from instances where released_at is null "
                        + "and lease_until < least(now(), coalesce(?, now())) and id <> ? "
                        + "order by id for update skip locked")) {
                    ps.setTimestamp(1, aliveSince == null ? null : Timestamp.from(aliveSince));
                    ps.setLong(2, me);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            dead.add(rs.getLong(1));
                        }
                    }
                }
                if (dead.isEmpty()) {
                    c.rollback();
                    return Takeover.NONE;
                }
                Long[] ids = dead.toArray(Long[]::new);
                try (PreparedStatement ps = c.prepareStatement("update instances set released_at = now(), "
                        + "released_by = ? where id = any(?)")) {
                    ps.setLong(1, me);
                    ps.setArray(2, c.createArrayOf("int8", ids));
                    ps.executeUpdate();
                }
                // A statement of its own, after the lock: its snapshot sees every claim the dead instances committed.
                int requeued = requeueClaimedBy(c, ids);
                CarrierBindStore.forgetInstances(c, ids); // their binds and slots counted no more already
                c.commit();
                return new Takeover(List.copyOf(dead), requeued);
            } catch (SQLException | RuntimeException e) {
                StoreErrors.rollBackAfter(c, e);
                throw e;
            }
        }
    }

    /**
     * A clean stop: requeues what the instance still has in flight (after the stop's drain, only submits that were
     * never answered) and releases its lease, so nobody waits for it to expire.
     *
     * @return the messages requeued
     */
    public int release(long id) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                // Locked FOR UPDATE first, as in a takeover: a claim still running commits before the requeue reads.
                try (PreparedStatement lock = c.prepareStatement("select 1 from instances where id = ? for update");
                     PreparedStatement ps = c.prepareStatement("update instances set released_at = now(), "
                             + "released_by = id where id = ? and released_at is null")) {
                    lock.setLong(1, id);
                    lock.executeQuery().close();
                    ps.setLong(1, id);
                    ps.executeUpdate();
                }
                int requeued = requeueClaimedBy(c, new Long[] {id});
                CarrierBindStore.forgetInstances(c, new Long[] {id});
                c.commit();
                return requeued;
            } catch (SQLException | RuntimeException e) {
                StoreErrors.rollBackAfter(c, e);
                throw e;
            }
        }
    }

    /** Instances whose lease is live now (this one included, while its heartbeats hold). */
    public int countLive() throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from instances "
                     + "where released_at is null and lease_until > now()")) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Forgets instances released longer ago than {@code age}: one row per start would otherwise pile up. */
    public int forgetReleased(Duration age) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from instances where released_at < now() "
                     + "- ? * interval '1 millisecond'")) {
            ps.setLong(1, age.toMillis());
            return ps.executeUpdate();
        }
    }

    private static int requeueClaimedBy(Connection c, Long[] instances) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update messages set dispatch_state = "
                + MessageStore.REQUEUED_STATE + " where dispatch_state = 'in_flight' and claimed_by = any(?)")) {
            ps.setArray(1, c.createArrayOf("int8", instances));
            return ps.executeUpdate();
        }
    }
}
