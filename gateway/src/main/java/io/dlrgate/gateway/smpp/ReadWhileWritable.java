package io.dlrgate.gateway.smpp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backpressure: stops reading a connection while what we have to write to it cannot be written, and reads again
 * once it can.
 *
 * <p>Why: every PDU a peer sends (enquire_link, a receipt, garbage) earns a response. A peer that sends without
 * ever reading made the server queue those responses in memory without limit (each with its write-timeout task),
 * about 400,000 a second, bound or not: one such connection could exhaust the heap of every carrier's gateway.
 * Netty marks a channel unwritable when more than its high water mark (64 KiB by default) waits to be written;
 * from then on nothing more is read from that peer, so its own sends block in TCP instead. Other connections are
 * not affected.
 */
final class ReadWhileWritable extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ReadWhileWritable.class);

    /** Only undo what this handler did: ch-smpp also switches reading off and on around a bind. */
    private boolean pausedHere;

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Channel ch = ctx.channel();
        if (!ch.isWritable()) {
            if (ch.config().isAutoRead()) {
                ch.config().setAutoRead(false);
                pausedHere = true;
                log.debug("{} does not read its responses: reading from it paused", ch.remoteAddress());
            }
        } else if (pausedHere) {
            pausedHere = false;
            ch.config().setAutoRead(true);
            log.debug("{} reads again: reading from it resumed", ch.remoteAddress());
        }
        ctx.fireChannelWritabilityChanged();
    }
}
