package io.dlrgate.gateway.http;

import io.netty.channel.Channel;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The Netty channel under a Vert.x HTTP connection. Vert.x 4 has no public hook for what the HTTP listener needs
 * beyond its options (a request-head deadline, lifting the idle timeout for one long-lived stream), so this is the
 * one place that reaches into its internals: every Vert.x connection is a {@link ConnectionBase}, and its HTTP/1.x
 * pipeline names its handlers {@value #IDLE} and {@value #DECODER}.
 */
final class NettyChannels {

    static final String IDLE = "idle";
    static final String DECODER = "httpDecoder";

    private NettyChannels() {
    }

    static Channel of(HttpConnection connection) {
        return ((ConnectionBase) connection).channel();
    }

    /** Removes the idle timeout from this connection (call on its event loop): for streams that must stay open. */
    static void exemptFromIdleTimeout(HttpConnection connection) {
        var pipeline = of(connection).pipeline();
        if (pipeline.get(IDLE) != null) {
            pipeline.remove(IDLE);
        }
    }
}
