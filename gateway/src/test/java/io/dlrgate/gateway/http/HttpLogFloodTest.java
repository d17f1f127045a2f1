package io.dlrgate.gateway.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dlrgate.gateway.logging.LogRateLimit;
import io.dlrgate.gateway.testing.GatewayHarness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Malformed HTTP from an unauthenticated peer writes few one-line warnings, not a stack trace per request. */
class HttpLogFloodTest {

    static final int FLOOD = 100;
    static GatewayHarness gw;

    @BeforeAll
    static void up() throws Exception {
        gw = GatewayHarness.start("""
                carriers:
                  - {id: alpha, system_id: alpha, password: alpha-pw, prefixes: ["+44"]}
                """);
    }

    @AfterAll
    static void down() {
        gw.close();
    }

    @Test
    void malformedChunksWriteAtMost25WarningsAndNoStackTrace() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        root.addAppender(lines);
        long start = System.nanoTime();
        try {
            for (int i = 0; i < FLOOD; i++) {
                try (RawHttp conn = new RawHttp(gw.gateway().httpPort())) {
                    conn.send("POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                            + "\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n{}\r\n0\r\n\r\n");
                    conn.closedByServerWithin(Duration.ofSeconds(5));
                }
            }
        } finally {
            root.detachAppender(lines);
        }
        List<ILoggingEvent> logged;
        synchronized (lines) {
            logged = List.copyOf(lines.list);
        }
        long warnings = logged.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).count();
        // At most 25 when the flood is shorter than one window (it takes a second or two); a slower machine may
        // cross into more of them, each with its own few lines.
        long windows = (System.nanoTime() - start) / LogRateLimit.DEFAULT_WINDOW.toNanos() + 2;
        long allowed = Math.max(25, windows * MalformedRequests.LINES_PER_WINDOW);
        System.out.printf("%d malformed requests: %d lines logged (at most %d allowed)%n", FLOOD, warnings, allowed);
        assertTrue(warnings <= allowed, warnings + " lines logged for " + FLOOD + " malformed requests");
        assertTrue(logged.stream().noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)),
                "malformed requests logged as ERROR");
        assertTrue(logged.stream().noneMatch(e -> e.getThrowableProxy() != null), "a stack trace was logged");
    }
}
