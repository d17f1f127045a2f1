package io.dlrgate.bench;

import io.dlrgate.config.DatabaseConfig;
import io.dlrgate.config.ExpiryConfig;
import io.dlrgate.reporting.counters.ReportCounters;
import io.dlrgate.reporting.db.Database;
import io.dlrgate.reporting.expiry.ExpirySweeper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dlrgate bench expiry}: the validity-period sweeper against a fresh database on the local PostgreSQL.
 *
 * <ol>
 *   <li>Seeds N pending messages (one {@code INSERT ... SELECT generate_series}), deadlines spread over an hour,
 *       a third still queued and the rest submitted, then VACUUM ANALYZE, as a long-running store would be.</li>
 *   <li>Empty sweeps: with all N pending and none due, times {@code sweepOnce} K times (median, p99, max).</li>
 *   <li>Expiry: moves the clock past every deadline + grace and times one {@code sweepOnce} that expires all N
 *       (batches of {@code --batch-size}, each its own transaction), and reports the rate.</li>
 *   <li>Empty sweeps again, now with N expired rows in the table and none pending.</li>
 * </ol>
 * Also runnable without the CLI: {@code java -cp bench/target/dlrgate-bench.jar io.dlrgate.bench.ExpiryBenchmark}.
 */
@Command(name = "expiry", mixinStandardHelpOptions = true,
        description = "Expiry sweeper: time to expire N pending messages, cost of a sweep with nothing due. Loopback only.")
public final class ExpiryBenchmark implements Callable<Integer> {

    @Option(names = "--messages", defaultValue = "1000000", description = "pending messages seeded (default ${DEFAULT-VALUE})")
    int messages;

    @Option(names = "--empty-sweeps", defaultValue = "200", description = "empty sweeps timed (default ${DEFAULT-VALUE})")
    int emptySweeps;

    @Option(names = "--batch-size", defaultValue = "" + ExpiryConfig.DEFAULT_BATCH_SIZE,
            description = "expiry.batch_size (default ${DEFAULT-VALUE})")
    int batchSize;

    @Mixin
    BenchDatabaseOptions database = new BenchDatabaseOptions();

    public static void main(String[] args) {
        System.exit(new CommandLine(new ExpiryBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        try (BenchDatabase fresh = database.open("expiry");
             Database db = Database.open(new DatabaseConfig(fresh.url(), fresh.user(), null, Path.of("unused"), 0,
                     database.poolSize))) {
            run(db);
            System.out.println("database: " + fresh.describe());
        }
        return 0;
    }

    private void run(Database db) throws SQLException {
        Duration grace = ExpiryConfig.DEFAULT_GRACE;
        Instant t0 = Instant.parse("2026-11-27T00:00:00Z");
        ExpirySweeper sweeper = new ExpirySweeper(db.dataSource(), grace, batchSize);
        System.out.printf(Locale.ROOT, "dlrgate bench expiry: %,d messages, batch %d, grace %s, %s, %d CPUs, "
                + "load average %s%n", messages, batchSize, grace, serverVersion(db),
                Runtime.getRuntime().availableProcessors(), loadAverage());

        long s0 = System.nanoTime();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("insert into messages (source, recipient, content, carrier_id, "
                     + "dispatch_state, carrier_message_id, created_at, sent_at, validity_deadline) "
                     + "select 'api', '+4477' || lpad(g::text, 8, '0'), 'Your code is 4711', "
                     + "(array['alpha','beta','gamma'])[1 + g % 3], "
                     + "case when g % 3 = 0 then 'queued' else 'submitted' end, "
                     + "case when g % 3 = 0 then null else 'id-' || g end, ?, "
                     + "case when g % 3 = 0 then null else ?::timestamptz end, "
                     // deadlines spread over an hour, not in id order
                     + "?::timestamptz + ((g::bigint * 7919) % 3600000) * interval '1 millisecond' "
                     + "from generate_series(1, ?) g")) {
            ps.setTimestamp(1, Timestamp.from(t0));
            ps.setTimestamp(2, Timestamp.from(t0));
            ps.setTimestamp(3, Timestamp.from(t0.plus(Duration.ofHours(48))));
            ps.setInt(4, messages);
            ps.executeUpdate();
        }
        // Seeded around the send path: its report counters (V11, V18), recounted, so the sweeps keep them exact.
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            ReportCounters.rebuild(c);
            c.commit();
        }
        try (Connection c = db.connection(); Statement st = c.createStatement()) {
            st.execute("vacuum analyze messages");
        }
        System.out.printf(Locale.ROOT, "seeded %,d pending messages in %.1f s (insert + vacuum analyze)%n", messages,
                secondsSince(s0));
        System.out.println("sweep plan: " + plan(db, t0.plus(Duration.ofHours(49)).minus(grace)));

        // Nothing due: the clock is before every deadline.
        Instant early = t0.plus(Duration.ofHours(47));
        double[] empty = emptySweeps(sweeper, early);
        System.out.printf(Locale.ROOT, "empty sweep, %,d pending, none due (%d sweeps): median %.3f ms, p99 %.3f ms, "
                + "max %.3f ms%n", messages, empty.length, pct(empty, 50), pct(empty, 99), empty[empty.length - 1]);

        // Everything due.
        Instant late = t0.plus(Duration.ofHours(49)).plus(grace);
        List<Integer> batches = new ArrayList<>();
        List<Double> batchMs = new ArrayList<>();
        long e0 = System.nanoTime();
        long[] last = {e0};
        int expired = sweeper.sweepOnce(late, b -> {
            long t = System.nanoTime();
            batches.add(b.size());
            batchMs.add((t - last[0]) / 1e6);
            last[0] = t;
        });
        double seconds = secondsSince(e0);
        System.out.printf(Locale.ROOT, "expired %,d messages in %.2f s (%,.0f messages/s, %d batches of at most %d; "
                + "a batch took %.0f ms on average over the first 10, %.0f ms over the last 10)%n",
                expired, seconds, expired / seconds, batches.size(), batchSize, avg(batchMs, true), avg(batchMs, false));
        long stillPending = count(db, "select count(*) from messages where tab = 'pending'");
        long softBounces = count(db, "select count(*) from messages where tab = 'soft-bounces' and final_by = 'expiry'");
        long neverSent = count(db, "select count(*) from messages where dispatch_state = 'expired'");
        System.out.printf(Locale.ROOT, "check: %,d soft bounces by expiry (%,d taken out of the queue), %,d still "
                + "pending%n", softBounces, neverSent, stillPending);
        if (expired != messages || stillPending != 0 || softBounces != messages) {
            throw new IllegalStateException("expected all " + messages + " expired exactly once, got " + expired
                    + " returned, " + softBounces + " in the table, " + stillPending + " pending");
        }

        System.out.println("load average after the expiry: " + loadAverage()
                + " (the CPUs may be shared: compare with the CPU count)");
        double[] after = emptySweeps(sweeper, late.plusSeconds(60));
        System.out.printf(Locale.ROOT, "empty sweep after expiry (%,d expired rows, dead index entries not yet "
                + "vacuumed; %d sweeps): median %.3f ms, p99 %.3f ms, max %.3f ms%n", messages, after.length,
                pct(after, 50), pct(after, 99), after[after.length - 1]);
    }

    private double[] emptySweeps(ExpirySweeper sweeper, Instant now) throws SQLException {
        for (int i = 0; i < 20; i++) {          // warm-up: pool, prepared statement, caches
            sweeper.sweepOnce(now);
        }
        double[] ms = new double[emptySweeps];
        for (int i = 0; i < emptySweeps; i++) {
            long t = System.nanoTime();
            int n = sweeper.sweepOnce(now);
            ms[i] = (System.nanoTime() - t) / 1e6;
            if (n != 0) {
                throw new IllegalStateException("an empty sweep expired " + n + " messages");
            }
        }
        Arrays.sort(ms);
        return ms;
    }

    private static String plan(Database db, Instant cutoff) throws SQLException {
        StringBuilder sb = new StringBuilder();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("explain select id from messages where tab = 'pending' "
                     + "and validity_deadline <= ? order by validity_deadline limit 5000 for update skip locked")) {
            ps.setTimestamp(1, Timestamp.from(cutoff));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String line = rs.getString(1).trim();
                    if (line.contains("Index") || line.contains("Seq Scan")) {
                        sb.append(sb.length() > 0 ? " / " : "").append(line.replaceAll("\\s+\\(cost.*", ""));
                    }
                }
            }
        }
        return sb.toString();
    }

    /** The 1-minute load average, or "n/a" where the platform does not report one. */
    private static String loadAverage() {
        double l = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return l < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", l);
    }

    private static double avg(List<Double> xs, boolean first) {
        int n = Math.min(10, xs.size());
        List<Double> part = first ? xs.subList(0, n) : xs.subList(xs.size() - n, xs.size());
        return part.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    private static double pct(double[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double secondsSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }

    private static long count(Database db, String sql) throws SQLException {
        try (Connection c = db.connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String serverVersion(Database db) throws SQLException {
        try (Connection c = db.connection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("show server_version")) {
            rs.next();
            return "PostgreSQL " + rs.getString(1);
        }
    }
}
