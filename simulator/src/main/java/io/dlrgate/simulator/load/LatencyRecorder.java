package io.dlrgate.simulator.load;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A small fixed-bucket latency recorder (microseconds), safe for concurrent use without locks.
 *
 * <p>Buckets: 10 µs wide below 1 ms, 100 µs wide from 1 ms to 100 ms, 10 ms wide from 100 ms to 10 s, and one
 * overflow bucket. A percentile is reported as the upper edge of the bucket holding it (never below the true
 * value, at most one bucket width above it), capped by the exact maximum.
 */
public final class LatencyRecorder {
    private static final long R1_END = 1_000;        // 1 ms
    private static final long R1_STEP = 10;
    private static final long R2_END = 100_000;      // 100 ms
    private static final long R2_STEP = 100;
    private static final long R3_END = 10_000_000;   // 10 s
    private static final long R3_STEP = 10_000;
    private static final int R1_BUCKETS = (int) (R1_END / R1_STEP);
    private static final int R2_BUCKETS = (int) ((R2_END - R1_END) / R2_STEP);
    private static final int R3_BUCKETS = (int) ((R3_END - R2_END) / R3_STEP);
    private static final int BUCKETS = R1_BUCKETS + R2_BUCKETS + R3_BUCKETS + 1;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong max = new AtomicLong();
    private final AtomicLong sum = new AtomicLong();

    public void recordNanos(long nanos) {
        recordMicros(Math.max(0, nanos) / 1_000);
    }

    public void recordMicros(long micros) {
        long v = Math.max(0, micros);
        counts.incrementAndGet(index(v));
        total.incrementAndGet();
        sum.addAndGet(v);
        long m;
        while (v > (m = max.get()) && !max.compareAndSet(m, v)) {
            // retry
        }
    }

    static int index(long v) {
        if (v < R1_END) {
            return (int) (v / R1_STEP);
        }
        if (v < R2_END) {
            return R1_BUCKETS + (int) ((v - R1_END) / R2_STEP);
        }
        if (v < R3_END) {
            return R1_BUCKETS + R2_BUCKETS + (int) ((v - R2_END) / R3_STEP);
        }
        return BUCKETS - 1;
    }

    /** Upper edge (exclusive) of a bucket, in microseconds; Long.MAX_VALUE for the overflow bucket. */
    static long upperEdge(int i) {
        if (i < R1_BUCKETS) {
            return (i + 1) * R1_STEP;
        }
        if (i < R1_BUCKETS + R2_BUCKETS) {
            return R1_END + (i - R1_BUCKETS + 1) * R2_STEP;
        }
        if (i < BUCKETS - 1) {
            return R2_END + (i - R1_BUCKETS - R2_BUCKETS + 1) * R3_STEP;
        }
        return Long.MAX_VALUE;
    }

    /** The value at percentile {@code p} (0 &lt; p &lt;= 100) in microseconds; 0 when nothing was recorded. */
    public long percentileMicros(double p) {
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0,100], got " + p);
        }
        long n = total.get();
        if (n == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(p / 100.0 * n);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Math.min(upperEdge(i), max.get());
            }
        }
        return max.get();
    }

    public long count() {
        return total.get();
    }

    public long maxMicros() {
        return max.get();
    }

    public double meanMicros() {
        long n = total.get();
        return n == 0 ? 0 : (double) sum.get() / n;
    }
}
