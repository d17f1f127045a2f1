package io.dlrgate.gateway.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.TestCarrier;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Idle and slow HTTP clients cannot take the gateway's file descriptors: connections beyond
 * {@code http.max_connections} are closed at accept, and a request head must arrive within
 * {@code http.request_header_timeout}. The idle timeout is long here, so that only the head deadline can close
 * the slow clients (see {@link HttpIdleTimeoutTest} for the idle timeout).
 */
class HttpConnectionLimitsTest {

    static final int CAP = 50;
    static GatewayHarness gw;

    @BeforeAll
    static void up() throws Exception {
        gw = GatewayHarness.start("""
                carriers:
                  - {id: alpha, system_id: alpha, password: alpha-pw, prefixes: ["+44"]}
                """, "", "  max_connections: " + CAP + "\n  request_header_timeout: 2s\n  idle_timeout: 60s\n",
                Clock.systemUTC());
    }

    @AfterAll
    static void down() {
        gw.close();
    }

    @Test
    void moreIdleConnectionsThanTheCapLeaveSmppAndHealthWorking() throws Exception {
        List<RawHttp> idle = new ArrayList<>();
        try {
            for (int i = 0; i < CAP + 20; i++) {
                idle.add(new RawHttp(gw.gateway().httpPort()));
            }
            // The last ones were refused at accept: closed at once, long before any timeout of the listener.
            assertTrue(idle.get(idle.size() - 1).closedByServerWithin(Duration.ofSeconds(1)),
                    "a connection beyond http.max_connections is closed at accept");
            // A carrier binds while HTTP is full (bind() throws if it fails).
            TestCarrier.to(gw.smppPort()).systemId("alpha").password("alpha-pw").bind().close();
            // The idle ones are closed by the head deadline; then /health is served again.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() ->
                    gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/health")).GET()).statusCode() == 200);
        } finally {
            for (RawHttp r : idle) {
                r.close();
            }
        }
        String metrics = gw.get("/metrics").body();
        Matcher refused = Pattern.compile("(?m)^dlrgate_http_connections_refused_total (\\S+)$").matcher(metrics);
        assertTrue(refused.find(), metrics);
        assertTrue(Double.parseDouble(refused.group(1)) >= 20, "refused connections counted: " + refused.group(1));
    }

    @Test
    void aRequestHeadTrickledSlowerThanTheDeadlineIsClosed() throws Exception {
        try (RawHttp slow = new RawHttp(gw.gateway().httpPort())) {
            slow.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            // One header byte every half second, far within the idle timeout: only the head deadline can close it.
            boolean closed = false;
            for (int i = 0; i < 30 && !closed; i++) {
                try {
                    slow.send("X");
                } catch (java.io.IOException e) {
                    closed = true;
                    break;
                }
                closed = slow.closedByServerWithin(Duration.ofMillis(500));
            }
            assertTrue(closed, "a request head not complete after 15 s of trickling was never closed");
        }
    }
}
