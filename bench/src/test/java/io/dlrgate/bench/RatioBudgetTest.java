package io.dlrgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The stored/raw CPU budget printed by {@code bench receipts}: arithmetic on the two phases' CPU figures. */
class RatioBudgetTest {

    private static final long MICRO = 1_000;

    @Test
    void budgetIsTwoThirdsOfTheRawCpuAtSixtyPercent() {
        // Raw: 1,000 receipts at 30 µs each; stored: 1,000 at 60 µs, 20 of them PostgreSQL's.
        CpuMonitor.Figures raw = new CpuMonitor.Figures(20_000 * MICRO, 9_000 * MICRO, 1_000 * MICRO, 0, 0);
        CpuMonitor.Figures stored = new CpuMonitor.Figures(20_000 * MICRO, 17_000 * MICRO, 3_000 * MICRO, 0,
                20_000 * MICRO);
        RatioBudget b = RatioBudget.of(raw, 1_000, stored, 1_000);

        assertEquals(30.0, b.rawMicros(), 1e-9);
        assertEquals(60.0, b.storedMicros(), 1e-9);
        assertEquals(20.0, b.allowedOverheadMicros(0.60), 1e-9);
        assertEquals(30.0, b.overheadMicros(), 1e-9);
        assertEquals(0.5, b.cpuBoundRatio(), 1e-9);
        String line = b.describe(0.60, 0.45);
        assertTrue(line.contains("add 20.0 µs") && line.contains("added 30.0 µs")
                && line.contains("PostgreSQL 20.0, gateway and JVM 10.0") && line.contains("CPU-bound ratio 50.0%")
                && line.contains("measured 45.0%"), line);
    }

    @Test
    void perReceiptFiguresUseEachPhasesOwnCount() {
        CpuMonitor.Figures raw = new CpuMonitor.Figures(3_000 * MICRO, 0, 0, 0, 0);
        CpuMonitor.Figures stored = new CpuMonitor.Figures(3_000 * MICRO, 0, 0, 0, 3_000 * MICRO);
        RatioBudget b = RatioBudget.of(raw, 100, stored, 200);
        assertEquals(30.0, b.rawMicros(), 1e-9);
        assertEquals(30.0, b.storedMicros(), 1e-9);
        assertEquals(15.0, b.postgresMicros(), 1e-9);
    }

    @Test
    void unreadablePostgresCpuIsLeftOutAndSaidSo() {
        CpuMonitor.Figures raw = new CpuMonitor.Figures(10_000 * MICRO, 0, 0, 0, -1);
        CpuMonitor.Figures stored = new CpuMonitor.Figures(20_000 * MICRO, 0, 0, 0, -1);
        RatioBudget b = RatioBudget.of(raw, 1_000, stored, 1_000);
        assertEquals(10.0, b.rawMicros(), 1e-9, "the -1 marker is not counted as CPU");
        assertEquals(20.0, b.storedMicros(), 1e-9);
        assertTrue(b.describe(0.60, 0.5).contains("PostgreSQL n/a"));
    }

    @Test
    void aimOutsideZeroToOneIsRefused() {
        RatioBudget b = new RatioBudget(30, 60, 20);
        assertThrows(IllegalArgumentException.class, () -> b.allowedOverheadMicros(0));
        assertThrows(IllegalArgumentException.class, () -> b.allowedOverheadMicros(1.5));
    }
}
