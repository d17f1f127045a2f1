package io.dlrgate.gateway.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.reporting.message.SubmitOutcome;
import io.dlrgate.reporting.write.ReceiptOutcome;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Intake is saturated when the group-commit writers spend most of the time since the last look writing, or when
 * their batches are large (a CPU-bound peak: the receipts pile up while the writers wait for the CPU).
 */
class IntakePressureTest {

    static final long SECOND = 1_000_000_000L;

    static void commit(IntakePressure p, long nanos) {
        p.committed(List.of(), List.of(), List.of(), nanos);
    }

    /** A batch of {@code submits} submit outcomes and no receipt, that took a millisecond to write. */
    static void submitsOnly(IntakePressure p, int submits) {
        p.committed(Collections.nCopies(submits, (SubmitOutcome) null), List.of(), List.of(), 1_000_000L);
    }

    /** A batch of {@code receipts} receipts that took a millisecond to write: the writers far from busy. */
    static void batch(IntakePressure p, int receipts) {
        p.committed(List.of(), Collections.nCopies(receipts, (ReceiptOutcome) null), List.of(), 1_000_000L);
    }

    @Test
    void writersBusyMostOfTheTimeAreSaturated() {
        IntakePressure p = new IntakePressure(2, 500, 0);
        commit(p, 900_000_000L);
        commit(p, 800_000_000L); // 1.7 of 2 writer-seconds
        assertTrue(p.saturated(SECOND));
        assertEquals(0.85, p.lastShare(), 1e-9);
    }

    @Test
    void eachLookCoversOnlyTheTimeSinceThePreviousOne() {
        IntakePressure p = new IntakePressure(2, 500, 0);
        commit(p, 2 * SECOND);
        assertTrue(p.saturated(SECOND));
        commit(p, 300_000_000L); // a calm second after a busy one
        assertFalse(p.saturated(2 * SECOND));
        assertFalse(p.saturated(3 * SECOND), "nothing written: idle");
    }

    @Test
    void onceSaturatedItTakesACalmerSecondToLetGo() {
        IntakePressure p = new IntakePressure(1, 500, 0);
        commit(p, 700_000_000L);
        assertFalse(p.saturated(SECOND), "0.7 is not enough to start yielding");
        commit(p, 900_000_000L);
        assertTrue(p.saturated(2 * SECOND));
        commit(p, 700_000_000L);
        assertTrue(p.saturated(3 * SECOND), "but enough to go on");
        commit(p, 500_000_000L);
        assertFalse(p.saturated(4 * SECOND));
    }

    @Test
    void oneWriterBusyOfTwoIsNotSaturation() {
        IntakePressure p = new IntakePressure(2, 500, 0);
        commit(p, SECOND);
        assertFalse(p.saturated(SECOND));
    }

    @Test
    void aLookAtTheSameInstantKeepsTheLastAnswer() {
        IntakePressure p = new IntakePressure(1, 500, 0);
        commit(p, SECOND);
        assertTrue(p.saturated(SECOND));
        assertTrue(p.saturated(SECOND));
    }

    @Test
    void noWritersIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new IntakePressure(0, 500, 0));
        assertThrows(IllegalArgumentException.class, () -> new IntakePressure(2, 0, 0));
    }

    /** The CPU-bound peak: the writers mostly wait (for the CPU, the batch delay), but each batch takes a pile. */
    @Test
    void largeBatchesAreSaturationWhileTheWritersAreNotBusy() {
        IntakePressure p = new IntakePressure(2, 500, 0);
        batch(p, 180);
        batch(p, 220);
        batch(p, 110);
        assertTrue(p.saturated(SECOND));
        assertEquals(170, p.lastBatchSize(), 1e-9);
        assertTrue(p.lastShare() < IntakePressure.CALM_SHARE, "saturated by the batches alone: " + p.lastShare());
    }

    /** 5,000 receipts/s on the bench machine: many small batches (30-50), however many receipts in all. */
    @Test
    void manySmallBatchesAreNotSaturation() {
        IntakePressure p = new IntakePressure(2, 500, 0);
        for (int i = 0; i < 140; i++) {
            batch(p, i % 2 == 0 ? 30 : 50);
        }
        assertFalse(p.saturated(SECOND));
        assertEquals(40, p.lastBatchSize(), 1e-9);
    }

    @Test
    void onceSaturatedByLargeBatchesSmallerOnesKeepItSoUntilTheyAreSmallEnough() {
        IntakePressure p = new IntakePressure(2, 500, 0);
        batch(p, 90);
        assertFalse(p.saturated(SECOND), "90 is not enough to start yielding");
        batch(p, IntakePressure.LARGE_BATCH);
        assertTrue(p.saturated(2 * SECOND));
        batch(p, 80);
        assertTrue(p.saturated(3 * SECOND), "but enough to go on");
        batch(p, IntakePressure.CALM_BATCH - 1);
        assertFalse(p.saturated(4 * SECOND));
    }

    @Test
    void aSecondWithNoBatchIsIdleNotSaturated() {
        IntakePressure p = new IntakePressure(2, 500, 0);
        batch(p, 400);
        assertTrue(p.saturated(SECOND));
        assertFalse(p.saturated(2 * SECOND), "nothing committed since");
        assertEquals(0, p.lastBatchSize());
    }

    @Test
    void batchesOfOnlySubmitOutcomesDoNotCount() {
        IntakePressure p = new IntakePressure(2, 500, 0);
        batch(p, 200);
        for (int i = 0; i < 10; i++) {
            submitsOnly(p, 300);
        }
        assertTrue(p.saturated(SECOND));
        assertEquals(200, p.lastBatchSize(), 1e-9);
    }

    /** With receipts.batch_size under 100, full batches are large ones. */
    @Test
    void withSmallBatchesConfiguredFullOnesAreLarge() {
        IntakePressure p = new IntakePressure(2, 40, 0);
        batch(p, 40);
        batch(p, 40);
        assertTrue(p.saturated(SECOND));
        batch(p, 28);
        assertTrue(p.saturated(2 * SECOND), "70% of a full batch keeps it");
        batch(p, 27);
        assertFalse(p.saturated(3 * SECOND));
    }
}
