package io.dlrgate.gateway.http;

import io.dlrgate.config.DatabaseConfig;
import io.dlrgate.config.GatewayConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's file descriptors, split between its listeners. Every connection holds one descriptor; when they ran
 * out, idle HTTP clients had taken them all and a carrier's bind, {@code /health} and the database pool failed with
 * "Too many open files". So each consumer has a cap ({@code http.max_connections}, {@code smpp.max_connections}
 * plus {@code smpp.max_unbound_connections}, {@code database.pool_size}, and with {@code database.read_url} the
 * replica's report pool and its lag probe's connection) and the caps plus a {@link #RESERVE} for the JVM itself
 * (jars, logs, event loops) must fit in the process's {@code nofile} limit: then HTTP can never take what SMPP and
 * the pools need. The SMPP caps hold for the plain and the TLS listener ({@code smpp.tls}) together: both admit
 * connections into one budget, so a second listener adds no connections to count (its listening socket is in the
 * reserve).
 *
 * <p>The limit read is the soft one as the JVM sees it: on Linux the JVM already raises its soft limit to the hard
 * limit at start ({@code -XX:+MaxFDLimit}, the default), so raising the hard limit ({@code ulimit -Hn}, the
 * container's {@code nofile} ulimit, systemd's {@code LimitNOFILE}) is what an operator does to allow more.
 */
public final class DescriptorBudget {

    private static final Logger log = LoggerFactory.getLogger(DescriptorBudget.class);
    /** Descriptors the process needs besides connections: jars, log files, epoll and wake-up pipes of its threads. */
    static final int RESERVE = 256;

    private DescriptorBudget() {
    }

    /** Thrown when the caps do not fit in the limit: the message says which figures and what to change. */
    public static final class Exceeded extends RuntimeException {
        Exceeded(String message) {
            super(message);
        }
    }

    /** Logs the limit and the split once; throws {@link Exceeded} when the caps do not fit. */
    public static void check(GatewayConfig config) {
        long limit = softLimit();
        if (limit <= 0) {
            log.info("file descriptors: limit unknown on this platform; not checked");
            return;
        }
        check(config, limit);
    }

    /** {@link #check(GatewayConfig)} against a given limit. */
    static void check(GatewayConfig config, long limit) {
        int http = config.http().maxConnections();
        int smpp = config.smpp().maxOpenConnections();
        int pool = config.database().poolSize();
        DatabaseConfig.ReadReplica replica = config.database().replica();
        // The replica's report pool, and the lag probe's connection of its own (ReportReads).
        int replicaPool = replica == null ? 0 : replica.poolSize();
        int replicaConnections = replica == null ? 0 : replicaPool + 1;
        long needed = (long) http + smpp + pool + replicaConnections + RESERVE;
        String split = "http.max_connections " + http + " + smpp.max_connections and max_unbound_connections "
                + (config.smpp().tls() == null ? "" : "(plain and TLS listeners together) ") + smpp
                + " + database.pool_size " + pool
                + (replica == null ? "" : " + database.read_url pool " + replicaPool + " and its lag probe 1")
                + " + " + RESERVE + " for the process itself = " + needed;
        if (needed > limit) {
            throw new Exceeded("the open-file limit (nofile) is " + limit + hardLimitNote() + ", fewer than " + split
                    + ": raise the limit (ulimit -Hn, the container's nofile ulimit or systemd LimitNOFILE) or lower "
                    + "http.max_connections");
        }
        log.info("file descriptors: limit {}{}; budget {}", limit, hardLimitNote(), split);
    }

    private static long softLimit() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
            return os.getMaxFileDescriptorCount();
        }
        return -1;
    }

    /** " (hard limit N)" from /proc/self/limits on Linux, else "". */
    private static String hardLimitNote() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                    return " (hard limit " + f[1] + ")";
                }
            }
        } catch (Exception e) {
            // not Linux: the soft limit is all there is to say
        }
        return "";
    }
}
