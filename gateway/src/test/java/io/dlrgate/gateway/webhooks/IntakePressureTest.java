package io.dlrgate.gateway.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Intake is saturated when the group-commit writers spend most of the time since the last look writing. */
class IntakePressureTest {

    static final long SECOND = 1_000_000_000L;

    static void commit(IntakePressure p, long nanos) {
        p.committed(List.of(), List.of(), List.of(), nanos);
    }

    @Test
    void writersBusyMostOfTheTimeAreSaturated() {
        IntakePressure p = new IntakePressure(2, 0);
        commit(p, 900_000_000L);
        commit(p, 800_000_000L); // 1.7 of 2 writer-seconds
        assertTrue(p.saturated(SECOND));
        assertEquals(0.85, p.lastShare(), 1e-9);
    }

    @Test
    void eachLookCoversOnlyTheTimeSinceThePreviousOne() {
        IntakePressure p = new IntakePressure(2, 0);
        commit(p, 2 * SECOND);
        assertTrue(p.saturated(SECOND));
        commit(p, 300_000_000L); // a calm second after a busy one
        assertFalse(p.saturated(2 * SECOND));
        assertFalse(p.saturated(3 * SECOND), "nothing written: idle");
    }

    @Test
    void onceSaturatedItTakesACalmerSecondToLetGo() {
        IntakePressure p = new IntakePressure(1, 0);
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
        IntakePressure p = new IntakePressure(2, 0);
        commit(p, SECOND);
        assertFalse(p.saturated(SECOND));
    }

    @Test
    void aLookAtTheSameInstantKeepsTheLastAnswer() {
        IntakePressure p = new IntakePressure(1, 0);
        commit(p, SECOND);
        assertTrue(p.saturated(SECOND));
        assertTrue(p.saturated(SECOND));
    }

    @Test
    void noWritersIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new IntakePressure(0, 0));
    }
}
