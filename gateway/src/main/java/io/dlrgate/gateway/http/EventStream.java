package io.dlrgate.gateway.http;

import io.dlrgate.gateway.events.EventBroadcast;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/v1/events}, server-sent events: {@code queued} and {@code tabs} events for what any instance on
 * the store queued and moved between tabs, and {@code resync} when some may have been lost (see EventBroadcast).
 * The stream is exempt from {@code http.idle_timeout} (it may be quiet for hours) but sends a comment
 * every {@link #HEARTBEAT_MILLIS} ms instead, so a dead client shows up as a failed write; a failed write, or a
 * client whose write queue is still full at a heartbeat (it stopped reading), closes the connection. Runs on the
 * event loop: it only relays what the event bus hands it.
 */
final class EventStream implements Handler<RoutingContext> {

    static final long HEARTBEAT_MILLIS = 15_000;

    private final Vertx vertx;

    EventStream(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public void handle(RoutingContext ctx) {
        NettyChannels.exemptFromIdleTimeout(ctx.request().connection());
        HttpServerResponse resp = ctx.response();
        resp.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-store").putHeader("X-Accel-Buffering", "no");
        send(ctx, "retry: 2000\n: connected\n\n");
        boolean[] missed = {false}; // events dropped for a client that reads too slowly: it is told to reload
        var consumer = vertx.eventBus().<String>consumer(EventBroadcast.ADDRESS, m -> {
            if (resp.closed()) {
                return;
            }
            if (resp.writeQueueFull()) {
                missed[0] = true;
                return;
            }
            if (missed[0]) {
                missed[0] = false;
                send(ctx, "event: resync\ndata: {\"type\":\"resync\"}\n\n");
            }
            send(ctx, "event: " + m.headers().get(EventBroadcast.TYPE) + "\ndata: " + m.body() + "\n\n");
        });
        long timer = vertx.setPeriodic(HEARTBEAT_MILLIS, t -> {
            if (resp.writeQueueFull()) {
                ctx.request().connection().close(); // not read for a whole heartbeat: it may never read again
            } else if (!resp.closed()) {
                send(ctx, ": keep-alive\n\n");
            }
        });
        resp.closeHandler(v -> {
            consumer.unregister();
            vertx.cancelTimer(timer);
        });
    }

    private static void send(RoutingContext ctx, String text) {
        ctx.response().write(text).onFailure(e -> ctx.request().connection().close());
    }
}
