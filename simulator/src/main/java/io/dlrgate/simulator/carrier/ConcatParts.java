package io.dlrgate.simulator.carrier;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.BaseSm;
import com.cloudhopper.smpp.tlv.Tlv;
import io.dlrgate.simulator.outcome.Part;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recognises the parts of concatenated messages and groups them into messages. The simulator splits nothing
 * itself: it reads how the sender tied its parts together, the two common ways:
 * <ul>
 *   <li>a user data header (esm_class UDHI, 0x40) with information element 0x00 (8-bit reference, 3 bytes:
 *       reference, total, number) or 0x08 (16-bit reference, 4 bytes);</li>
 *   <li>the SAR TLVs sar_msg_ref_num (0x020C, 2 bytes), sar_total_segments (0x020E) and sar_segment_seqnum
 *       (0x020F), all three.</li>
 * </ul>
 * A header that does not describe a valid part (number 0 or above the total, truncated) makes the submit an
 * ordinary message, as it would be for a handset. Not thread-safe: the answerer calls it under its decide lock.
 */
final class ConcatParts {
    static final short TAG_SAR_MSG_REF_NUM = 0x020C;
    static final short TAG_SAR_TOTAL_SEGMENTS = 0x020E;
    static final short TAG_SAR_SEGMENT_SEQNUM = 0x020F;

    /** Open messages remembered at most (oldest forgotten first): a peer cannot grow this without bound. */
    static final int MAX_OPEN_MESSAGES = 100_000;

    /** The parts seen of one message: the text of each part number. */
    private static final class Group {
        final long message;
        final Map<Integer, String> texts = new HashMap<>();

        Group(long message) {
            this.message = message;
        }
    }

    private final Map<String, Group> open = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Group> eldest) {
            return size() > MAX_OPEN_MESSAGES;
        }
    };
    private long messages;

    /** The part a submit is (not yet grouped: message 0), or null when it is a whole message. */
    static Part read(BaseSm<?> sm) {
        Part sar = sar(sm);
        if (sar != null) {
            return sar;
        }
        if ((sm.getEsmClass() & SmppConstants.ESM_CLASS_UDHI_MASK) == 0) {
            return null;
        }
        byte[] b = sm.getShortMessage();
        if (b == null || b.length == 0) {
            Tlv payload = sm.getOptionalParameter(SmppConstants.TAG_MESSAGE_PAYLOAD);
            b = payload == null ? null : payload.getValue();
        }
        return b == null ? null : udh(b);
    }

    /** The concatenation element of a user data header at the start of {@code b}, or null. */
    static Part udh(byte[] b) {
        if (b.length < 1) {
            return null;
        }
        int end = 1 + (b[0] & 0xFF);
        if (end > b.length) {
            return null;
        }
        for (int i = 1; i + 1 < end; ) {
            int iei = b[i] & 0xFF;
            int len = b[i + 1] & 0xFF;
            int at = i + 2;
            if (at + len > end) {
                return null;
            }
            if (iei == 0x00 && len == 3) {
                return part(Part.Scheme.UDH8, b[at] & 0xFF, b[at + 2] & 0xFF, b[at + 1] & 0xFF);
            }
            if (iei == 0x08 && len == 4) {
                return part(Part.Scheme.UDH16, ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF), b[at + 3] & 0xFF,
                        b[at + 2] & 0xFF);
            }
            i = at + len;
        }
        return null;
    }

    private static Part sar(BaseSm<?> sm) {
        Tlv ref = sm.getOptionalParameter(TAG_SAR_MSG_REF_NUM);
        Tlv total = sm.getOptionalParameter(TAG_SAR_TOTAL_SEGMENTS);
        Tlv seq = sm.getOptionalParameter(TAG_SAR_SEGMENT_SEQNUM);
        if (ref == null || total == null || seq == null || ref.getValue() == null || ref.getValue().length != 2
                || total.getValue() == null || total.getValue().length != 1 || seq.getValue() == null
                || seq.getValue().length != 1) {
            return null;
        }
        byte[] r = ref.getValue();
        return part(Part.Scheme.SAR, ((r[0] & 0xFF) << 8) | (r[1] & 0xFF), seq.getValue()[0] & 0xFF,
                total.getValue()[0] & 0xFF);
    }

    private static Part part(Part.Scheme scheme, int reference, int number, int total) {
        if (total < 1 || number < 1 || number > total) {
            return null;
        }
        return new Part(scheme, reference, number, total, 0);
    }

    /**
     * The part grouped into its message: the open message of the same number, scheme, reference and total, unless
     * that one already has this part number with another text (then a new message with a reused reference begins).
     * The same part again with the same text is a resend and joins the same message.
     */
    Part group(String destination, Part p, String text) {
        String key = destination + '\u0000' + p.scheme() + '\u0000' + p.reference() + '\u0000' + p.total();
        Group g = open.get(key);
        if (g == null || (g.texts.containsKey(p.number()) && !g.texts.get(p.number()).equals(text))) {
            g = new Group(++messages);
            open.put(key, g);
        }
        g.texts.put(p.number(), text);
        return p.inMessage(g.message);
    }
}
