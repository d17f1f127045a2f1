package io.dlrgate.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The application's end of Kannel's delivery reports: smsbox calls each message's dlr-url
 * ({@code /dlr?ref=NUMBER&type=%d}) here, on a free loopback port. Records the final report of each number
 * (Kannel's report type is a bit mask: 1 delivered, 2 not delivered, and EXPIRED comes as 34, so a report is final
 * when {@code type & 3} is set) and when the last one came.
 */
final class DlrReceiver implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService pool;
    /** number -> type of its final report; a second final for the same number counts as a duplicate. */
    final Map<String, Integer> finals = new ConcurrentHashMap<>();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong intermediates = new AtomicLong();
    volatile long lastFinalNanos;

    DlrReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "bench-dlr-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/dlr", ex -> {
            String ref = null;
            int type = 0;
            String q = ex.getRequestURI().getRawQuery();
            for (String kv : q == null ? new String[0] : q.split("&")) {
                int eq = kv.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String v = URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
                switch (kv.substring(0, eq)) {
                    case "ref" -> ref = v;
                    case "type" -> type = parse(v);
                    default -> { }
                }
            }
            if (ref != null) {
                if ((type & 3) != 0) {
                    if (finals.putIfAbsent(ref, type) != null) {
                        duplicates.incrementAndGet();
                    }
                    lastFinalNanos = System.nanoTime();
                } else {
                    intermediates.incrementAndGet();
                }
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
    }

    private static int parse(String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
