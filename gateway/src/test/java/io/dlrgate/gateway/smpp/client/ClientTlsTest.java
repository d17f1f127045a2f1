package io.dlrgate.gateway.smpp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.dlrgate.config.ConnectConfig;
import io.dlrgate.gateway.testing.LogCapture;
import org.junit.jupiter.api.Test;

class ClientTlsTest {

    @Test
    void hostnameVerificationOffIsWarnedOnceNamingTheCarrier() throws Exception {
        LogCapture.Lines lines = LogCapture.during(ClientTls.class,
                () -> ClientTls.of("acme-uk", new ConnectConfig.Tls(null, false)));
        assertEquals(1, lines.events().size(), lines.messages().toString());
        assertEquals(Level.WARN, lines.events().get(0).getLevel());
        String line = lines.messages().get(0);
        assertTrue(line.contains("acme-uk") && line.contains("verify_hostname"), line);
    }

    @Test
    void hostnameVerificationOnSaysNothing() throws Exception {
        LogCapture.Lines lines = LogCapture.during(ClientTls.class,
                () -> ClientTls.of("acme-uk", new ConnectConfig.Tls(null, true)));
        assertEquals(0, lines.events().size(), lines.messages().toString());
    }
}
