package io.dlrgate.gateway.smpp;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dlrgate.config.BindType;
import io.dlrgate.config.SmppTlsConfig;
import io.dlrgate.config.TlsFiles;
import io.dlrgate.gateway.testing.TestCarrier;
import io.dlrgate.gateway.tls.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code smpp.tls.client_auth: required}: a carrier presenting a certificate from {@code client_ca} binds; one
 * presenting none, or one from another CA, fails the handshake and never reaches the bind.
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
        return new SmppTlsConfig(0, files, SmppTlsConfig.ClientAuth.REQUIRED, certs.caFile());
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
}
