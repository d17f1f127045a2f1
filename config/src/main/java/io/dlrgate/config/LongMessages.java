package io.dlrgate.config;

import java.util.Locale;

/**
 * How a carrier gets content longer than one short message ({@code long_messages}, {@code udh_reference}).
 *
 * @param mode          concatenated parts with a UDH, with SAR TLVs, or one submit_sm with {@code message_payload}
 * @param udhReferenceBits 8 or 16: the width of the concatenation reference in the UDH (ignored by the other modes)
 */
public record LongMessages(Mode mode, int udhReferenceBits) {

    /** The default: UDH with an 8-bit reference. */
    public static final LongMessages DEFAULT = new LongMessages(Mode.UDH, 8);

    public LongMessages {
        if (mode == null) {
            throw new IllegalArgumentException("mode is required");
        }
        if (udhReferenceBits != 8 && udhReferenceBits != 16) {
            throw new IllegalArgumentException("udh_reference must be 8 or 16, was " + udhReferenceBits);
        }
    }

    /** The three ways of sending a long message. */
    public enum Mode {
        /** One submit_sm per part, each short_message starting with a concatenation UDH (esm_class UDHI 0x40). */
        UDH,
        /** One submit_sm per part, numbered by the sar_msg_ref_num / sar_total_segments / sar_segment_seqnum TLVs. */
        SAR,
        /** One submit_sm with the whole content in message_payload: the SMSC splits it (one id, one receipt). */
        PAYLOAD;

        /** The name in the configuration file. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether a long message goes as several submit_sm (UDH or SAR) rather than in message_payload. */
    public boolean splits() {
        return mode != Mode.PAYLOAD;
    }
}
