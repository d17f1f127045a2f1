package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.fails;
import static io.dlrgate.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** http.idle_timeout, http.request_header_timeout and http.max_connections: defaults, values, refusals. */
class HttpLimitsTest {

    @Test
    void defaults() {
        HttpConfig http = load("").http();
        assertEquals(Duration.ofSeconds(30), http.idleTimeout());
        assertEquals(Duration.ofSeconds(10), http.requestHeaderTimeout());
        assertEquals(1_000, http.maxConnections());
        assertFalse(http.publicBaseUrlIsHttps());
    }

    @Test
    void givenValues() {
        HttpConfig http = load("http:\n  idle_timeout: 2m\n  request_header_timeout: 500ms\n  max_connections: 50\n"
                + "  public_base_url: https://sms.example.com\n").http();
        assertEquals(Duration.ofMinutes(2), http.idleTimeout());
        assertEquals(Duration.ofMillis(500), http.requestHeaderTimeout());
        assertEquals(50, http.maxConnections());
        assertTrue(http.publicBaseUrlIsHttps());
    }

    @Test
    void refusedValuesNameTheKey() {
        assertProblem(fails("http:\n  idle_timeout: 0s\n"), "http.idle_timeout", "positive");
        assertProblem(fails("http:\n  request_header_timeout: soon\n"), "http.request_header_timeout");
        assertProblem(fails("http:\n  max_connections: 0\n"), "http.max_connections");
    }
}
