package io.dlrgate.bench;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where the CPU went during one phase: this JVM's threads split into the load generator ({@code bench-*}) and the
 * gateway ({@code dlrgate-*}), the rest of the JVM (JIT compiler, GC, other threads), the JIT's own compile time,
 * and the local PostgreSQL server's processes. On a machine whose cores are all busy, a phase's rate is the
 * cores divided by the CPU per receipt, so these figures say what a receipt costs and who pays it.
 *
 * <p>Thread CPU is sampled every 50 ms (a thread that ends loses at most its last 50 ms); PostgreSQL CPU is read
 * from /proc for processes named {@code postgres} (Linux, local server only; "n/a" elsewhere).
 */
final class CpuMonitor implements AutoCloseable {

    /** CPU nanoseconds spent during the phase. {@code postgresNanos} is -1 when it could not be read. */
    record Figures(long loadGeneratorNanos, long gatewayNanos, long otherJvmNanos, long jitMillis, long postgresNanos) {

        /** All the CPU of the phase: this JVM's threads, and PostgreSQL's processes when they could be read. */
        long totalNanos() {
            return loadGeneratorNanos + gatewayNanos + otherJvmNanos + Math.max(0, postgresNanos);
        }

        /** "a / b / c / d µs" per item for {@code items} items. */
        String perItem(long items) {
            double n = Math.max(1, items);
            return String.format(java.util.Locale.ROOT, "%.1f / %.1f / %.1f / %s", loadGeneratorNanos / n / 1e3,
                    gatewayNanos / n / 1e3, otherJvmNanos / n / 1e3,
                    postgresNanos < 0 ? "n/a" : String.format(java.util.Locale.ROOT, "%.1f", postgresNanos / n / 1e3));
        }
    }

    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final Map<Long, long[]> firstAndLast = new HashMap<>();
    private final Map<Long, String> names = new HashMap<>();
    /** True between the start's baseline and the stop: a thread first seen then began inside the phase. */
    private volatile boolean running;
    private final PeriodicSampler sampler = new PeriodicSampler("cpu-sampler", this::sampleThreads);
    private long process0;
    private long jit0;
    private long postgres0;

    void start() {
        synchronized (firstAndLast) {
            firstAndLast.clear();
            names.clear();
        }
        process0 = os.getProcessCpuTime();
        jit0 = Math.max(0, jitMillisTotal());
        postgres0 = postgresTicks();
        sampleThreads();
        running = true;
        sampler.start();
    }

    Figures stop() {
        running = false;
        sampler.stop();
        return lap();
    }

    /** The figures from the start until now; the monitor goes on (a {@link #stop} later counts from the start too). */
    Figures lap() {
        sampleThreads();
        long load = 0;
        long gateway = 0;
        synchronized (firstAndLast) {
            for (Map.Entry<Long, long[]> e : firstAndLast.entrySet()) {
                long spent = e.getValue()[1] - e.getValue()[0];
                String name = names.get(e.getKey());
                if (name.startsWith("bench-")) {
                    load += spent;
                } else if (name.startsWith("dlrgate-")) {
                    gateway += spent;
                }
            }
        }
        long process = os.getProcessCpuTime() - process0;
        long jitMs = JIT.isCompilationTimeMonitoringSupported() ? jitMillisTotal() - jit0 : -1;
        long pg1 = postgresTicks();
        long pgNanos = postgres0 < 0 || pg1 < 0 ? -1 : (pg1 - postgres0) * (1_000_000_000L / TICKS_PER_SECOND);
        return new Figures(load, gateway, Math.max(0, process - load - gateway), jitMs, pgNanos);
    }

    private void sampleThreads() {
        ThreadInfo[] infos = threads.getThreadInfo(threads.getAllThreadIds());
        synchronized (firstAndLast) {
            for (ThreadInfo info : infos) {
                if (info == null) {
                    continue;
                }
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                if (cpu < 0) {
                    continue;
                }
                // A thread first seen after the start began at zero: all its CPU is the phase's.
                long[] fl = firstAndLast.computeIfAbsent(info.getThreadId(), id -> new long[] {cpu, cpu});
                if (!names.containsKey(info.getThreadId())) {
                    names.put(info.getThreadId(), info.getThreadName());
                    if (running) {
                        fl[0] = 0;
                    }
                }
                fl[1] = cpu;
            }
        }
    }

    /** Milliseconds the JIT compiler has spent in this JVM so far, or -1 where the JVM does not say. */
    static long jitMillisTotal() {
        return JIT.isCompilationTimeMonitoringSupported() ? JIT.getTotalCompilationTime() : -1;
    }

    /** Sum of user+system clock ticks of every process named postgres, or -1 when /proc cannot be read. */
    static long postgresTicks() {
        Path proc = Path.of("/proc");
        if (!Files.isDirectory(proc)) {
            return -1;
        }
        long sum = 0;
        try (Stream<Path> pids = Files.list(proc)) {
            for (Path p : (Iterable<Path>) pids::iterator) {
                String name = p.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    if (open < 0 || close < 0 || !stat.substring(open + 1, close).equals("postgres")) {
                        continue;
                    }
                    String[] f = stat.substring(close + 2).split(" ");
                    // fields after the name: state(0) ... utime(11) stime(12)
                    sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                } catch (IOException | RuntimeException e) {
                    // the process ended while we read it
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return sum;
    }

    @Override
    public void close() {
        running = false;
        sampler.stop();
    }
}
