package io.dlrgate.gateway.smpp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static Backoff backoff(double random) {
        return new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> random);
    }

    @Test
    void doublesFromMinToMaxWithoutJitter() {
        Backoff b = backoff(0);
        long[] expected = {1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000};
        for (long e : expected) {
            assertEquals(e, b.nextMillis());
        }
    }

    @Test
    void jitterTakesOffAtMostHalfButNeverGoesBelowMin() {
        Backoff b = backoff(0.999_999);
        assertEquals(1_000, b.nextMillis(), "half of min would be shorter than min");
        assertEquals(1_000, b.nextMillis(), 1); // 2 s less up to 1 s
        assertEquals(2_000, b.nextMillis(), 1); // 4 s less up to 2 s
    }

    @Test
    void aRefusedBindWaitsAtTheSlowEndAndResetStartsOver() {
        Backoff b = backoff(0.5);
        assertEquals(45_000, b.slowestMillis());
        assertEquals(45_000, b.nextMillis(), "stays at the top");
        b.reset();
        assertEquals(1_000, b.nextMillis());
    }

    @Test
    void aSuccessfulBindStartsTheWaitsOverFromMin() {
        Backoff b = backoff(0);
        b.slowestMillis(); // a refused bind: the waits are at the slow end
        b.nextMillis();
        b.bound();
        assertEquals(1_000, b.afterSessionMillis(30_000), "a session that stayed up 30 s is followed by min");
        b.slowestMillis();
        b.bound();
        assertEquals(1_000, b.afterSessionMillis(2_000),
                "even a short session, the first in a row, is followed by min: the bind succeeded");
    }

    @Test
    void sessionsDroppedRightAfterTheirBindDoubleTheWaitAsFailuresDo() {
        Backoff b = backoff(0);
        long[] expected = {1_000, 2_000, 4_000, 8_000};
        for (long e : expected) {
            b.bound();
            assertEquals(e, b.afterSessionMillis(100));
        }
        assertEquals(16_000, b.nextMillis(), "a failed attempt after them goes on from there");
        b.bound();
        assertEquals(1_000, b.afterSessionMillis(Backoff.SHORT_SESSION_MS), "a session that lasted ends the run");
    }
}
