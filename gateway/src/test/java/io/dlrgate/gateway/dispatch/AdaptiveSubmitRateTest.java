package io.dlrgate.gateway.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The rate arithmetic on its own, on a clock the test steps: halve once per overload, give back 5% of the maximum
 * per second up to near the last throttle's rate, 1% per second from there.
 */
class AdaptiveSubmitRateTest {

    long now = 1_000_000_000L;

    AdaptiveSubmitRate rate(int max) {
        return new AdaptiveSubmitRate(max, () -> now);
    }

    void pass(double seconds) {
        now += (long) (seconds * TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void aWindowOfThrottledAnswersToOneRateHalvesItOnce() {
        AdaptiveSubmitRate r = rate(200);
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
    void comesBackByTimeFastToNearTheLastThrottleThenSlowly() {
        AdaptiveSubmitRate r = rate(100);
        r.throttled(r.generation()); // at 100: back to 50, slow from 90
        assertEquals(50, r.perSecond());
        pass(1);
        assertEquals(55, r.perSecond(), 1e-9, "5% of the maximum per second");
        pass(7);
        assertEquals(90, r.perSecond(), 1e-9);
        pass(5);
        assertEquals(95, r.perSecond(), 1e-9, "1% per second from 90% of the last throttle's rate");
        pass(5);
        assertEquals(100, r.perSecond(), "never above the maximum");
        pass(60);
        assertEquals(100, r.perSecond());
    }

    @Test
    void withoutThrottlesTheWholeRateComesBackAfterTheProbe() {
        AdaptiveSubmitRate r = rate(1000);
        r.throttled(r.generation()); // 1000 -> 500
        r.throttled(r.generation()); // 500 -> 250, slow from 450
        pass(4);
        assertEquals(450, r.perSecond(), 1e-9);
        pass(AdaptiveSubmitRate.PROBE_SECONDS);
        assertEquals(550, r.perSecond(), 1e-9, "probed 10 s without a throttle");
        pass(2);
        assertEquals(650, r.perSecond(), 1e-9, "the carrier takes more: fast again");
        pass(7);
        assertEquals(1000, r.perSecond());
    }

    @Test
    void aCarrierWithAFixedCapBelowTheMaximumIsThrottledOnlyNowAndThen() {
        // max_submit_rate 100 against a carrier that takes 30/s: every submit sent while the rate is above 30 is
        // throttled. Before, the rate came back 1% of the maximum per accepted submit: above 30 again within a
        // second, a throttle about every 0.7 s (some 80 a minute).
        AdaptiveSubmitRate r = rate(100);
        int throttles = 0;
        long end = now + TimeUnit.SECONDS.toNanos(60);
        double lowest = 100;
        while (now < end) {
            double perSecond = r.perSecond();
            lowest = Math.min(lowest, perSecond);
            if (perSecond > 30 && r.throttled(r.generation())) {
                throttles++;
            }
            pass(1 / perSecond);
        }
        System.out.printf("cap 30/s, max 100/s: %d throttles in 60 s, lowest rate %.1f/s%n", throttles, lowest);
        assertTrue(throttles <= 15, throttles + " throttles in a minute");
        assertTrue(lowest >= 15, "halved once per overload, not to the floor: " + lowest);
    }

    @Test
    void neverBelowOneSubmitASecond() {
        AdaptiveSubmitRate r = rate(100);
        for (int i = 0; i < 20; i++) {
            r.throttled(r.generation());
        }
        assertEquals(1, r.perSecond());
        AdaptiveSubmitRate slow = rate(1);
        slow.throttled(slow.generation());
        assertEquals(1, slow.perSecond(), "a carrier configured at 1/s stays at it");
    }
}
