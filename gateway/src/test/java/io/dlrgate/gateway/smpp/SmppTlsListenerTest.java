package io.dlrgate.gateway.smpp;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.EnquireLink;
import com.cloudhopper.smpp.pdu.PduResponse;
import io.dlrgate.config.BindType;
import io.dlrgate.config.SmppTlsConfig;
import io.dlrgate.config.TlsFiles;
import io.dlrgate.gateway.metrics.GatewayMetrics;
import io.dlrgate.gateway.testing.LogCapture;
import io.dlrgate.gateway.testing.TestCarrier;
import io.dlrgate.gateway.tls.ReloadingCertificate;
import io.dlrgate.gateway.tls.TestCertificates;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateExpiredException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SMPP server's TLS listener beside the plain one: carriers bind over TLS with a client that verifies the
 * gateway's certificate, traffic flows both ways, bad handshakes are closed with one line each, the limits count
 * both listeners together, and a reloaded certificate reaches new connections while old ones stay up.
 */
class SmppTlsListenerTest extends GatewayServerTestBase {

    @TempDir
    static Path dir;

    private static TestCertificates certs;
    private static TestCertificates.Issued serverCert;
    /** The files the server is configured with: tests that reload copy other certificates over them. */
    private TlsFiles served;

    @Override
    SmppTlsConfig tls() {
        if (certs == null) {
            certs = TestCertificates.in(dir);
            serverCert = certs.server("gateway");
        }
        Path test = dir.resolve("served-" + System.nanoTime());
        served = new TlsFiles(test.resolveSibling(test.getFileName() + "-cert.pem"),
                test.resolveSibling(test.getFileName() + "-key.pem"));
        serverCert.copyTo(served);
        return new SmppTlsConfig(0, served);
    }

    @Override
    Duration bindTimeout() {
        // Also the TLS handshake deadline: the first handshake of a cold JVM on a busy machine takes a while.
        return Duration.ofSeconds(5);
    }

    private TestCarrier.Builder overTls(TestCertificates trusting) {
        return TestCarrier.to(server.tlsPort()).systemId(ACME.systemId()).password(ACME.password())
                .bindType(BindType.TRANSCEIVER).tls(trusting.clientTrustingCa());
    }

    private TestCarrier bindOverTls() {
        int before = listener.bound.size();
        TestCarrier carrier = overTls(certs).bind();
        carriers.add(carrier);
        await().atMost(WAIT).until(() -> listener.bound.size() > before);
        return carrier;
    }

    @Test
    void aCarrierBindsOverTlsTakesSubmitsAndSendsReceipts() throws Exception {
        TestCarrier carrier = bindOverTls();
        assertEquals(serverCert.serial(), carrier.peerCertificate().getSerialNumber());

        await().atMost(WAIT).until(() -> server.sessions().submitCapable("acme").size() == 1);
        server.sessions().submitCapable("acme").get(0)
                .sendSubmit(SmppCarrierTrafficTest.submit("447700900123", "over tls"), 1_000);
        assertEquals("447700900123", carrier.awaitSubmits(1, WAIT).get(0).destination());
        await().atMost(WAIT).until(() -> listener.submitResponses.size() == 1);

        PduResponse resp = carrier.sendDeliverSm(TestCarrier.receipt("id:1 stat:DELIVRD"), WAIT);
        assertEquals(SmppConstants.STATUS_OK, resp.getCommandStatus());
        assertEquals(1, listener.receipts.size());
    }

    @Test
    void thePlainListenerWorksBesideIt() throws Exception {
        TestCarrier tls = bindOverTls();
        TestCarrier plain = bind(ACME, BindType.TRANSCEIVER); // ACME allows two binds: one on each listener
        assertEquals(null, plain.peerCertificate());
        assertEquals(2, server.sessions().submitCapable("acme").size());
        assertEquals(SmppConstants.STATUS_OK, plain.send(new EnquireLink(), WAIT).getCommandStatus());
        assertEquals(SmppConstants.STATUS_OK, tls.send(new EnquireLink(), WAIT).getCommandStatus());
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateFailsAndTheServerLogsOneLine() throws Exception {
        TestCertificates otherCa = TestCertificates.in(dir, "some-other-ca");
        LogCapture.Lines lines = LogCapture.during(TlsHandshakeGuard.class, () -> {
            assertThrows(RuntimeException.class, () -> overTls(otherCa).bind());
            await().atMost(WAIT).until(() -> refused(GatewayMetrics.REFUSED_TLS_HANDSHAKE) == 1);
        });
        assertEquals(1, lines.messages().size(), lines.messages()::toString);
        String line = lines.messages().get(0);
        assertTrue(line.startsWith("TLS handshake from /127.0.0.1:") && line.contains("certificate_unknown"), line);
        assertEquals(0, listener.bound.size());
    }

    @Test
    void anExpiredServerCertificateIsRefusedByAVerifyingClient() throws Exception {
        TestCertificates.Issued expired = certs.expiredServer("expired");
        SmppGatewayServer other = new SmppGatewayServer(serverConfig().withTls(new SmppTlsConfig(0, expired.files())),
                carrierConfigs(), listener, metrics(), clock);
        try {
            other.start();
            RuntimeException e = assertThrows(RuntimeException.class, () -> TestCarrier.to(other.tlsPort())
                    .systemId(ACME.systemId()).password(ACME.password()).tls(certs.clientTrustingCa()).bind());
            assertTrue(causes(e).anyMatch(c -> c instanceof CertificateExpiredException),
                    () -> "expected the client to refuse an expired certificate: " + e);
            assertEquals(0, listener.bound.size());
        } finally {
            other.stop();
        }
    }

    private static Stream<Throwable> causes(Throwable e) {
        return Stream.iterate(e, Objects::nonNull, Throwable::getCause);
    }

    @Test
    void aStalledHandshakeIsClosedAtTheBindTimeoutAndGivesItsPlaceBack() throws Exception {
        LogCapture.Lines lines = LogCapture.during(null, () -> {
            try (Socket silent = new Socket("127.0.0.1", server.tlsPort())) {
                silent.setSoTimeout((int) WAIT.plus(bindTimeout()).toMillis());
                assertEquals(-1, silent.getInputStream().read(), "the server closes a connection that never shakes hands");
            }
            await().atMost(WAIT).until(() -> refused(GatewayMetrics.REFUSED_TLS_HANDSHAKE) == 1);
        });
        // One line for that connection: the handshake's, not also PduGuard's "no bind".
        List<String> about = lines.messages().stream().filter(m -> m.contains("127.0.0.1:")).toList();
        assertEquals(1, about.size(), about::toString);
        assertTrue(about.get(0).contains("not finished within 5000 ms (smpp.bind_timeout)"), about.get(0));
        bindOverTls(); // its unbound place was given back (and a good handshake still works)
    }

    @Test
    void plainSmppOnTheTlsPortIsNamedAsSuch() throws Exception {
        LogCapture.Lines lines = LogCapture.during(TlsHandshakeGuard.class, () -> {
            try (RawSmppSocket raw = new RawSmppSocket(server.tlsPort(), null)) {
                raw.send(new EnquireLink());
                await().atMost(WAIT).until(() -> refused(GatewayMetrics.REFUSED_TLS_HANDSHAKE) == 1);
            }
        });
        assertEquals(1, lines.messages().size(), lines.messages()::toString);
        assertTrue(lines.messages().get(0).contains("not TLS (a plain SMPP client on the TLS port?)"),
                lines.messages().get(0));
    }

    @Test
    void theUnboundBudgetCountsBothListeners() throws Exception {
        List<Socket> waiting = new ArrayList<>();
        try {
            for (int i = 0; i < maxUnboundPerAddress(); i++) {
                waiting.add(new Socket("127.0.0.1", server.tlsPort())); // TLS connections that have not bound yet
            }
            try (Socket plain = new Socket("127.0.0.1", server.port())) {
                plain.setSoTimeout((int) WAIT.toMillis());
                InputStream in = plain.getInputStream();
                assertEquals(-1, in.read(), "the plain listener refuses: the address has used its unbound places");
            }
            assertEquals(1, refused(GatewayMetrics.REFUSED_MAX_UNBOUND_PER_ADDRESS));
        } finally {
            for (Socket s : waiting) {
                s.close();
            }
        }
    }

    @Test
    void aReloadedCertificateReachesNewConnectionsWhileOldOnesStayUp() throws Exception {
        TestCarrier old = bindOverTls();
        TestCertificates.Issued renewed = certs.server("renewed");
        renewed.copyTo(served);

        assertEquals(ReloadingCertificate.Outcome.RELOADED, server.tlsCertificate().reload(false));

        TestCarrier fresh = bindOverTls();
        assertEquals(renewed.serial(), fresh.peerCertificate().getSerialNumber());
        assertEquals(serverCert.serial(), old.peerCertificate().getSerialNumber());
        assertEquals(SmppConstants.STATUS_OK, old.send(new EnquireLink(), WAIT).getCommandStatus());
        assertTrue(old.isBound());
    }

    @Test
    void aBrokenNewFileKeepsTheOldCertificate() throws Exception {
        TestCertificates.Issued other = certs.server("half-renewed");
        Files.copy(other.files().key(), served.key(), StandardCopyOption.REPLACE_EXISTING);

        LogCapture.Lines lines = LogCapture.during(ReloadingCertificate.class, () ->
                assertEquals(ReloadingCertificate.Outcome.KEPT_OLD, server.tlsCertificate().reload(false)));
        assertEquals(1, lines.messages().size(), lines.messages()::toString);
        assertTrue(lines.messages().get(0).contains("does not belong to the certificate"), lines.messages().get(0));
        // Polled again unchanged: not logged again.
        LogCapture.Lines again = LogCapture.during(ReloadingCertificate.class, () ->
                assertEquals(ReloadingCertificate.Outcome.KEPT_OLD, server.tlsCertificate().reload(false)));
        assertEquals(List.of(), again.messages());

        assertEquals(serverCert.serial(), bindOverTls().peerCertificate().getSerialNumber());
    }
}
