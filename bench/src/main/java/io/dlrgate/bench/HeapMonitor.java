package io.dlrgate.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * Heap peak of this JVM during one phase, measured two ways: a background thread samples
 * {@link MemoryMXBean#getHeapMemoryUsage()} every 50 ms (the largest sample is kept), and the JVM's own
 * per-pool peaks ({@link MemoryPoolMXBean#getPeakUsage()}, reset at {@link #start()}) are summed at the end.
 * The pool sum is an upper bound: pools need not peak at the same moment. GC counts and times are the
 * difference over the phase.
 */
final class HeapMonitor implements AutoCloseable {

    record Figures(long sampledPeakBytes, long poolPeakSumBytes, long committedPeakBytes, long maxBytes,
                   long gcCount, long gcMillis, int samples, String loadStart, String loadEnd) {

        /** The machine's 1-minute load average at the start and the end of the phase (others share the CPUs). */
        String load() {
            return loadStart + " -> " + loadEnd;
        }
    }

    /** The 1-minute load average from /proc/loadavg, or "?" where there is none. */
    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "?";
        }
    }

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).toList();
    private volatile long sampledPeak;
    private volatile long committedPeak;
    private volatile int samples;
    private long gcCount0;
    private long gcMillis0;
    private final PeriodicSampler sampler = new PeriodicSampler("heap-sampler", this::sample);
    private String loadStart = "?";

    void start() {
        loadStart = loadAverage();
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        gcCount0 = gcCount();
        gcMillis0 = gcMillis();
        sampledPeak = 0;
        committedPeak = 0;
        samples = 0;
        sampler.start();
    }

    private void sample() {
        var u = memory.getHeapMemoryUsage();
        if (u.getUsed() > sampledPeak) {
            sampledPeak = u.getUsed();
        }
        if (u.getCommitted() > committedPeak) {
            committedPeak = u.getCommitted();
        }
        samples++;
    }

    Figures stop() {
        sampler.stop();
        long poolSum = 0;
        for (MemoryPoolMXBean p : heapPools) {
            poolSum += p.getPeakUsage().getUsed();
        }
        return new Figures(sampledPeak, poolSum, committedPeak, memory.getHeapMemoryUsage().getMax(),
                gcCount() - gcCount0, gcMillis() - gcMillis0, samples, loadStart, loadAverage());
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, g.getCollectionCount());
        }
        return n;
    }

    private static long gcMillis() {
        long n = 0;
        for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, g.getCollectionTime());
        }
        return n;
    }

    static String collectors() {
        return String.join("+", ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).toList());
    }

    @Override
    public void close() {
        sampler.stop();
    }
}
