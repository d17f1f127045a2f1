package io.dlrgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * CPU of processes seen from outside, as {@code /proc/<pid>/stat} gives it (utime + stime, clock ticks of 10 ms):
 * a gateway's processes by pid, and the PostgreSQL backends serving one database (the gateway's own connections,
 * not the other users of a shared server).
 */
final class ProcCpu {

    private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ 100 on Linux

    private ProcCpu() {
    }

    /** CPU nanoseconds the process has used so far, or 0 when it is gone. */
    static long nanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static long nanos(Iterable<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            sum += nanos(pid);
        }
        return sum;
    }

    /** The pids of the backends connected to {@code database}, except the asking connection's own. */
    static Set<Long> backends(Connection c, String database) throws SQLException {
        Set<Long> out = new HashSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select pid from pg_stat_activity where datname = '" + database.replace("'", "''")
                        + "' and pid <> pg_backend_pid()")) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    /**
     * The CPU of a set of processes that may change during a phase (a pool opens a connection): a pid first seen
     * at the end began inside the phase, so all its CPU counts.
     */
    static final class Delta {
        private final Map<Long, Long> start = new HashMap<>();

        Delta(Set<Long> pids) {
            pids.forEach(p -> start.put(p, nanos(p)));
        }

        long since(Set<Long> pidsNow) {
            long sum = 0;
            Set<Long> all = new HashSet<>(pidsNow);
            all.addAll(start.keySet());
            for (long p : all) {
                long now = nanos(p);
                Long before = start.get(p);
                // a process gone by now is counted as 0: it lost what it used during the phase (rare, a pool's)
                sum += now == 0 ? 0 : now - (before == null ? 0 : before);
            }
            return sum;
        }
    }
}
