package io.dlrgate.gateway.dispatch.encoding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Content encoded for SMPP, with both long-message strategies: the whole {@link #payload()} for
 * {@code message_payload}, or {@link #segments(int)} for concatenated short messages. Immutable.
 */
public final class EncodedMessage {

    /** Length of the concatenation UDH: UDHL, IEI 0x00, IEDL 3, reference, total, sequence. */
    public static final int UDH_LENGTH = 6;
    /** Parts an 8-bit concatenation header can number. */
    public static final int MAX_SEGMENTS = 255;
    /** The largest message_payload TLV value SMPP allows. */
    public static final int MAX_MESSAGE_PAYLOAD = 0xFFFF;

    private final String content;
    private final SmsEncoding encoding;
    private final byte[] payload;
    private final int units;
    /** Byte offsets in payload where each concatenated part starts; last entry = payload.length. */
    private final int[] partStarts;

    EncodedMessage(String content, SmsEncoding encoding, byte[] payload) {
        this.content = content;
        this.encoding = encoding;
        this.payload = payload;
        this.units = payload.length / encoding.bytesPerUnit();
        this.partStarts = units <= encoding.singleMax() ? new int[] {0, payload.length} : split();
    }

    /** Cut the payload into parts of at most partMax units, never inside an escape pair or a surrogate pair. */
    private int[] split() {
        return split(encoding.partMax());
    }

    private int[] split(int partMax) {
        List<Integer> starts = new ArrayList<>();
        int bpu = encoding.bytesPerUnit();
        int i = 0;
        int partUnits = 0;
        starts.add(0);
        while (i < payload.length) {
            int size = unitsAt(i);
            if (partUnits + size > partMax) {
                starts.add(i);
                partUnits = 0;
            }
            partUnits += size;
            i += size * bpu;
        }
        starts.add(payload.length);
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Units of the indivisible piece at byte offset i: 2 for an escape pair or a surrogate pair, else 1. */
    private int unitsAt(int i) {
        if (encoding == SmsEncoding.GSM7) {
            return (payload[i] == Gsm7Alphabet.ESCAPE && i + 1 < payload.length) ? 2 : 1;
        }
        char c = (char) (((payload[i] & 0xFF) << 8) | (payload[i + 1] & 0xFF));
        if (Character.isHighSurrogate(c) && i + 3 < payload.length) {
            char next = (char) (((payload[i + 2] & 0xFF) << 8) | (payload[i + 3] & 0xFF));
            if (Character.isLowSurrogate(next)) {
                return 2;
            }
        }
        return 1;
    }

    /** The content as given. */
    public String content() {
        return content;
    }

    public SmsEncoding encoding() {
        return encoding;
    }

    /** The SMPP data_coding: 0x00 (GSM 7-bit) or 0x08 (UCS-2). */
    public byte dataCoding() {
        return encoding.dataCoding();
    }

    /**
     * The whole content encoded, without any UDH: unpacked septets (one per byte, escape pairs as 0x1B + code) for
     * GSM 7-bit, UTF-16BE for UCS-2. This is the {@code message_payload} strategy, and the {@code short_message}
     * when {@link #fitsSingle()}. A copy.
     */
    public byte[] payload() {
        return payload.clone();
    }

    /** Length in the encoding's units: septets (extension characters count two) or UTF-16 code units. */
    public int length() {
        return units;
    }

    /** Whether it fits one message without concatenation: at most 160 septets or 70 UCS-2 units. */
    public boolean fitsSingle() {
        return units <= encoding.singleMax();
    }

    /** Whether the payload fits the message_payload TLV (at most 65,535 bytes). */
    public boolean fitsMessagePayload() {
        return payload.length <= MAX_MESSAGE_PAYLOAD;
    }

    /** Short messages needed: 1 when it fits a single message, else the number of concatenated parts. */
    public int segmentCount() {
        return partStarts.length - 1;
    }

    /** Whether {@link #segments(int)} carry a UDH (set the UDHI bit 0x40 in esm_class): when it does not fit one. */
    public boolean hasUdh() {
        return !fitsSingle();
    }

    /**
     * The concatenated-segments strategy: one {@code short_message} per element. When the content
     * {@link #fitsSingle() fits one message} the list holds just the payload, without UDH. Otherwise each part
     * starts with the UDH {@code 05 00 03 ref total seq} (seq from 1) followed by at most 153 septets or 67 UCS-2
     * units, never splitting an escape pair or a surrogate pair.
     *
     * @param referenceNumber the concatenation reference, 0 to 255, the same for all parts of one message and
     *                        different between messages to the same recipient
     * @throws IllegalArgumentException when the reference is out of range
     * @throws IllegalStateException    when more than 255 parts would be needed (send it in message_payload)
     */
    public List<byte[]> segments(int referenceNumber) {
        if (referenceNumber < 0 || referenceNumber > 0xFF) {
            throw new IllegalArgumentException("concatenation reference must be 0..255, was " + referenceNumber);
        }
        if (fitsSingle()) {
            return List.of(payload.clone());
        }
        int total = segmentCount();
        if (total > MAX_SEGMENTS) {
            throw new IllegalStateException("content needs " + total + " parts; an 8-bit concatenation header allows "
                    + MAX_SEGMENTS + " (use message_payload)");
        }
        List<byte[]> out = new ArrayList<>(total);
        for (int p = 0; p < total; p++) {
            int from = partStarts[p];
            int to = partStarts[p + 1];
            byte[] seg = new byte[UDH_LENGTH + (to - from)];
            seg[0] = 0x05;                      // UDHL: 5 bytes follow
            seg[1] = 0x00;                      // IEI: concatenated short message, 8-bit reference
            seg[2] = 0x03;                      // IEDL
            seg[3] = (byte) referenceNumber;
            seg[4] = (byte) total;
            seg[5] = (byte) (p + 1);
            System.arraycopy(payload, from, seg, UDH_LENGTH, to - from);
            out.add(seg);
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * The payload cut into the parts of a concatenated message whose each part carries a UDH of
     * {@code headerBytes} octets (6 for an 8-bit reference, 7 for a 16-bit one): {@link SmsEncoding#partMax(int)}
     * units a part, never inside an escape pair or a surrogate pair. The slices carry no header. When the content
     * {@linkplain #fitsSingle() fits one message}, one slice: the whole payload.
     */
    public List<byte[]> partPayloads(int headerBytes) {
        if (fitsSingle()) {
            return List.of(payload.clone());
        }
        int[] starts = split(encoding.partMax(headerBytes));
        List<byte[]> out = new ArrayList<>(starts.length - 1);
        for (int p = 0; p + 1 < starts.length; p++) {
            out.add(Arrays.copyOfRange(payload, starts[p], starts[p + 1]));
        }
        return Collections.unmodifiableList(out);
    }

    /** Parts needed with a UDH of {@code headerBytes} octets in each: 1 when it fits one message. */
    public int partCount(int headerBytes) {
        return fitsSingle() ? 1 : split(encoding.partMax(headerBytes)).length - 1;
    }

    /** Units in each part, in order (for logs and tests). */
    public int[] partLengths() {
        int[] lengths = new int[segmentCount()];
        for (int p = 0; p < lengths.length; p++) {
            lengths[p] = (partStarts[p + 1] - partStarts[p]) / encoding.bytesPerUnit();
        }
        return lengths;
    }

    @Override
    public String toString() {
        return "EncodedMessage[" + encoding + ", " + units + " units, " + segmentCount() + " segment(s), parts="
                + Arrays.toString(partLengths()) + "]";
    }
}
