package io.dlrgate.gateway.smpp;

import com.cloudhopper.smpp.SmppConstants;
import io.dlrgate.gateway.metrics.GatewayMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.nio.charset.StandardCharsets;

/**
 * Counts the PDUs of one carrier connection for the metrics, from the 16-byte headers of the raw frames: no
 * decoding, no allocation per PDU. Two instances per channel: one reading, right after {@link FrameGuard} (so it
 * sees whole frames, decodable or not), one writing, at the head of the pipeline (so it sees every PDU written,
 * whoever wrote it: ch-smpp's session, {@link SmppCarrierSession}, or the guards).
 *
 * <p>Bind results are counted from here too: the reading side remembers the system_id of a bind request, the
 * writing side reports it with the status of the bind_resp that answers it. That is exactly what the peer was
 * told, whichever of ch-smpp, {@link BindHandler} or {@link BoundSessionHandler} decided it.
 */
final class PduMeter extends ChannelDuplexHandler {

    private static final int RESPONSE = 0x80000000;

    private final GatewayMetrics metrics;
    private final boolean inbound;
    /** Shared by the two instances of one channel; only touched on the channel's event loop. */
    private final String[] lastBindSystemId;

    private PduMeter(GatewayMetrics metrics, boolean inbound, String[] lastBindSystemId) {
        this.metrics = metrics;
        this.inbound = inbound;
        this.lastBindSystemId = lastBindSystemId;
    }

    /** The reading and the writing meter of one channel: {@code [0]} reads, {@code [1]} writes. */
    static PduMeter[] forChannel(GatewayMetrics metrics) {
        String[] shared = new String[1];
        return new PduMeter[] {new PduMeter(metrics, true, shared), new PduMeter(metrics, false, shared)};
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (inbound && msg instanceof ByteBuf b && b.readableBytes() >= 16) {
            int at = b.readerIndex();
            int commandId = b.getInt(at + 4);
            metrics.pdu(true, commandId, b.getInt(at + 8));
            if (isBind(commandId)) {
                lastBindSystemId[0] = systemId(b, at + 16);
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (!inbound && msg instanceof ByteBuf b && b.readableBytes() >= 16) {
            int at = b.readerIndex();
            int commandId = b.getInt(at + 4);
            int status = b.getInt(at + 8);
            metrics.pdu(false, commandId, status);
            if (commandId < 0 && isBind(commandId & ~RESPONSE)) {
                metrics.bindAnswered(lastBindSystemId[0], status);
            }
        }
        ctx.write(msg, promise);
    }

    private static boolean isBind(int commandId) {
        return commandId == SmppConstants.CMD_ID_BIND_RECEIVER || commandId == SmppConstants.CMD_ID_BIND_TRANSMITTER
                || commandId == SmppConstants.CMD_ID_BIND_TRANSCEIVER;
    }

    /** The system_id C-octet string of a bind body (at most 16 octets with its NUL); only ever a map key. */
    private static String systemId(ByteBuf b, int from) {
        int end = Math.min(b.writerIndex(), from + 16);
        for (int i = from; i < end; i++) {
            if (b.getByte(i) == 0) {
                return b.toString(from, i - from, StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }
}
