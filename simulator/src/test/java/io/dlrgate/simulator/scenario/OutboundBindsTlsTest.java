package io.dlrgate.simulator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.LogCapture;
import io.dlrgate.gateway.tls.TestCertificates;
import io.dlrgate.simulator.carrier.SimulatedCarrier;
import io.dlrgate.simulator.testing.TlsFront;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outbound binds over TLS to the simulated SMSC, which sits behind a TLS terminator ({@link TlsFront}) presenting a
 * certificate made at run time: 10,000 messages land in the right tabs exactly (with the connection dropped twice
 * and 0x58 throttling on); a certificate from a CA the gateway does not trust, and an expired one from the CA it
 * trusts, each fail the bind with a line naming the carrier and the TLS reason, the SMSC never sees a bind, and the
 * gateway backs off instead of looping.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class OutboundBindsTlsTest {
    /** How long a failing gateway is watched: with a 1 s backoff doubling, a handful of attempts at most. */
    static final Duration WATCH = Duration.ofSeconds(6);
    /** A tight reconnect loop would make hundreds of attempts in {@link #WATCH}; the backoff makes about four. */
    static final int MAX_ATTEMPTS_IN_WATCH = 10;

    @TempDir
    Path dir;
    TlsFront front;

    @AfterEach
    void stop() {
        if (front != null) {
            front.close();
        }
    }

    /** A front presenting {@code cert}, and the connect blocks' tls value trusting {@code certs}' CA. */
    ScenarioGateway.Front tlsFront(int smscPort, TestCertificates trusted, TestCertificates issuer,
                                   TestCertificates.Issued cert) {
        try {
            front = new TlsFront(smscPort, cert.key(), cert.certificate(), issuer.ca());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new ScenarioGateway.Front(front.port(), "{trust: \"" + trusted.caFile() + "\"}");
    }

    @Test
    void tenThousandMessagesOverTlsLandExactlyWithTheConnectionDroppedTwiceAndThrottlingOn() throws Exception {
        TestCertificates certs = TestCertificates.in(dir);
        TestCertificates.Issued smsc = certs.server("smsc");
        String faults = OutboundBindsTenThousandTest.FAULTS;
        ScenarioGateway.SmscRun run = OutboundBindsTenThousandTest.run("over TLS, dropped twice, throttled",
                OutboundBindsTenThousandTest.scenario(faults, faults), p -> tlsFront(p, certs, certs, smsc));
        for (Map.Entry<String, SimulatedCarrier.SmscCounts> f : run.faults().entrySet()) {
            assertEquals(2, f.getValue().connectionsDropped(), f.getKey() + ": the connection dropped twice");
            assertTrue(f.getValue().rateThrottled() > 0, f.getKey() + ": the SMSC answered 0x58");
        }
        assertEquals(0, front.handshakesFailed());
        assertTrue(front.accepted() >= 3 + 4, "every session came over TLS, and came back after the drops: "
                + front.accepted());
    }

    @Test
    void aCertificateFromAnUntrustedCaFailsTheBindWithOneLineNamingTheCarrierAndThePkixReason() throws Exception {
        TestCertificates trusted = TestCertificates.in(dir);
        TestCertificates stranger = TestCertificates.in(dir, "stranger-ca");
        List<String> lines = failingBinds(p -> tlsFront(p, trusted, stranger, stranger.server("smsc")));
        assertTrue(lines.get(0).contains("PKIX") || lines.get(0).toLowerCase().contains("certification path"),
                lines.get(0));
    }

    @Test
    void anExpiredSmscCertificateFailsTheBindWithALineSayingItExpired() throws Exception {
        TestCertificates certs = TestCertificates.in(dir);
        List<String> lines = failingBinds(p -> tlsFront(p, certs, certs, certs.expiredServer("smsc")));
        String reason = lines.get(0).toLowerCase();
        assertTrue(reason.contains("certificate has expired"), lines.get(0));
    }

    /**
     * Starts a one-carrier SMSC behind the front and a gateway that binds out to it, watches for {@link #WATCH}, and
     * checks what every refused certificate must give: TLS handshake failures only, each logged on one line naming
     * the carrier (no stack trace), a metric, no bind at the SMSC, and attempts spaced by the backoff. Returns the
     * failure lines.
     */
    List<String> failingBinds(java.util.function.IntFunction<ScenarioGateway.Front> route) throws Exception {
        Scenario s = ScenarioLoader.fromYaml("""
                name: refused certificate
                role: smsc
                carriers:
                  - id: alpha
                    system_id: alpha
                    password: alpha-pw
                    prefixes: ["+44"]
                """, "tls.yaml", null);
        try (ScenarioRunner runner = new ScenarioRunner(s, "127.0.0.1", 0)) {
            runner.start(Duration.ZERO);
            ScenarioGateway.Front f = route.apply(runner.smscPort());
            GatewayHarness[] gw = new GatewayHarness[1];
            LogCapture.Lines captured = LogCapture.during(null, () -> {
                gw[0] = GatewayHarness.start(ScenarioGateway.connectYaml(s, f, ""));
                Thread.sleep(WATCH.toMillis());
            });
            try {
                long attempts = gw[0].gateway().smppClient().attemptsTo("alpha");
                String metrics = gw[0].get("/metrics").body();
                List<String> tls = captured.messages().stream().filter(m -> m.contains("TLS handshake failed"))
                        .toList();
                System.out.println("attempts in " + WATCH.toSeconds() + " s: " + attempts + ", handshakes at the "
                        + "front " + front.accepted() + "; first line: " + (tls.isEmpty() ? "none" : tls.get(0)));
                assertFalse(tls.isEmpty(), captured.messages().toString());
                assertTrue(tls.get(0).contains("alpha"), "names the carrier: " + tls.get(0));
                assertTrue(tls.size() <= attempts, "at most one line per attempt: " + tls);
                captured.events().forEach(e -> assertNull(e.getThrowableProxy(), "no stack trace: "
                        + e.getFormattedMessage()));
                assertTrue(metrics.contains("dlrgate_smpp_connect_failures_total{carrier=\"alpha\",reason=\"tls\"}"),
                        "counted by reason tls");
                assertTrue(attempts >= 1 && front.accepted() <= MAX_ATTEMPTS_IN_WATCH,
                        "backs off between attempts: " + front.accepted() + " in " + WATCH);
                assertEquals(0, runner.carriers().get("alpha").stats().bindFailures(), "no bind reached the SMSC");
                assertFalse(runner.awaitBound(Duration.ZERO), "nothing bound");
                return tls;
            } finally {
                gw[0].close();
            }
        }
    }
}
