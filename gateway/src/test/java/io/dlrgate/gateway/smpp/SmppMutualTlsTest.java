package io.dlrgate.gateway.smpp;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dlrgate.config.BindType;
import io.dlrgate.config.SmppTlsConfig;
import io.dlrgate.config.TlsFiles;
import io.dlrgate.gateway.testing.TestCarrier;
import io.dlrgate.gateway.tls.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code smpp.tls.client_auth: required}: a carrier presenting a certificate from {@code client_ca} binds; one
 * presenting none, or one from another CA, fails the handshake and never reaches the bind. A replaced
 * {@code client_ca} is followed once reloaded (SIGHUP or a file change).
 */
class SmppMutualTlsTest extends GatewayServerTestBase {

    @TempDir
    static Path dir;

    private static TestCertificates certs;

    @Override
    SmppTlsConfig tls() {
        if (certs == null) {
            certs = TestCertificates.in(dir);
        }
        TlsFiles files = certs.server("gateway").files();
        try {
            // A copy of its own: one test replaces it, and every test starts from the CA's.
            Files.copy(certs.caFile(), clientCa(), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SmppTlsConfig(0, files, SmppTlsConfig.ClientAuth.REQUIRED, clientCa());
    }

    private static Path clientCa() {
        return dir.resolve("client-ca.pem");
    }

    @Override
    Duration bindTimeout() {
        return Duration.ofSeconds(5);
    }

    private TestCarrier.Builder overTls(io.netty.handler.ssl.SslContext client) {
        return TestCarrier.to(server.tlsPort()).systemId(ACME.systemId()).password(ACME.password())
                .bindType(BindType.TRANSCEIVER).tls(client);
    }

    @Test
    void aCarrierWithACertificateFromTheClientCaBinds() {
        carriers.add(overTls(certs.clientPresenting(certs.server("carrier-acme"))).bind());
        await().atMost(WAIT).until(() -> listener.bound.size() == 1);
    }

    @Test
    void aCarrierWithoutACertificateOrWithOneFromAnotherCaNeverBinds() {
        assertThrows(RuntimeException.class, () -> overTls(certs.clientTrustingCa()).bind());
        TestCertificates stranger = TestCertificates.in(dir, "stranger-ca");
        assertThrows(RuntimeException.class,
                () -> overTls(certs.clientPresenting(stranger.server("carrier-acme"))).bind());
        assertEquals(0, listener.bound.size());
    }

    @Test
    void aReplacedClientCaIsTrustedByNewConnectionsOnceReloaded() throws Exception {
        TestCertificates newCa = TestCertificates.in(dir, "new-carriers-ca");
        Files.copy(newCa.caFile(), clientCa(), StandardCopyOption.REPLACE_EXISTING);
        server.tlsFiles().forEach(f -> f.reloadFiles(true));

        carriers.add(overTls(certs.clientPresenting(newCa.server("carrier-acme-renewed"))).bind());
        await().atMost(WAIT).until(() -> listener.bound.size() == 1);
        assertThrows(RuntimeException.class,
                () -> overTls(certs.clientPresenting(certs.server("carrier-acme"))).bind(), "the old CA is gone");
    }
}
