package io.dlrgate.gateway.http;

import io.dlrgate.config.HttpConfig;
import io.dlrgate.gateway.logging.LogRateLimit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server's connection handler: at most {@code http.max_connections} open connections (more are closed as
 * soon as they are accepted, counted and logged within a rate limit), and each admitted connection gets the
 * request-head deadline. Why: every open connection holds a file descriptor, and without a cap idle HTTP clients
 * once took all of them, so that carriers could no longer bind and the database pool could not reconnect.
 */
final class ConnectionLimiter implements Handler<HttpConnection> {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);

    private final HttpConfig config;
    private final AtomicInteger open = new AtomicInteger();
    private final Counter refused;
    /** Connections can be opened at will: one line per refusal would be a log flood of its own. */
    private final LogRateLimit refusalLines = new LogRateLimit();

    ConnectionLimiter(HttpConfig config, MeterRegistry registry) {
        this.config = config;
        this.refused = Counter.builder("dlrgate_http_connections_refused")
                .description("HTTP connections closed at accept because http.max_connections were open")
                .register(registry);
        Gauge.builder("dlrgate_http_connections_open", open, AtomicInteger::get)
                .description("open HTTP connections").register(registry);
    }

    @Override
    public void handle(HttpConnection connection) {
        if (open.incrementAndGet() > config.maxConnections()) {
            open.decrementAndGet();
            refused.increment();
            refusalLines.warn(log, "HTTP connection from {} refused: {} connections open (http.max_connections)",
                    connection.remoteAddress(), config.maxConnections());
            connection.close();
            return;
        }
        connection.closeHandler(v -> open.decrementAndGet());
        RequestHeadTimeout.install(NettyChannels.of(connection), config.requestHeaderTimeout());
    }
}
