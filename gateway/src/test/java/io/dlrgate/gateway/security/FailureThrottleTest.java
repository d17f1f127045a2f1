package io.dlrgate.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailureThrottleTest {

    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final Duration LOCKOUT = Duration.ofMinutes(5);
    private static final String ADDRESS = "192.0.2.7";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T00:00:00Z"));
    private final FailureThrottle throttle = new FailureThrottle(FailureThrottle.Policy.of(10, WINDOW, LOCKOUT), clock);

    @Test
    void theDelayDoublesFromOneHundredMillisecondsUpToFiveSeconds() {
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            delays.add(throttle.recordFailure(ADDRESS, "alice").delay().toMillis());
            clock.advance(Duration.ofMinutes(1)); // slower than the lockout threshold: only the delay grows
        }
        assertEquals(List.of(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L), delays);
    }

    @Test
    void theDelayIsPerUserNameAndAddress() {
        for (int i = 0; i < 5; i++) {
            throttle.recordFailure(ADDRESS, "alice");
        }
        assertEquals(100, throttle.recordFailure(ADDRESS, "bob").delay().toMillis(), "another user from the address");
        assertEquals(100, throttle.recordFailure("198.51.100.1", "alice").delay().toMillis(), "alice elsewhere");
    }

    @Test
    void limitFailuresWithinTheWindowLockTheAddressOutForTheLockout() {
        for (int i = 0; i < 9; i++) {
            FailureThrottle.Failure f = throttle.recordFailure(ADDRESS, "user" + i);
            assertFalse(f.lockoutStarted(), "failure " + (i + 1));
            assertEquals(Duration.ZERO, f.lockedFor());
            clock.advance(Duration.ofSeconds(6)); // 9 failures in 54 s
        }
        assertEquals(Duration.ZERO, throttle.lockedFor(ADDRESS));
        FailureThrottle.Failure tenth = throttle.recordFailure(ADDRESS, "user9");
        assertTrue(tenth.lockoutStarted());
        assertEquals(LOCKOUT, tenth.lockedFor());
        assertEquals(LOCKOUT, throttle.lockedFor(ADDRESS));
        assertEquals(Duration.ZERO, throttle.lockedFor("198.51.100.1"), "another address is never held up");

        clock.advance(LOCKOUT.minusSeconds(1));
        assertEquals(Duration.ofSeconds(1), throttle.lockedFor(ADDRESS));
        FailureThrottle.Failure whileLocked = throttle.recordFailure(ADDRESS, "x");
        assertFalse(whileLocked.lockoutStarted(), "a lockout is reported once");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Duration.ZERO, throttle.lockedFor(ADDRESS));
        assertFalse(throttle.recordFailure(ADDRESS, "y").lockoutStarted(), "the count starts afresh after a lockout");
    }

    @Test
    void theWindowSlides() {
        for (int i = 0; i < 30; i++) {
            assertFalse(throttle.recordFailure(ADDRESS, "alice").lockoutStarted(), "failure " + (i + 1));
            clock.advance(Duration.ofMillis(6_700)); // any 10 in a row span 60.3 s
        }
        clock.advance(WINDOW);
        for (int i = 0; i < 9; i++) {
            throttle.recordFailure(ADDRESS, "alice");
        }
        assertTrue(throttle.recordFailure(ADDRESS, "alice").lockoutStarted(), "10 within a minute");
    }

    @Test
    void aSuccessForgetsTheAddressFailuresAndThatUsersDelayOnly() {
        throttle.recordFailure(ADDRESS, "mallory-target");
        clock.advance(Duration.ofMinutes(2)); // out of the window
        for (int i = 0; i < 9; i++) {
            throttle.recordFailure(ADDRESS, "alice");
        }
        throttle.recordSuccess(ADDRESS, "alice");
        FailureThrottle.Failure next = throttle.recordFailure(ADDRESS, "alice");
        assertEquals(100, next.delay().toMillis(), "alice's delay starts afresh");
        assertFalse(next.lockoutStarted(), "the address count starts afresh");
        assertEquals(200, throttle.recordFailure(ADDRESS, "mallory-target").delay().toMillis(),
                "a success as alice does not reset the delay for guessing another user");
    }

    @Test
    void aSuccessDoesNotLiftALockout() {
        for (int i = 0; i < 10; i++) {
            throttle.recordFailure(ADDRESS, "alice");
        }
        throttle.recordSuccess(ADDRESS, "alice");
        assertEquals(LOCKOUT, throttle.lockedFor(ADDRESS));
    }

    /**
     * Issue 12: 1,000 wrong passwords from one address take longer than 100 s. The guesser here is as fast as it can
     * be: it never waits for an answer (so the delays cost it nothing) and retries the instant a lockout ends; only
     * the lockouts hold it up. Then a patient one that waits for each answer and guesses one user.
     */
    @Test
    void aThousandWrongPasswordsFromOneAddressTakeFarLongerThanOneHundredSeconds() {
        Instant start = clock.instant();
        for (int i = 0; i < 1000; i++) {
            Duration locked = throttle.lockedFor(ADDRESS);
            if (!locked.isZero()) {
                clock.advance(locked);
            }
            throttle.recordFailure(ADDRESS, "user" + (i % 7));
        }
        Duration parallel = Duration.between(start, clock.instant());
        // 99 full lockouts of 5 minutes: 8 h 15 min.
        assertEquals(LOCKOUT.multipliedBy(99), parallel);

        MutableClock clock2 = new MutableClock(Instant.parse("2026-12-07T00:00:00Z"));
        FailureThrottle patient = new FailureThrottle(FailureThrottle.Policy.of(10, WINDOW, LOCKOUT), clock2);
        for (int i = 0; i < 1000; i++) {
            Duration locked = patient.lockedFor(ADDRESS);
            if (!locked.isZero()) {
                clock2.advance(locked);
            }
            clock2.advance(patient.recordFailure(ADDRESS, "admin").delay());
        }
        Duration sequential = Duration.between(Instant.parse("2026-12-07T00:00:00Z"), clock2.instant());
        assertTrue(sequential.compareTo(parallel) > 0, sequential + " waiting for each answer");
        System.out.printf("1,000 wrong passwords from one address: %s at best (%.3f guesses/s), %s waiting for each"
                        + " answer%n", parallel, 1000.0 / parallel.toSeconds(), sequential);
    }

    @Test
    void memoryIsBoundedByTheKeyCap() {
        FailureThrottle small = new FailureThrottle(new FailureThrottle.Policy(10, WINDOW, LOCKOUT,
                Duration.ofMillis(100), Duration.ofSeconds(5), 100), clock);
        for (int i = 0; i < 10_000; i++) {
            small.recordFailure("10.0." + (i / 256) + "." + (i % 256), "u" + i);
        }
        assertEquals(200, small.trackedKeys(), "100 addresses + 100 pairs");
    }

    @Test
    void idleEntriesAreForgotten() {
        throttle.recordFailure(ADDRESS, "alice");
        throttle.recordFailure("198.51.100.1", "bob");
        assertEquals(4, throttle.trackedKeys());
        clock.advance(WINDOW.plus(LOCKOUT).plusMillis(1));
        throttle.lockedFor("203.0.113.9");
        assertEquals(0, throttle.trackedKeys());
        assertEquals(100, throttle.recordFailure(ADDRESS, "alice").delay().toMillis(), "a quiet spell resets the delay");
    }

    @Test
    void longUserNamesAreKeyedByTheirPrefix() {
        String prefix = "a".repeat(FailureThrottle.MAX_USER_CHARS);
        throttle.recordFailure(ADDRESS, prefix + "x".repeat(10_000));
        assertEquals(200, throttle.recordFailure(ADDRESS, prefix + "y").delay().toMillis());
    }

    @Test
    void nonsensePoliciesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> FailureThrottle.Policy.of(0, WINDOW, LOCKOUT));
        assertThrows(IllegalArgumentException.class, () -> FailureThrottle.Policy.of(10, Duration.ZERO, LOCKOUT));
        assertThrows(IllegalArgumentException.class, () -> FailureThrottle.Policy.of(10, WINDOW, Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> new FailureThrottle.Policy(10, WINDOW, LOCKOUT,
                Duration.ofSeconds(5), Duration.ofSeconds(1), 10));
    }
}
