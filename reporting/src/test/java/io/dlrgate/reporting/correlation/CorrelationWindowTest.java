package io.dlrgate.reporting.correlation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which message with a receipt's id the receipt can be for: the horizon and causality, at their edges. */
class CorrelationWindowTest {

    static final Instant T = Instant.parse("2026-11-27T10:00:00Z");
    final CorrelationWindow w = new CorrelationWindow(Map.of("acme", Duration.ofDays(7), "off", Duration.ZERO));

    @Test
    void horizonIsInclusiveAtItsEdge() {
        assertTrue(w.belongs("acme", T, T.minus(Duration.ofDays(8)), T.minus(Duration.ofDays(7))));
        assertFalse(w.belongs("acme", T, T.minus(Duration.ofDays(8)), T.minus(Duration.ofDays(7)).minusNanos(1000)));
    }

    @Test
    void noHorizonMatchesAnyAge() {
        assertTrue(w.belongs("off", T, T.minus(Duration.ofDays(400)), T.minus(Duration.ofDays(400))));
        assertTrue(w.belongs("not-configured", T, T.minus(Duration.ofDays(400)), T.minus(Duration.ofDays(400))));
        assertEquals(Duration.ZERO, w.horizon("not-configured"));
    }

    @Test
    void aReceiptBeforeTheMessageExistedIsNotForIt() {
        assertFalse(w.belongs("off", T, T.plus(CorrelationWindow.CLOCK_SKEW).plusSeconds(1), null));
        assertTrue(w.belongs("off", T, T.plus(CorrelationWindow.CLOCK_SKEW), null), "within the clock skew");
        assertTrue(w.belongs("acme", T, T.minusSeconds(5), null), "no sent time recorded: the horizon cannot say");
    }
}
