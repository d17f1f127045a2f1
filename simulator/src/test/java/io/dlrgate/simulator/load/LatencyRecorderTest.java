package io.dlrgate.simulator.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {
    @Test
    void percentilesOfAKnownDistribution() {
        LatencyRecorder r = new LatencyRecorder();
        for (int i = 1; i <= 1000; i++) {
            r.recordMicros(i * 100L); // 0.1 ms .. 100 ms
        }
        assertEquals(1000, r.count());
        assertEquals(100_000, r.maxMicros());
        // true p50 = 50,000 us, p99 = 99,000 us; reported as the upper edge of a 100 us bucket
        assertEquals(50_100, r.percentileMicros(50));
        assertEquals(99_100, r.percentileMicros(99));
        assertEquals(100_000, r.percentileMicros(100));
        assertEquals(50_050.0, r.meanMicros(), 0.001);
    }

    @Test
    void bucketEdgesNeverUnderstate() {
        long[] samples = {0, 9, 10, 999, 1_000, 1_099, 99_999, 100_000, 9_999_999, 10_000_000, 50_000_000};
        for (long v : samples) {
            int i = LatencyRecorder.index(v);
            assertTrue(LatencyRecorder.upperEdge(i) > v, "upper edge above " + v);
            if (i > 0) {
                assertTrue(LatencyRecorder.upperEdge(i - 1) <= v, "previous edge at or below " + v);
            }
        }
    }

    @Test
    void emptyAndInvalid() {
        LatencyRecorder r = new LatencyRecorder();
        assertEquals(0, r.percentileMicros(99));
        assertThrows(IllegalArgumentException.class, () -> r.percentileMicros(0));
        r.recordNanos(2_500_000);
        assertEquals(2_500, r.percentileMicros(50));
        assertEquals(2_500, r.maxMicros());
    }
}
