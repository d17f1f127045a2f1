package io.dlrgate.reporting.retention;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The monthly partitions of {@code messages} and the receipt log (V26, V27): creating them ahead, and retention,
 * which drops whole months and never deletes a row. Each month's block of ids is one partition in each table of a
 * family: {@code messages} with {@code message_parts}, {@code receipts} with {@code orphan_receipts}; a family's
 * month is dropped together, dependant first.
 *
 * <p>Safe on several instances at once: both operations take the same advisory lock (creating waits for it, dropping
 * skips a month while another instance holds it), so they run one at a time across the instances, and each finds
 * what another already did.
 *
 * <p>Locks. A partition is created apart and attached, and detached concurrently before it is dropped: neither
 * blocks the reads and writes of the partitioned table (a detach waits for the transactions that may still read
 * the partition, a long report included, without holding anyone up). What still waits for a table lock (the
 * attach, the drop of a table nobody reads any more, which also drops its foreign keys to {@code campaigns} and
 * {@code campaign_sends}) gives up after {@link #LOCK_TIMEOUT} and is tried again at the next run.
 */
public final class PartitionStore {

    /** How long a create or a drop waits for a table lock before it gives up until its next run. */
    static final String LOCK_TIMEOUT = "2s";

    /** A family of tables partitioned on the same id blocks: its own table first, then the one dropped with it. */
    private record Family(String table, String dependant, String sequence) {
    }

    private static final List<Family> FAMILIES = List.of(
            new Family("messages", "message_parts", "messages_id_seq"),
            new Family("receipts", "orphan_receipts", "receipts_id_seq"));

    /** A partition retention dropped: its table, its parent, and its month (null: the table converted by V27). */
    public record Dropped(String table, String parent, YearMonth month) {
    }

    private final DataSource ds;

    public PartitionStore(DataSource ds) {
        this.ds = ds;
    }

    /**
     * Creates the partitions of {@code month} and the {@code ahead} months after it that do not exist yet, and moves
     * the id sequences forward to {@code month}'s block if they are below it, never back. A month before the one
     * the sequences are in already (a clock in the past) creates nothing and moves nothing.
     *
     * @return the partitions created, none when they all existed
     */
    public List<String> createAhead(YearMonth month, int ahead) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                lockTimeout(c);
                List<String> created = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("select * from create_month_partitions(?, ?)")) {
                    ps.setDate(1, Date.valueOf(month.atDay(1)));
                    ps.setInt(2, ahead + 1);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            created.add(rs.getString(1));
                        }
                    }
                }
                c.commit();
                return created;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Drops every month whose end is before {@code cutoff}, and the converted table once its newest row is before it
     * (never when it was empty: nothing to gain): detached, then {@code drop table}, one family's month at a time.
     * A partition at or above the block its id sequence is in now is never dropped, whatever the cutoff: the month
     * being written stays.
     *
     * @return what was dropped, oldest first
     */
    public List<Dropped> dropBefore(Instant cutoff) throws SQLException {
        List<Dropped> dropped = new ArrayList<>();
        for (Family f : FAMILIES) {
            for (String partition : expired(f, cutoff)) {
                dropped.addAll(drop(f, partition));
            }
        }
        return dropped;
    }

    /** The family's partitions (of its own table) due, oldest first; read without a lock, checked again in drop. */
    private List<String> expired(Family f, Instant cutoff) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select name from partitions where parent = ? and "
                     + "(case when month is null then newest_at < ? "
                     + "else (month + interval '1 month') at time zone 'UTC' <= ? end) "
                     + "and id_to <= partition_block_start(partition_block_month((select last_value from "
                     + f.sequence() + "))) order by id_to")) {
            Timestamp t = Timestamp.from(cutoff);
            ps.setString(1, f.table());
            ps.setTimestamp(2, t);
            ps.setTimestamp(3, t);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /**
     * Drops one partition of the family's table and the dependant's partition on the same block, dependant first:
     * each is detached concurrently (the partitioned table stays open to reads and writes; the detach waits for the
     * transactions that may still read the partition), then both are dropped in one transaction with their
     * bookkeeping rows. Under the session's advisory lock, tried without waiting: when another instance holds it
     * (it is dropping, or creating), nothing now; the next run finds what is left. A drop interrupted half way (a
     * detach pending, or detached and not dropped) is finished by the next run.
     */
    private List<Dropped> drop(Family f, String partition) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true);
            if (!advisoryLock(c, "pg_try_advisory_lock")) {
                return List.of();
            }
            try {
                List<Dropped> out = sameBlock(c, f, partition);
                if (f.table().equals("messages") && holdsLiveMessages(c, partition)) {
                    return List.of();
                }
                for (Dropped d : out) {
                    detach(c, d);
                }
                c.setAutoCommit(false);
                try {
                    lockTimeout(c);
                    try (PreparedStatement ps = c.prepareStatement("delete from partitions where name = ?");
                         Statement s = c.createStatement()) {
                        for (Dropped d : out) {
                            ps.setString(1, d.table());
                            ps.executeUpdate();
                            s.execute("drop table if exists " + quoteIdentifier(d.table()));
                        }
                    }
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
                return out;
            } finally {
                advisoryLock(c, "pg_advisory_unlock");
            }
        }
    }

    /**
     * Whether a partition of {@code messages} still holds a message that is not done: queued, in flight, or pending
     * its receipt. The config keeps retention longer than a message may live, but a month's block can hold messages
     * younger than its month (the sequence moves to the next block at the first maintenance run of the month, up to
     * an hour late, or later while that run fails), and a message may sit queued for a paused carrier: such a month
     * waits. Cheap: each condition has a partial index ({@code messages_queue}, {@code messages_in_flight_claims},
     * {@code messages_pending_deadline}), small once the month's messages are done.
     */
    static boolean holdsLiveMessages(Connection c, String partition) throws SQLException {
        String t = quoteIdentifier(partition);
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select exists (select 1 from " + t + " where dispatch_state = 'queued') "
                     + "or exists (select 1 from " + t + " where dispatch_state = 'in_flight') "
                     + "or exists (select 1 from " + t + " where tab = 'pending')")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** The partition and the dependant's on the same bounds (the same ids), dependant first; none if gone. */
    private static List<Dropped> sameBlock(Connection c, Family f, String partition) throws SQLException {
        List<Dropped> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select d.name, d.parent, d.month from partitions d "
                + "join partitions p on d.id_to = p.id_to and d.id_from is not distinct from p.id_from "
                + "where p.name = ? and d.parent in (?, ?) order by d.parent = ?")) {
            ps.setString(1, partition);
            ps.setString(2, f.table());
            ps.setString(3, f.dependant());
            ps.setString(4, f.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Date month = rs.getDate(3);
                    out.add(new Dropped(rs.getString(1), rs.getString(2),
                            month == null ? null : YearMonth.from(month.toLocalDate())));
                }
            }
        }
        return out;
    }

    /**
     * Detaches the partition from its table unless it is already: concurrently, or, when an earlier detach was
     * interrupted half way, by finishing it. Outside a transaction (DETACH ... CONCURRENTLY refuses to run in one).
     */
    private static void detach(Connection c, Dropped d) throws SQLException {
        String state;
        try (PreparedStatement ps = c.prepareStatement("select case when i.inhdetachpending then 'pending' "
                + "when i.inhrelid is not null then 'attached' else 'detached' end from pg_class r "
                + "left join pg_inherits i on i.inhrelid = r.oid where r.oid = to_regclass(?)")) {
            ps.setString(1, quoteIdentifier(d.table()));
            try (ResultSet rs = ps.executeQuery()) {
                state = rs.next() ? rs.getString(1) : "detached";
            }
        }
        String how = switch (state) {
            case "attached" -> " concurrently";
            case "pending" -> " finalize";
            default -> null;
        };
        if (how != null) {
            try (Statement s = c.createStatement()) {
                s.execute("alter table " + quoteIdentifier(d.parent()) + " detach partition "
                        + quoteIdentifier(d.table()) + how);
            }
        }
    }

    private static boolean advisoryLock(Connection c, String function) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select " + function + "(hashtext('dlrgate.partitions'))")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static void lockTimeout(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("set local lock_timeout = '" + LOCK_TIMEOUT + "'");
        }
    }

    /** Partition names are made by V26/V27 from table names and a month; quoted all the same. */
    private static String quoteIdentifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
