package io.dlrgate.gateway.smpp;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.GenericNack;
import com.cloudhopper.smpp.transcoder.PduTranscoder;
import io.dlrgate.gateway.logging.LogRateLimit;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Cuts the inbound byte stream into whole PDUs before ch-smpp's decoder sees it, and refuses lengths that
 * cannot be a PDU.
 *
 * <p>Why: ch-smpp's decoder throws on a command_length under 16 without consuming the bytes (so every later
 * read fails the same way) and has no upper bound (a length of 0x7fffffff makes it buffer forever). Here a
 * length outside [16, {@link #MAX_PDU_LENGTH}] means the stream can no longer be framed: the peer gets a
 * generic_nack with ESME_RINVCMDLEN (echoing its sequence number when the header arrived whole) and the
 * connection is closed. Only this connection is affected. Each emitted frame is exactly one PDU, so a decode
 * error further up never leaves half a PDU behind.
 */
final class FrameGuard extends ByteToMessageDecoder {

    private static final Logger log = LoggerFactory.getLogger(FrameGuard.class);
    /** Once per connection, and connections can be opened at will: within limits. */
    private static final LogRateLimit CLOSING_LINES = new LogRateLimit();

    /**
     * Largest PDU accepted: a 64 KiB message_payload TLV plus headers and every other field fits easily.
     * Anything larger is garbage or an attack, not SMPP.
     */
    static final int MAX_PDU_LENGTH = 70_000;

    private final PduTranscoder transcoder;
    private boolean broken;
    /** command_id and sequence_number of the frame last handed on: the one being decoded further up. */
    private int lastCommandId;
    private int lastSequence;

    FrameGuard(PduTranscoder transcoder) {
        this.transcoder = transcoder;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes()); // closing: whatever else arrives is discarded
            return;
        }
        if (in.readableBytes() < 4) {
            return;
        }
        int length = in.getInt(in.readerIndex());
        if (length < SmppConstants.PDU_HEADER_LENGTH || length > MAX_PDU_LENGTH) {
            int sequence = in.readableBytes() >= SmppConstants.PDU_HEADER_LENGTH
                    ? in.getInt(in.readerIndex() + 12) & 0x7fffffff : 0;
            broken = true;
            in.skipBytes(in.readableBytes());
            CLOSING_LINES.warn(log,
                    "unframeable command_length {} from {}: answering generic_nack ESME_RINVCMDLEN and closing",
                    Integer.toUnsignedString(length), ctx.channel().remoteAddress());
            GenericNack nack = new GenericNack();
            nack.setCommandStatus(SmppConstants.STATUS_INVCMDLEN);
            nack.setSequenceNumber(sequence);
            try {
                ctx.writeAndFlush(transcoder.encode(nack)).addListener(ChannelFutureListener.CLOSE);
            } catch (Exception e) {
                ctx.close();
            }
            return;
        }
        if (in.readableBytes() < length) {
            return;
        }
        // Each decode() call hands on one frame and Netty passes it up before calling again, so these name the
        // frame the PDU decoder is working on when it fails.
        lastCommandId = in.getInt(in.readerIndex() + 4);
        lastSequence = in.getInt(in.readerIndex() + 12);
        out.add(in.readRetainedSlice(length));
    }

    int lastCommandId() {
        return lastCommandId;
    }

    int lastSequence() {
        return lastSequence;
    }
}
