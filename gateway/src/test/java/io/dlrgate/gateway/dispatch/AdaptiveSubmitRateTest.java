package io.dlrgate.gateway.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The rate arithmetic on its own: halve once per overload, give back 1% of the maximum per accepted submit. */
class AdaptiveSubmitRateTest {

    @Test
    void aWindowOfThrottledAnswersToOneRateHalvesItOnce() {
        AdaptiveSubmitRate r = new AdaptiveSubmitRate(200);
        long writtenAtFullRate = r.generation();
        assertTrue(r.throttled(writtenAtFullRate));
        for (int i = 0; i < 49; i++) {
            assertFalse(r.throttled(writtenAtFullRate), "the rest of the window went out at the old rate");
        }
        assertEquals(100, r.perSecond());
        assertTrue(r.throttled(r.generation()), "a submit written at the new rate throttled: halve again");
        assertEquals(50, r.perSecond());
    }

    @Test
    void fiftyAcceptedSubmitsBringHalfTheRateBackAndNoFurther() {
        AdaptiveSubmitRate r = new AdaptiveSubmitRate(1000);
        r.throttled(r.generation());
        for (int i = 0; i < 49; i++) {
            r.accepted();
        }
        assertEquals(990, r.perSecond(), 1e-9);
        r.accepted();
        r.accepted();
        assertEquals(1000, r.perSecond());
    }

    @Test
    void neverBelowOneSubmitASecond() {
        AdaptiveSubmitRate r = new AdaptiveSubmitRate(100);
        for (int i = 0; i < 20; i++) {
            r.throttled(r.generation());
        }
        assertEquals(1, r.perSecond());
        AdaptiveSubmitRate slow = new AdaptiveSubmitRate(1);
        slow.throttled(slow.generation());
        assertEquals(1, slow.perSecond(), "a carrier configured at 1/s stays at it");
    }
}
