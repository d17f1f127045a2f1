package io.dlrgate.gateway.http;

import io.dlrgate.gateway.logging.LogRateLimit;
import io.dlrgate.reporting.logging.LogText;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's failure handler for what a peer breaks at will: a request whose own bytes are malformed (a bad chunk
 * size in the middle of a body, a line too long) is answered 400, closed, and noted in one rate-limited WARN line;
 * a client that went away mid-request is not an error at all. Before, each such request wrote two ERROR stack traces
 * ("Unhandled exception in router"), so anyone could flood the log without credentials. Every other failure is
 * passed on, to the status error handlers or to Vert.x, which logs it in full: that is a bug of ours.
 */
final class MalformedRequests implements Handler<RoutingContext> {

    private static final Logger log = LoggerFactory.getLogger(MalformedRequests.class);
    /** Fewer than the default: a short flood of 100 requests stays within 25 lines even across two windows. */
    static final int LINES_PER_WINDOW = 10;

    private final LogRateLimit lines = new LogRateLimit(LINES_PER_WINDOW, LogRateLimit.DEFAULT_WINDOW);

    @Override
    public void handle(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure == null || failure instanceof HttpException) { // a status (413, 405, ...) the router answers
            ctx.next();
            return;
        }
        if (failure instanceof HttpClosedException) {
            return; // the client is gone: nothing to answer, nothing to report
        }
        if (ctx.request().isEnded()) {
            ctx.next(); // the request was read whole: the failure is the gateway's own
            return;
        }
        // The request's bytes failed to decode. The exception's text is Netty's, but escape it anyway: it is about
        // peer input, and a log line must never carry the peer's line breaks.
        lines.warn(log, "malformed HTTP request from {}: {} {}: {}", ctx.request().remoteAddress(),
                ctx.request().method(), failure.getClass().getSimpleName(),
                LogText.escape(failure.getMessage()));
        ApiServer.json(ctx, 400, new JsonObject().put("error", "malformed HTTP request"));
        ctx.request().connection().close();
    }
}
