package io.dlrgate.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's CPU split: CPU burnt by a {@code bench-*} thread is the load generator's, by a {@code dlrgate-*}
 * thread the gateway's, also for threads that start and end inside the phase, and nothing is counted twice.
 */
class CpuMonitorTest {

    @Test
    void cpuIsAttributedByThreadName() throws Exception {
        CpuMonitor monitor = new CpuMonitor();
        monitor.start();
        // Both threads start after the monitor and end before it stops: the 50 ms sampling must still see them.
        Thread load = spin("bench-load-test", 300);
        Thread gateway = spin("dlrgate-test", 150);
        load.join();
        gateway.join();
        CpuMonitor.Figures f = monitor.stop();
        long ms = TimeUnit.MILLISECONDS.toNanos(1);
        // A thread's last 50 ms may be missed; 300 / 150 ms of CPU leave well over half either way.
        assertTrue(f.loadGeneratorNanos() > 150 * ms, "load generator: " + f);
        assertTrue(f.gatewayNanos() > 60 * ms, "gateway: " + f);
        assertTrue(f.loadGeneratorNanos() < 2_000 * ms && f.gatewayNanos() < 2_000 * ms, "nothing else counted: " + f);
        assertTrue(f.loadGeneratorNanos() > f.gatewayNanos(), "each to its own bucket: " + f);
    }

    @Test
    void postgresCpuIsCountedWhenTheServerWorks() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc")),
                "PostgreSQL CPU is read from /proc (Linux)");
        try (io.dlrgate.reporting.testing.TestDatabase db = io.dlrgate.reporting.testing.TestDatabase.create();
             java.sql.Connection c = db.database().connection(); java.sql.Statement s = c.createStatement()) {
            long before = CpuMonitor.postgresTicks();
            // About a second of server CPU: a local PostgreSQL's processes must show it.
            s.execute("select count(*) from generate_series(1, 20000000)");
            long after = CpuMonitor.postgresTicks();
            assertTrue(before >= 0 && after - before >= 10, "postgres ticks " + before + " -> " + after);
        }
    }

    private static Thread spin(String name, long millis) {
        Thread t = new Thread(() -> {
            // Until the thread itself has used this much CPU, so a busy machine only makes the test slower.
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long target = TimeUnit.MILLISECONDS.toNanos(millis);
            long x = 0;
            while (mx.getCurrentThreadCpuTime() < target) {
                x += System.nanoTime() % 7;
            }
            if (x == 42) {
                System.out.print("");
            }
        }, name);
        t.start();
        return t;
    }
}
