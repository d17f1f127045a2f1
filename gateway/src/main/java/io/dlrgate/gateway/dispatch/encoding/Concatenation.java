package io.dlrgate.gateway.dispatch.encoding;

import io.dlrgate.config.LongMessages;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Cuts an {@link EncodedMessage} into the short messages of one concatenated message, for a carrier's
 * {@link LongMessages} setting. Pure.
 *
 * <ul>
 *   <li>UDH, 8-bit reference: each part's short_message starts with {@code 05 00 03 ref total seq} (IEI 0x00),
 *       153 GSM-7 septets or 67 UCS-2 units a part;</li>
 *   <li>UDH, 16-bit reference: {@code 06 08 04 refHi refLo total seq} (IEI 0x08), one octet more, so 152 / 66;</li>
 *   <li>SAR: no header in the short_message, the numbering goes in sar_msg_ref_num, sar_total_segments and
 *       sar_segment_seqnum; the SMSC puts a UDH on the air interface itself, so parts are cut as for an 8-bit
 *       UDH (153 / 67): a bigger part would not fit beside the header the SMSC adds.</li>
 * </ul>
 * Content that fits one message is one part without any header, whatever the setting.
 */
public final class Concatenation {

    /** UDH length with an 8-bit reference: UDHL, IEI 0x00, IEDL 3, ref, total, seq. */
    public static final int UDH8_LENGTH = 6;
    /** UDH length with a 16-bit reference: UDHL, IEI 0x08, IEDL 4, ref (2), total, seq. */
    public static final int UDH16_LENGTH = 7;

    private Concatenation() {
    }

    /**
     * One part as it goes in one submit_sm.
     *
     * @param seq          1-based part number
     * @param total        parts of the message
     * @param shortMessage the short_message, with the UDH first when {@link #udh()}
     * @param udh          whether short_message starts with a UDH (set UDHI 0x40 in esm_class)
     * @param sar          whether to number it with the SAR TLVs
     * @param reference    the concatenation reference (the same in every part of one message)
     */
    public record Part(int seq, int total, byte[] shortMessage, boolean udh, boolean sar, int reference) {
    }

    /** Octets of the UDH each part is cut for under this setting (SAR: as an 8-bit UDH, see the class comment). */
    public static int headerBytes(LongMessages setting) {
        return setting.mode() == LongMessages.Mode.UDH && setting.udhReferenceBits() == 16 ? UDH16_LENGTH
                : UDH8_LENGTH;
    }

    /** Parts the content needs under this setting (1 when it fits one message). */
    public static int partCount(EncodedMessage e, LongMessages setting) {
        return e.partCount(headerBytes(setting));
    }

    /**
     * The parts of a message under a setting that {@linkplain LongMessages#splits() splits}.
     *
     * @param reference the concatenation reference; only its low 8 or 16 bits are used
     */
    public static List<Part> parts(EncodedMessage e, LongMessages setting, int reference) {
        if (!setting.splits()) {
            throw new IllegalArgumentException("long_messages: payload does not split");
        }
        if (e.fitsSingle()) {
            return List.of(new Part(1, 1, e.payload(), false, false, 0));
        }
        boolean sar = setting.mode() == LongMessages.Mode.SAR;
        boolean wide = !sar && setting.udhReferenceBits() == 16;
        int ref = reference & (sar || wide ? 0xFFFF : 0xFF);
        List<byte[]> slices = e.partPayloads(headerBytes(setting));
        int total = slices.size();
        if (total > 0xFF) {
            throw new IllegalStateException("content needs " + total + " parts; a concatenated message has at most 255");
        }
        List<Part> out = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            byte[] slice = slices.get(i);
            if (sar) {
                out.add(new Part(i + 1, total, slice, false, true, ref));
                continue;
            }
            byte[] header = wide
                    ? new byte[] {0x06, 0x08, 0x04, (byte) (ref >>> 8), (byte) ref, (byte) total, (byte) (i + 1)}
                    : new byte[] {0x05, 0x00, 0x03, (byte) ref, (byte) total, (byte) (i + 1)};
            byte[] sm = new byte[header.length + slice.length];
            System.arraycopy(header, 0, sm, 0, header.length);
            System.arraycopy(slice, 0, sm, header.length, slice.length);
            out.add(new Part(i + 1, total, sm, true, false, ref));
        }
        return Collections.unmodifiableList(out);
    }
}
