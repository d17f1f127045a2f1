package io.dlrgate.gateway.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.testing.GatewayHarness;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An idle kept-alive connection is closed after {@code http.idle_timeout}; the live event stream is exempt. */
class HttpIdleTimeoutTest {

    static GatewayHarness gw;

    @BeforeAll
    static void up() throws Exception {
        gw = GatewayHarness.start("""
                carriers:
                  - {id: alpha, system_id: alpha, password: alpha-pw, prefixes: ["+44"]}
                """, "", "  idle_timeout: 2s\n", Clock.systemUTC());
    }

    @AfterAll
    static void down() {
        gw.close();
    }

    @Test
    void anIdleKeptAliveConnectionIsClosed() throws Exception {
        try (RawHttp conn = new RawHttp(gw.gateway().httpPort())) {
            conn.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertTrue(conn.readUntil("\"up\"", Duration.ofSeconds(10)));
            assertTrue(conn.closedByServerWithin(Duration.ofSeconds(15)), "idle connection never closed");
        }
    }

    @Test
    void theEventStreamIsExemptFromTheIdleTimeout() throws Exception {
        try (RawHttp sse = new RawHttp(gw.gateway().httpPort())) {
            sse.send("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + GatewayHarness.API_KEY + "\r\n\r\n");
            assertTrue(sse.readUntil(": connected", Duration.ofSeconds(10)));
            // Twice the idle timeout without a byte either way (the heartbeat is every 15 s): still open.
            assertFalse(sse.closedByServerWithin(Duration.ofSeconds(5)), "the event stream was closed as idle");
        }
    }
}
