package io.dlrgate.reporting.cluster;

import io.dlrgate.reporting.db.StoreErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * What each gateway instance holds of a carrier (V25), so that carrier limits hold across instances: inbound binds
 * (counted against {@code max_binds}) and the outbound session slots of a {@code connect} carrier. Every row is
 * entered under the holder's lease ({@code instances.id}) and counts only while that lease is live: a dead
 * instance's binds stop counting once its lease ran out, before anyone removed its rows ({@link InstanceStore}
 * removes them when it releases or takes over an instance). Times are the database's.
 *
 * <p>Decisions about one carrier are serialised on a transaction-scoped advisory lock of that carrier: two
 * instances admitting a bind of the same carrier at once count one after the other, and binds of other carriers
 * never wait for each other.
 */
public final class CarrierBindStore {

    /** Advisory lock spaces (the first key of pg_advisory_xact_lock(int, int)); the second is the carrier's hash. */
    private static final int BIND_LOCKS = 1825;
    private static final int SLOT_LOCKS = 1826;

    /** What {@link #admit} decided. */
    public enum Admission {
        ADMITTED,
        /** the carrier has max_binds binds on live instances */
        MAX_BINDS,
        /** the caller's own lease is not live (ran out, or taken over): its bind would not count */
        NO_LEASE
    }

    /**
     * A live instance holding binds or slots of a carrier, since when (its earliest row), and its last heartbeat
     * (database times).
     */
    public record Holder(String carrier, long instance, Instant since, Instant heartbeat) {
    }

    /** The live holders of every carrier, and the database's time they were read at. */
    public record Holders(Instant now, List<Holder> holders) {
    }

    /**
     * An instance's outbound slots of a carrier after a {@link #balanceSlots} pass.
     *
     * @param mine the slots it holds (those to shed included: they are released once their session ended)
     * @param shed the slots it holds beyond its fair share: to unbind, then {@link #releaseSlot}
     */
    public record Slots(TreeSet<Integer> mine, TreeSet<Integer> shed) {
    }

    private final DataSource ds;

    public CarrierBindStore(DataSource ds) {
        this.ds = ds;
    }

    /**
     * Enters a bind of {@code carrier} on the instance if the carrier has fewer than {@code maxBinds} binds on
     * instances whose lease is live, the caller's included.
     */
    public Admission admit(long instance, String carrier, long sessionId, int maxBinds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                lock(c, BIND_LOCKS, carrier);
                long taken = bindsIfLive(c, carrier, instance);
                Admission a = taken < 0 ? Admission.NO_LEASE : taken >= maxBinds ? Admission.MAX_BINDS
                        : Admission.ADMITTED;
                if (a == Admission.ADMITTED) {
                    enter(c, instance, sessionId, carrier);
                }
                c.commit();
                return a;
            } catch (SQLException | RuntimeException e) {
                StoreErrors.rollBackAfter(c, e);
                throw e;
            }
        }
    }

    /**
     * Counts the instance's open binds of {@code carrier} again after its lease lapsed: while it had run out they
     * counted nothing, a takeover removed their rows, and other instances may have admitted binds in their place.
     * Under the carrier's lock, the sessions' rows (if any are left) are removed, then entered again in the order
     * given (the oldest first) as long as the carrier has fewer than {@code maxBinds} live binds.
     *
     * @param sessions the instance's bound sessions of the carrier, oldest first
     * @return the sessions that found no place (the carrier has {@code maxBinds} binds without them): to close;
     *         null when the instance's own lease is not live (nothing changed; try again after a heartbeat)
     */
    public List<Long> readmit(long instance, String carrier, List<Long> sessions, int maxBinds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                lock(c, BIND_LOCKS, carrier);
                try (PreparedStatement ps = c.prepareStatement("delete from carrier_binds where instance_id = ? "
                        + "and session_id = any(?)")) {
                    ps.setLong(1, instance);
                    ps.setArray(2, c.createArrayOf("int8", sessions.toArray(Long[]::new)));
                    ps.executeUpdate();
                }
                long taken = bindsIfLive(c, carrier, instance);
                if (taken < 0) {
                    c.rollback();
                    return null;
                }
                int places = (int) Math.max(0, Math.min(sessions.size(), maxBinds - taken));
                for (Long sessionId : sessions.subList(0, places)) {
                    enter(c, instance, sessionId, carrier);
                }
                c.commit();
                return List.copyOf(sessions.subList(places, sessions.size()));
            } catch (SQLException | RuntimeException e) {
                StoreErrors.rollBackAfter(c, e);
                throw e;
            }
        }
    }

    /** The session ended: its bind no longer counts. */
    public void forget(long instance, long sessionId) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from carrier_binds where instance_id = ? "
                     + "and session_id = ?")) {
            ps.setLong(1, instance);
            ps.setLong(2, sessionId);
            ps.executeUpdate();
        }
    }

    /**
     * Removes the instance's binds that are not among {@code open} and older than {@code olderThan}: rows whose
     * {@link #forget} failed (the database was unreachable when the session ended). Younger rows may belong to a
     * bind being admitted right now, not yet in the caller's list.
     *
     * @return the rows removed
     */
    public int prune(long instance, Collection<Long> open, Duration olderThan) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from carrier_binds where instance_id = ? "
                     + "and not (session_id = any(?)) and bound_at < now() - ? * interval '1 millisecond'")) {
            ps.setLong(1, instance);
            ps.setArray(2, c.createArrayOf("int8", open.toArray(Long[]::new)));
            ps.setLong(3, olderThan.toMillis());
            return ps.executeUpdate();
        }
    }

    /** Every carrier's live holders: instances with a live lease holding inbound binds or outbound slots of it. */
    public Holders holders() throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select h.carrier, h.instance_id, min(h.since), "
                     + "max(i.heartbeat_at), now() from ("
                     + "select carrier, instance_id, bound_at as since from carrier_binds union all "
                     + "select carrier, instance_id, claimed_at from connect_slots) h "
                     + "join instances i on i.id = h.instance_id where " + live("i") + " group by 1, 2 order by 1, 2");
             ResultSet rs = ps.executeQuery()) {
            List<Holder> out = new ArrayList<>();
            Instant now = null;
            while (rs.next()) {
                out.add(new Holder(rs.getString(1), rs.getLong(2), rs.getTimestamp(3).toInstant(),
                        rs.getTimestamp(4).toInstant()));
                now = rs.getTimestamp(5).toInstant();
            }
            return new Holders(now == null ? databaseNow(c) : now, List.copyOf(out));
        }
    }

    /** Inbound binds per carrier on instances with a live lease (carriers with none left out). */
    public Map<String, Integer> liveBinds() throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select b.carrier, count(*) from carrier_binds b "
                     + "join instances i on i.id = b.instance_id where " + live("i") + " group by 1");
             ResultSet rs = ps.executeQuery()) {
            Map<String, Integer> out = new HashMap<>();
            while (rs.next()) {
                out.put(rs.getString(1), rs.getInt(2));
            }
            return out;
        }
    }

    /**
     * One balancing pass over a connect carrier's {@code sessions} slots, for the instance: slots of instances
     * whose lease is not live are freed; the instance's fair share is ceil(sessions / live instances); below it,
     * it claims free slots (the lowest first); above it, its highest slots are to be shed. A slot is never held
     * by two instances (the key); the advisory lock keeps two instances from reading the same free slots.
     */
    public Slots balanceSlots(long instance, String carrier, int sessions) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                lock(c, SLOT_LOCKS, carrier);
                try (PreparedStatement ps = c.prepareStatement("delete from connect_slots s where carrier = ? "
                        + "and not exists (select 1 from instances i where i.id = s.instance_id and " + live("i")
                        + ")")) {
                    ps.setString(1, carrier);
                    ps.executeUpdate();
                }
                int liveInstances;
                try (PreparedStatement ps = c.prepareStatement("select count(*) from instances i where "
                        + live("i"));
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    liveInstances = rs.getInt(1);
                }
                TreeSet<Integer> mine = new TreeSet<>();
                TreeSet<Integer> taken = new TreeSet<>();
                try (PreparedStatement ps = c.prepareStatement("select slot, instance_id from connect_slots "
                        + "where carrier = ?")) {
                    ps.setString(1, carrier);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            taken.add(rs.getInt(1));
                            if (rs.getLong(2) == instance) {
                                mine.add(rs.getInt(1));
                            }
                        }
                    }
                }
                int share = liveInstances == 0 ? 0 : (sessions + liveInstances - 1) / liveInstances;
                TreeSet<Integer> shed = new TreeSet<>(mine.tailSet(sessions)); // sessions lowered in the config
                for (int slot = 0; slot < sessions && mine.size() - shed.size() < share; slot++) {
                    if (!taken.contains(slot)) {
                        claim(c, carrier, slot, instance);
                        mine.add(slot);
                    }
                }
                for (Integer slot : mine.descendingSet()) {
                    if (mine.size() - shed.size() <= share) {
                        break;
                    }
                    shed.add(slot);
                }
                c.commit();
                return new Slots(mine, shed);
            } catch (SQLException | RuntimeException e) {
                StoreErrors.rollBackAfter(c, e);
                throw e;
            }
        }
    }

    /** The instance's session on that slot ended: another instance may claim it. */
    public void releaseSlot(long instance, String carrier, int slot) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from connect_slots where carrier = ? and slot = ? "
                     + "and instance_id = ?")) {
            ps.setString(1, carrier);
            ps.setInt(2, slot);
            ps.setLong(3, instance);
            ps.executeUpdate();
        }
    }

    /** Removes what the instances held, in the caller's transaction (their release or takeover). */
    static void forgetInstances(Connection c, Long[] instances) throws SQLException {
        for (String table : List.of("carrier_binds", "connect_slots")) {
            try (PreparedStatement ps = c.prepareStatement("delete from " + table + " where instance_id = any(?)")) {
                ps.setArray(1, c.createArrayOf("int8", instances));
                ps.executeUpdate();
            }
        }
    }

    /** The carrier's binds on instances with a live lease; -1 when the instance's own lease is not live. */
    private static long bindsIfLive(Connection c, String carrier, long instance) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select (select count(*) from carrier_binds b "
                + "join instances i on i.id = b.instance_id where b.carrier = ? and " + live("i") + "), "
                + "exists (select 1 from instances i where i.id = ? and " + live("i") + ")")) {
            ps.setString(1, carrier);
            ps.setLong(2, instance);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(2) ? rs.getLong(1) : -1;
            }
        }
    }

    private static void enter(Connection c, long instance, long sessionId, String carrier) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into carrier_binds (instance_id, session_id, carrier) "
                + "values (?, ?, ?) on conflict do nothing")) {
            ps.setLong(1, instance);
            ps.setLong(2, sessionId);
            ps.setString(3, carrier);
            ps.executeUpdate();
        }
    }

    private static void claim(Connection c, String carrier, int slot, long instance) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into connect_slots (carrier, slot, instance_id) "
                + "values (?, ?, ?)")) {
            ps.setString(1, carrier);
            ps.setInt(2, slot);
            ps.setLong(3, instance);
            ps.executeUpdate();
        }
    }

    private static void lock(Connection c, int space, String carrier) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_advisory_xact_lock(?, hashtext(?))")) {
            ps.setInt(1, space);
            ps.setString(2, carrier);
            ps.executeQuery().close();
        }
    }

    private static Instant databaseNow(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select now()");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    /** The lease condition: released instances and run-out leases never count. */
    private static String live(String alias) {
        return alias + ".released_at is null and " + alias + ".lease_until > now()";
    }
}
