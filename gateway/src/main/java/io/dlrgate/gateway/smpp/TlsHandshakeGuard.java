package io.dlrgate.gateway.smpp;

import io.dlrgate.gateway.logging.LogRateLimit;
import io.dlrgate.gateway.metrics.GatewayMetrics;
import io.dlrgate.reporting.logging.LogText;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Right behind the TLS listener's {@code SslHandler}, until the handshake ends: a failed or stalled handshake
 * (the SslHandler fails it after {@code smpp.bind_timeout} and closes the connection, which gives back its
 * place in the unbound budget) is logged in one line with its reason, within limits, and counted. The
 * exceptions the failure also raises are swallowed here, so that ch-smpp and {@link PduGuard} do not log it a
 * second time. Removes itself once the handshake succeeds.
 */
final class TlsHandshakeGuard extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(TlsHandshakeGuard.class);
    /** Anyone can open connections and fail handshakes: one limit for all of them. */
    private static final LogRateLimit FAILED_LINES = new LogRateLimit();
    /** Peer-controlled text (the bytes of a non-TLS record are in its message) is cut to this. */
    private static final int MAX_REASON_CHARS = 200;

    private final GatewayMetrics metrics;
    private final long timeoutMillis;
    private boolean failed;

    TlsHandshakeGuard(GatewayMetrics metrics, long timeoutMillis) {
        this.metrics = metrics;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (done.isSuccess()) {
                ctx.pipeline().remove(this);
            } else if (!failed) {
                failed = true;
                metrics.connectionRefused(GatewayMetrics.REFUSED_TLS_HANDSHAKE);
                FAILED_LINES.warn(log, "TLS handshake from {} failed: {}", ctx.channel().remoteAddress(),
                        reason(done.cause()));
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof SSLException) {
            ctx.close(); // the handshake failure event says why, once
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    private String reason(Throwable cause) {
        if (cause instanceof SslHandshakeTimeoutException) {
            return "not finished within " + timeoutMillis + " ms (smpp.bind_timeout)";
        }
        if (cause instanceof NotSslRecordException) {
            return "not TLS (a plain SMPP client on the TLS port?)";
        }
        Throwable t = cause;
        while (t.getMessage() == null && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return LogText.escape(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage(),
                MAX_REASON_CHARS);
    }
}
