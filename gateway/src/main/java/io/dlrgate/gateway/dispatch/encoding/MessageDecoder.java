package io.dlrgate.gateway.dispatch.encoding;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The inverse of {@link MessageEncoder}: reads back a short_message or message_payload in GSM 7-bit (unpacked
 * septets) or UCS-2, and reassembles concatenated parts. Used by tests and by anything that shows what was sent.
 */
public final class MessageDecoder {

    private MessageDecoder() {
    }

    /** Decodes one short_message / message_payload without UDH. */
    public static String decode(int dataCoding, byte[] bytes) {
        return decode(SmsEncoding.fromDataCoding(dataCoding), bytes, 0, bytes.length);
    }

    private static String decode(SmsEncoding encoding, byte[] bytes, int offset, int length) {
        if (encoding == SmsEncoding.GSM7) {
            return Gsm7Alphabet.decode(bytes, offset, length);
        }
        if (length % 2 != 0) {
            throw new IllegalArgumentException("UCS-2 content of odd length " + length);
        }
        return new String(bytes, offset, length, StandardCharsets.UTF_16BE);
    }

    /**
     * Reassembles concatenated parts, each starting with a UDH that holds the 8-bit concatenation IE (0x00), in any
     * order. Checks that all parts share one reference, agree on the total, and cover 1..total exactly once.
     */
    public static String decodeConcatenated(int dataCoding, List<byte[]> parts) {
        SmsEncoding encoding = SmsEncoding.fromDataCoding(dataCoding);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("no parts");
        }
        byte[][] ordered = null;
        int[] bodyOffsets = null;
        int reference = -1;
        for (byte[] part : parts) {
            int udhl = part[0] & 0xFF;
            int[] concat = findConcatIe(part, udhl);
            int ref = concat[0];
            int total = concat[1];
            int seq = concat[2];
            if (ordered == null) {
                ordered = new byte[total][];
                bodyOffsets = new int[total];
                reference = ref;
            }
            if (ref != reference || total != ordered.length) {
                throw new IllegalArgumentException("parts of different messages (reference/total differ)");
            }
            if (seq < 1 || seq > total || ordered[seq - 1] != null) {
                throw new IllegalArgumentException("bad or repeated sequence number " + seq);
            }
            ordered[seq - 1] = part;
            bodyOffsets[seq - 1] = 1 + udhl;
        }
        if (parts.size() != ordered.length) {
            throw new IllegalArgumentException("have " + parts.size() + " of " + ordered.length + " parts");
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ordered.length; i++) {
            byte[] p = ordered[i];
            sb.append(decode(encoding, p, bodyOffsets[i], p.length - bodyOffsets[i]));
        }
        return sb.toString();
    }

    /** {reference, total, sequence} of the 8-bit concatenation IE in a UDH of length udhl (after the UDHL byte). */
    private static int[] findConcatIe(byte[] part, int udhl) {
        if (udhl + 1 > part.length) {
            throw new IllegalArgumentException("UDH length " + udhl + " beyond the part");
        }
        int i = 1;
        while (i + 1 < 1 + udhl) {
            int iei = part[i] & 0xFF;
            int iedl = part[i + 1] & 0xFF;
            if (iei == 0x00 && iedl == 3 && i + 4 <= udhl) {
                return new int[] {part[i + 2] & 0xFF, part[i + 3] & 0xFF, part[i + 4] & 0xFF};
            }
            i += 2 + iedl;
        }
        throw new IllegalArgumentException("no 8-bit concatenation IE in the UDH");
    }
}
