package io.dlrgate.reporting.correlation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.reporting.retention.IdBlocks;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
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
    void theLowestIdIsTheMonthBeforeTwoHorizonsAgo() {
        CorrelationWindow weekly = new CorrelationWindow(Map.of("acme", Duration.ofDays(7), "beta", Duration.ofDays(3)));
        // Two weeks (and the clock skew) before 2026-11-27 is in November; the month before it: October's block.
        assertEquals(IdBlocks.firstIdOf(YearMonth.of(2026, 10)), weekly.lowestMessageId(T));
        assertEquals(IdBlocks.firstIdOf(YearMonth.of(2026, 9)),
                weekly.lowestMessageId(Instant.parse("2026-11-14T00:00:00Z")), "two weeks back is October");
        // A message that belongs was created within two horizons: its id is never below the bound.
        Instant created = T.minus(Duration.ofDays(14));
        assertTrue(IdBlocks.lowestIdDrawnSince(created) >= weekly.lowestMessageId(T));
    }

    @Test
    void anyCarrierWithoutAHorizonMeansEveryMonth() {
        assertEquals(Long.MIN_VALUE, w.lowestMessageId(T), "\"off\" has none");
        assertEquals(Long.MIN_VALUE, CorrelationWindow.withoutHorizon().lowestMessageId(T));
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
