package io.dlrgate.gateway.http;

import io.dlrgate.reporting.report.CsvWriter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A CSV download written as it is read: rows are gathered into chunks of about {@link #CHUNK_CHARS} and written
 * as HTTP chunks; when the connection's write queue is full the (worker) thread waits for it to drain. Memory
 * stays at a few chunks whatever the number of rows. Runs on a worker thread, never on the event loop.
 */
final class CsvStream {

    static final int CHUNK_CHARS = 32 * 1024;
    private static final long DRAIN_WAIT_SECONDS = 300;

    private final HttpServerResponse response;
    private final StringBuilder buffer = new StringBuilder(CHUNK_CHARS + 1024);
    private final CsvWriter csv = new CsvWriter(buffer);
    private volatile boolean closed;
    private volatile CompletableFuture<Void> drained;
    private long rows;

    private CsvStream(HttpServerResponse response) {
        this.response = response;
    }

    /** Starts a 200 chunked {@code text/csv} answer offered as {@code filename}, with its header row. */
    static CsvStream start(RoutingContext ctx, String filename, Object... header) {
        HttpServerResponse r = ctx.response();
        CsvStream s = new CsvStream(r);
        r.setChunked(true)
                .setStatusCode(200)
                .putHeader("Content-Type", "text/csv; charset=utf-8; header=present")
                .putHeader("Content-Disposition", "attachment; filename=\"" + filename + "\"")
                .putHeader("Cache-Control", "no-store");
        r.setWriteQueueMaxSize(256 * 1024);
        r.closeHandler(v -> {
            s.closed = true;
            CompletableFuture<Void> d = s.drained;
            if (d != null) {
                d.complete(null);
            }
        });
        s.csv.row(header);
        return s;
    }

    void row(Object... fields) throws IOException {
        csv.row(fields);
        rows++;
        if (buffer.length() >= CHUNK_CHARS) {
            flush();
        }
    }

    long rows() {
        return rows;
    }

    private void flush() throws IOException {
        if (closed) {
            throw new IOException("the client closed the connection");
        }
        if (buffer.length() == 0) {
            return;
        }
        Buffer chunk = Buffer.buffer(buffer.toString());
        buffer.setLength(0);
        response.write(chunk);
        if (response.writeQueueFull()) {
            CompletableFuture<Void> d = new CompletableFuture<>();
            drained = d;
            response.drainHandler(v -> d.complete(null));
            if (!response.writeQueueFull() || closed) {
                d.complete(null);
            }
            try {
                d.get(DRAIN_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IOException("the client stopped reading", e);
            } finally {
                drained = null;
            }
        }
    }

    void end() throws IOException {
        flush();
        response.end();
    }
}
