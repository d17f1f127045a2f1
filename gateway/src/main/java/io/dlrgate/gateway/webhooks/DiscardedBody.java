package io.dlrgate.gateway.webhooks;

import io.vertx.core.http.HttpClientResponse;

/**
 * Where a receiver's response body goes: counted and dropped, never kept. The status has already decided the
 * delivery; past {@link #LIMIT} bytes the stream is reset (its connection closed) and the delivery is done, so a
 * receiver that answers at length neither fails a delivery it accepted nor keeps it busy by answering without end.
 */
final class DiscardedBody {

    static final int LIMIT = 64 * 1024;

    private DiscardedBody() {
    }

    /** Reads and drops {@code response}'s body; runs {@code done} at its end, past the limit, or on an error. */
    static void drain(HttpClientResponse response, Runnable done) {
        long[] bytes = {0};
        response.handler(chunk -> {
            bytes[0] += chunk.length();
            if (bytes[0] > LIMIT) {
                response.handler(null);
                done.run();
                response.request().reset();
            }
        });
        response.exceptionHandler(e -> done.run());
        response.endHandler(v -> done.run());
    }
}
