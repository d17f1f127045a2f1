package io.dlrgate.gateway.webhooks;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * Where a receiver's response body goes: counted and dropped, never kept. Past {@link #LIMIT} bytes the write fails,
 * which ends the response (and its connection): a receiver cannot keep a delivery busy by answering without end.
 */
final class DiscardedBody implements WriteStream<Buffer> {

    static final int LIMIT = 64 * 1024;

    private long bytes;

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        return this;
    }

    @Override
    public Future<Void> write(Buffer data) {
        bytes += data.length();
        return bytes > LIMIT ? Future.failedFuture("response body over " + LIMIT + " bytes")
                : Future.succeededFuture();
    }

    @Override
    public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
        Future<Void> f = write(data);
        if (handler != null) {
            handler.handle(f);
        }
    }

    @Override
    public void end(Handler<AsyncResult<Void>> handler) {
        if (handler != null) {
            handler.handle(Future.succeededFuture());
        }
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
        return this;
    }

    @Override
    public boolean writeQueueFull() {
        return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
        return this;
    }
}
