package io.dlrgate.gateway.smpp.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.ssl.SslConfiguration;
import io.dlrgate.gateway.smpp.SessionDirection;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.LogCapture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outbound binds over TLS, against an SMSC whose certificate is made at run time with the JDK's keytool (no key
 * material in the repository): trusted through {@code connect.tls.trust} it binds and carries traffic; not trusted
 * (the JDK's default trust store) it fails with one line naming the carrier and the TLS reason.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SmppClientTlsTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String STORE_PASSWORD = "changeit";

    @TempDir
    static Path dir;
    static Path keyStore;
    static Path certificate;
    /** A certificate for another host: trusted, but it does not name 127.0.0.1. */
    static Path otherKeyStore;
    static Path otherCertificate;

    TestSmsc smsc;
    GatewayHarness gw;

    @BeforeAll
    static void makeCertificates() throws Exception {
        keyStore = dir.resolve("smsc.p12");
        certificate = dir.resolve("smsc.pem");
        makeCertificate(keyStore, certificate, "ip:127.0.0.1,dns:localhost");
        otherKeyStore = dir.resolve("other.p12");
        otherCertificate = dir.resolve("other.pem");
        makeCertificate(otherKeyStore, otherCertificate, "dns:smsc.elsewhere.example");
    }

    private static void makeCertificate(Path store, Path pem, String san) throws Exception {
        keytool("-genkeypair", "-alias", "smsc", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=smsc", "-ext", "san=" + san, "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "smsc", "-keystore", store.toString(), "-storepass",
                STORE_PASSWORD, "-file", pem.toString());
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "keytool failed: " + out);
    }

    private static SslConfiguration serverTls() {
        return serverTls(keyStore);
    }

    private static SslConfiguration serverTls(Path store) {
        SslConfiguration ssl = new SslConfiguration();
        ssl.setKeyStorePath(store.toString());
        ssl.setKeyStoreType("PKCS12");
        ssl.setKeyStorePassword(STORE_PASSWORD);
        ssl.setKeyManagerPassword(STORE_PASSWORD);
        return ssl;
    }

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
        if (smsc != null) {
            smsc.close();
        }
    }

    @Test
    void bindsAndCarriesTrafficWhenTheCertificateIsTrusted() throws Exception {
        smsc = new TestSmsc("acme", "secret", 0, serverTls());
        gw = GatewayHarness.start(SmppClientTest.carrier(smsc.port(), "secret",
                "tls: {trust: \"" + certificate + "\", verify_hostname: true}"));
        await().atMost(WAIT).until(() -> gw.gateway().smpp().sessions().sessions("smsc-uk").stream()
                .anyMatch(s -> s.direction() == SessionDirection.OUT && s.isBound()));
        gw.sendSingle(SmppClientTest.TO, "over TLS", null);
        await().atMost(WAIT).until(() -> gw.count("select count(*) from messages where tab = 'delivered'") == 1);
    }

    @Test
    void anUntrustedCertificateGivesOneClearLineNamingTheCarrierAndTheReason() throws Exception {
        smsc = new TestSmsc("acme", "secret", 0, serverTls());
        LogCapture.Lines lines = LogCapture.during(null, () -> {
            gw = GatewayHarness.start(SmppClientTest.carrier(smsc.port(), "secret", "tls: true",
                    "reconnect: {min: 1s, max: 10s}"));
            await().atMost(WAIT).until(() -> gw.gateway().smppClient().attemptsTo("smsc-uk") >= 1
                    && gw.get("/metrics").body().contains(
                    "dlrgate_smpp_connect_failures_total{carrier=\"smsc-uk\",reason=\"tls\"} 1.0"));
        });
        List<String> tls = lines.messages().stream().filter(m -> m.contains("TLS handshake failed")).toList();
        assertEquals(1, tls.size(), lines.messages().toString());
        assertTrue(tls.get(0).contains("smsc-uk") && tls.get(0).contains("(TLS)"), tls.get(0));
        assertTrue(tls.get(0).toLowerCase().contains("certification path") || tls.get(0).contains("PKIX"), tls.get(0));
        lines.events().forEach(e -> assertNull(e.getThrowableProxy(), "no stack trace: " + e.getLoggerName() + " "
                + e.getFormattedMessage()));
        assertEquals(0, smsc.bindAttempts.get(), "nothing was sent before the handshake");
    }

    @Test
    void aCertificateForAnotherHostIsRefusedUnlessHostnameVerificationIsOff() throws Exception {
        smsc = new TestSmsc("acme", "secret", 0, serverTls(otherKeyStore));
        LogCapture.Lines lines = LogCapture.during(BindKeeper.class, () -> {
            gw = GatewayHarness.start(SmppClientTest.carrier(smsc.port(), "secret",
                    "tls: {trust: \"" + otherCertificate + "\"}", "reconnect: {min: 1s, max: 10s}"));
            await().atMost(WAIT).until(() -> lines(gw));
        });
        assertTrue(lines.messages().stream().anyMatch(m -> m.contains("TLS handshake failed")
                && m.contains("127.0.0.1")), lines.messages().toString());
        assertEquals(0, smsc.bindAttempts.get());
        gw.close();

        gw = GatewayHarness.start(SmppClientTest.carrier(smsc.port(), "secret",
                "tls: {trust: \"" + otherCertificate + "\", verify_hostname: false}"));
        await().atMost(WAIT).until(() -> smsc.bindAttempts.get() == 1 && gw.gateway().smpp().sessions()
                .sessions("smsc-uk").stream().anyMatch(s -> s.isBound()));
    }

    @Test
    void aReplacedTrustFileIsUsedForTheNextBindsWithoutARestart() throws Exception {
        // The SMSC moves to a new certificate (another key); the operator replaces the trust file and sends SIGHUP.
        Path newStore = dir.resolve("renewed.p12");
        Path newCertificate = dir.resolve("renewed.pem");
        makeCertificate(newStore, newCertificate, "ip:127.0.0.1,dns:localhost");
        Path trust = dir.resolve("trust.pem");
        java.nio.file.Files.copy(certificate, trust, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        smsc = new TestSmsc("acme", "secret", 0, serverTls());
        int port = smsc.port();
        gw = GatewayHarness.start(SmppClientTest.carrier(port, "secret", "tls: {trust: \"" + trust + "\"}",
                "reconnect: {min: 200ms, max: 1s}"));
        await().atMost(WAIT).until(() -> bound(gw));

        java.nio.file.Files.copy(newCertificate, trust, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertTrue(gw.gateway().reloadCertificates()); // what SIGHUP calls
        smsc.close();
        smsc = new TestSmsc("acme", "secret", port, serverTls(newStore));
        await().atMost(WAIT).until(() -> smsc.bindAttempts.get() >= 1 && bound(gw));
    }

    @Test
    void aClientCertificateIsPresentedToAnSmscThatRequiresOne() throws Exception {
        // The SMSC requires a client certificate from the CA below (mutual TLS).
        io.dlrgate.gateway.tls.TestCertificates esmeCa = io.dlrgate.gateway.tls.TestCertificates.in(dir, "esme-ca");
        io.dlrgate.config.TlsFiles mine = esmeCa.server("esme").files();
        Path trustStore = dir.resolve("esme-ca-" + System.nanoTime() + ".p12");
        keytool("-importcert", "-noprompt", "-alias", "esme-ca", "-file", esmeCa.caFile().toString(),
                "-storetype", "PKCS12", "-keystore", trustStore.toString(), "-storepass", STORE_PASSWORD);
        SslConfiguration tls = serverTls();
        tls.setNeedClientAuth(true);
        tls.setTrustStorePath(trustStore.toString());
        tls.setTrustStoreType("PKCS12");
        tls.setTrustStorePassword(STORE_PASSWORD);
        smsc = new TestSmsc("acme", "secret", 0, tls);

        gw = GatewayHarness.start(SmppClientTest.carrier(smsc.port(), "secret", "tls: {trust: \"" + certificate
                + "\", cert: \"" + mine.cert() + "\", key: \"" + mine.key() + "\"}"));
        await().atMost(WAIT).until(() -> bound(gw));
        gw.close();

        // Without it, the handshake fails and the SMSC never sees a bind.
        LogCapture.Lines lines = LogCapture.during(BindKeeper.class, () -> {
            gw = GatewayHarness.start(SmppClientTest.carrier(smsc.port(), "secret",
                    "tls: {trust: \"" + certificate + "\"}", "reconnect: {min: 1s, max: 10s}"));
            // (TLS 1.3: the refusal may come after the client's handshake, as the bind is read: either way no bind)
            await().atMost(WAIT).until(() -> gw.gateway().smppClient().attemptsTo("smsc-uk") >= 2 && !bound(gw));
        });
        assertEquals(1, smsc.bindAttempts.get(), "only the bind with the certificate: " + lines.messages());
    }

    private static boolean bound(GatewayHarness gw) {
        return gw.gateway().smpp().sessions().sessions("smsc-uk").stream()
                .anyMatch(s -> s.direction() == SessionDirection.OUT && s.isBound());
    }

    private static boolean lines(GatewayHarness gw) throws Exception {
        return gw.get("/metrics").body().contains(
                "dlrgate_smpp_connect_failures_total{carrier=\"smsc-uk\",reason=\"tls\"} 1.0");
    }
}
