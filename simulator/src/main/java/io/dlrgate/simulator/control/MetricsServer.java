package io.dlrgate.simulator.control;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dlrgate.simulator.carrier.SimulatedCarrier;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A JDK HTTP server with only {@code GET /metrics} ({@link SimMetrics}), for {@code dlrgate-sim carrier
 * --metrics-port}. 127.0.0.1 unless told otherwise ({@code --metrics-host}, for a container whose Prometheus
 * scrapes it from another container).
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts on {@code host}:{@code port} (0: a free port). */
    public static MetricsServer start(String host, int port, Supplier<Collection<SimulatedCarrier>> carriers)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sim-metrics");
            t.setDaemon(true);
            return t;
        });
        server.createContext("/", ex -> handle(ex, carriers));
        server.setExecutor(executor);
        server.start();
        return new MetricsServer(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void handle(HttpExchange ex, Supplier<Collection<SimulatedCarrier>> carriers) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (!path.equals("/metrics")) {
                sendText(ex, 404, "not found; try GET /metrics\n", "text/plain; charset=utf-8");
            } else if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                sendText(ex, 405, "GET only\n", "text/plain; charset=utf-8");
            } else {
                sendText(ex, 200, SimMetrics.render(carriers.get()), SimMetrics.CONTENT_TYPE);
            }
        } catch (RuntimeException e) {
            sendText(ex, 500, e + "\n", "text/plain; charset=utf-8");
        }
    }

    /** Writes a text body (also used by {@link ControlServer} for its /metrics). */
    static void sendText(HttpExchange ex, int status, String body, String contentType) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
