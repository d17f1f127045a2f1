package io.dlrgate.gateway.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes an HTTP/1.x connection whose client does not send a complete request head in time: from the accept, and
 * again from the first byte of each next request on a kept-alive connection. The idle timeout alone does not do
 * this: a client trickling one header byte now and then is never idle, and thousands of such clients used to hold
 * every file descriptor of the process (slowloris).
 *
 * <p>Two handlers around the HTTP decoder share one deadline: the one before it sees raw bytes (a request starts),
 * the one after it sees decoded heads (the head is complete) and the end of each request. Both run on the
 * connection's event loop, so the state needs no locking.
 */
final class RequestHeadTimeout {

    private final long timeoutNanos;
    private ScheduledFuture<?> deadline;
    private boolean inRequest;

    private RequestHeadTimeout(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    /** Adds the deadline to a new connection's pipeline (on its event loop) and starts it. */
    static void install(Channel channel, Duration timeout) {
        var pipeline = channel.pipeline();
        if (pipeline.get(NettyChannels.DECODER) == null) {
            return; // not HTTP/1.x
        }
        RequestHeadTimeout t = new RequestHeadTimeout(timeout);
        pipeline.addBefore(NettyChannels.DECODER, "dlrgate-head-start", t.new Bytes());
        pipeline.addAfter(NettyChannels.DECODER, "dlrgate-head-end", t.new Heads());
        t.arm(channel);
    }

    private void arm(Channel channel) {
        deadline = channel.eventLoop().schedule(() -> {
            channel.close(); // a block, not channel::close: the scheduled task returns nothing
        }, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void disarm() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    /** Before the decoder: the first bytes of a request start its deadline. */
    private final class Bytes extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (deadline == null && !inRequest) {
                arm(ctx.channel());
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            disarm();
            ctx.fireChannelInactive();
        }
    }

    /** After the decoder: a complete head meets the deadline; the request's end lets the next one start one. */
    private final class Heads extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
                disarm();
                inRequest = true;
            }
            if (msg instanceof LastHttpContent) {
                inRequest = false;
            }
            ctx.fireChannelRead(msg);
        }
    }
}
