package io.dlrgate.gateway.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.BindTransceiver;
import io.dlrgate.config.BindType;
import io.dlrgate.config.CarrierConfig;
import io.dlrgate.gateway.metrics.GatewayMetrics;
import io.dlrgate.gateway.security.FailureThrottle;
import io.dlrgate.gateway.testing.MutableClock;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What a failed bind costs, in the time of an injected clock: the growing delay of its answer, the lockout of its
 * source address, and the guessing rate that leaves. The same gate over real SMPP: {@link SmppBindThrottleTest}.
 */
class BindGateTest {

    private static final CarrierConfig ACME = GatewayServerTestBase.ACME;
    private static final CarrierConfig RX_ONLY = GatewayServerTestBase.RX_ONLY;
    private static final CarrierConfig FENCED = GatewayServerTestBase.FENCED;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AtomicInteger lockouts = new AtomicInteger();
    private final BindGate gate = new BindGate(new CarrierAuthenticator(List.of(ACME, RX_ONLY, FENCED)),
            new FailureThrottle(FailureThrottle.Policy.of(10, Duration.ofMinutes(1), Duration.ofMinutes(5)), clock),
            "dlrgate", new GatewayMetrics() {
                @Override
                public void bindLockout() {
                    lockouts.incrementAndGet();
                }
            });

    private static BindTransceiver bind(String systemId, String password) {
        BindTransceiver b = new BindTransceiver();
        b.setSystemId(systemId);
        b.setPassword(password);
        return b;
    }

    private BindGate.Verdict check(String from, String systemId, String password) throws Exception {
        return gate.check(bind(systemId, password), InetAddress.getByName(from), null);
    }

    private BindGate.Refused refused(String from, String systemId, String password, int status) throws Exception {
        BindGate.Refused r = assertInstanceOf(BindGate.Refused.class, check(from, systemId, password));
        assertEquals(status, r.response().getCommandStatus());
        assertEquals("dlrgate", r.response().getSystemId());
        return r;
    }

    @Test
    void aWrongPasswordIsAnsweredLaterEachTimeUpToFiveSeconds() throws Exception {
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            delays.add(refused("10.0.0.1", "acme", "guess" + i, SmppConstants.STATUS_INVPASWD).delay().toMillis());
            clock.advance(Duration.ofSeconds(10)); // slower than 10 a minute: no lockout
        }
        assertEquals(List.of(100L, 200L, 400L, 800L, 1_600L, 3_200L, 5_000L, 5_000L), delays);
    }

    @Test
    void unknownSystemIdsAndForeignAddressesCountAsGuessesToo() throws Exception {
        refused("10.0.0.1", "nobody", "x", SmppConstants.STATUS_INVSYSID);
        assertEquals(200, refused("10.0.0.1", "nobody", "y", SmppConstants.STATUS_INVSYSID).delay().toMillis());
        refused("192.168.0.1", "fenced", "pw", SmppConstants.STATUS_BINDFAIL);
        assertEquals(200, refused("192.168.0.1", "fenced", "pw", SmppConstants.STATUS_BINDFAIL).delay().toMillis());
    }

    @Test
    void theRightCredentialsWithAWrongBindTypeCostNothing() throws Exception {
        // A carrier's configuration matter, not a guess: answered at once, counted nowhere.
        for (int i = 0; i < 20; i++) {
            BindGate.Refused r = refused("10.0.0.1", "rxonly", "pw", SmppConstants.STATUS_BINDFAIL);
            assertEquals(Duration.ZERO, r.delay());
        }
        assertEquals(0, lockouts.get());
    }

    @Test
    void tenFailuresInAMinuteLockTheAddressOutButNoOtherAddress() throws Exception {
        for (int i = 0; i < 10; i++) {
            refused("10.0.0.1", "acme", "guess" + i, SmppConstants.STATUS_INVPASWD);
        }
        assertEquals(1, lockouts.get(), "the lockout is counted");
        // Locked out: even the right password is refused, at once, without being checked.
        BindGate.Refused locked = refused("10.0.0.1", "acme", "secret", SmppConstants.STATUS_BINDFAIL);
        assertEquals(Duration.ZERO, locked.delay());
        assertEquals(1, lockouts.get(), "counted once per lockout, however many binds it refuses");
        // Another address binds at once.
        assertSame(ACME, assertInstanceOf(BindGate.Accepted.class, check("10.0.0.2", "acme", "secret")).carrier());
        clock.advance(Duration.ofMinutes(5));
        assertSame(ACME, assertInstanceOf(BindGate.Accepted.class, check("10.0.0.1", "acme", "secret")).carrier(),
                "the lockout is over");
    }

    @Test
    void aSuccessfulBindForgetsTheFailures() throws Exception {
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 9; i++) {
                refused("10.0.0.1", "acme", "typo" + i, SmppConstants.STATUS_INVPASWD);
            }
            assertInstanceOf(BindGate.Accepted.class, check("10.0.0.1", "acme", "secret"));
        }
        assertEquals(0, lockouts.get());
        assertEquals(100, refused("10.0.0.1", "acme", "typo", SmppConstants.STATUS_INVPASWD).delay().toMillis(),
                "the delay starts afresh");
    }

    /**
     * 1,000 wrong passwords from one address, as fast as the gateway lets them be tried, in the clock's time. The
     * fastest guesser does not wait for its answers (it has its unbound connections all guessing at once): only
     * lockouts slow it down. A guesser on one connection waits for each answer as well.
     */
    @Test
    void aThousandWrongPasswordsFromOneAddressTakeFarLongerThanAHundredSeconds() throws Exception {
        Duration parallel = timeFor1000Guesses(false);
        Duration sequential = timeFor1000Guesses(true);
        System.out.printf("1,000 wrong passwords from one address: %s (%.3f guesses/s) not waiting for answers, "
                        + "%s (%.3f guesses/s) one at a time%n", parallel, 1000.0 / parallel.toSeconds(), sequential,
                1000.0 / sequential.toSeconds());
        assertTrue(parallel.compareTo(Duration.ofSeconds(100)) > 0, parallel.toString());
        assertTrue(sequential.compareTo(parallel) > 0, sequential.toString());
    }

    private Duration timeFor1000Guesses(boolean waitsForAnswers) throws Exception {
        String from = waitsForAnswers ? "10.0.0.3" : "10.0.0.4";
        Instant start = clock.instant();
        int guesses = 0;
        while (guesses < 1_000) {
            BindGate.Refused r = assertInstanceOf(BindGate.Refused.class, check(from, "acme", "guess" + guesses));
            if (r.response().getCommandStatus() == SmppConstants.STATUS_INVPASWD) {
                guesses++; // a password checked
                if (waitsForAnswers) {
                    clock.advance(r.delay());
                }
            } else {
                clock.advance(Duration.ofSeconds(1)); // locked out: nothing is checked; try again a second later
            }
        }
        return Duration.between(start, clock.instant());
    }
}
