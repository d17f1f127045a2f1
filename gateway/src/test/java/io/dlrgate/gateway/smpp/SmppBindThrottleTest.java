package io.dlrgate.gateway.smpp;

import static io.dlrgate.gateway.smpp.RawSmppSocket.assertResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.BindTransceiver;
import com.cloudhopper.smpp.pdu.BindTransceiverResp;
import io.dlrgate.config.CarrierConfig;
import io.dlrgate.config.FailureLimits;
import io.dlrgate.gateway.testing.LogCapture;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Password guessing over real SMPP sessions: wrong passwords from one address lock that address out (ESME_RBINDFAIL
 * even for the right password), logged once; a carrier binding right from another address is never held up; the
 * lockout ends with its time. The delays and the guessing rate, in the clock's time: {@link BindGateTest}.
 */
class SmppBindThrottleTest extends GatewayServerTestBase {

    private static final int LIMIT = 3; // failures of 100, 200 and 400 ms: a short test

    @Override
    FailureLimits bindFailures() {
        return new FailureLimits(LIMIT, Duration.ofMinutes(1), Duration.ofMinutes(5));
    }

    private static int bindStatus(RawSmppSocket s, CarrierConfig carrier, String password) throws Exception {
        BindTransceiver bind = RawSmppSocket.bindTransceiver(carrier, 1);
        bind.setPassword(password);
        s.send(bind);
        BindTransceiverResp resp = (BindTransceiverResp) s.read();
        assertEquals(GATEWAY_SYSTEM_ID, resp.getSystemId());
        assertTrue(s.closedWithin(2_000), "a refused bind's connection is closed");
        return resp.getCommandStatus();
    }

    @Test
    void wrongPasswordsLockTheirAddressOutWhileACarrierBindsFromAnother() throws Exception {
        InetAddress guesser = InetAddress.getByName("127.0.0.2");
        List<String> logged = LogCapture.during(BindGate.class, () -> {
            for (int i = 0; i < LIMIT; i++) {
                try (RawSmppSocket s = new RawSmppSocket(server.port(), guesser)) {
                    assertEquals(SmppConstants.STATUS_INVPASWD, bindStatus(s, ACME, "guess" + i));
                }
            }
            assertEquals(1, lockouts.get(), "the lockout is counted");
            for (int i = 0; i < 5; i++) {
                try (RawSmppSocket s = new RawSmppSocket(server.port(), guesser)) {
                    assertEquals(SmppConstants.STATUS_BINDFAIL, bindStatus(s, ACME, ACME.password()),
                            "locked out: even the right password is refused");
                }
            }
            long start = System.nanoTime();
            try (RawSmppSocket carrier = new RawSmppSocket(server.port())) {
                carrier.bindOk(ACME);
                System.out.printf("a carrier bound from 127.0.0.1 in %.1f ms while 127.0.0.2 was locked out%n",
                        (System.nanoTime() - start) / 1e6);
            }
            clock.advance(Duration.ofMinutes(5));
            try (RawSmppSocket s = new RawSmppSocket(server.port(), guesser)) {
                s.bindOk(ACME); // the lockout is over
            }
        }).messages();
        assertEquals(1, logged.stream().filter(m -> m.contains("locked out")).count(), "logged once: " + logged);
        assertEquals(LIMIT, logged.stream().filter(m -> m.startsWith("bind refused")).count(),
                "each checked failure logged once, the binds refused during the lockout not: " + logged);
        assertEquals(1, lockouts.get());
    }

    @Test
    void aRefusedBindsAnswerWaitsWithoutHoldingUpOtherBinds() throws Exception {
        // Two guesses wait for their answers (100 and 200 ms) while the carrier binds: nothing queues behind them.
        InetAddress guesser = InetAddress.getByName("127.0.0.2");
        try (RawSmppSocket first = new RawSmppSocket(server.port(), guesser);
             RawSmppSocket second = new RawSmppSocket(server.port(), guesser);
             RawSmppSocket carrier = new RawSmppSocket(server.port())) {
            BindTransceiver wrong = RawSmppSocket.bindTransceiver(ACME, 1);
            wrong.setPassword("wrong");
            first.send(wrong);
            second.send(wrong);
            carrier.bindOk(ACME);
            assertResponse(first.read(), BindTransceiverResp.class, SmppConstants.STATUS_INVPASWD, 1);
            assertResponse(second.read(), BindTransceiverResp.class, SmppConstants.STATUS_INVPASWD, 1);
        }
    }
}
