package io.dlrgate.simulator.outcome;

import java.util.Objects;

/**
 * A submit that is one part of a concatenated message, as the carrier recognised it: how the parts are tied
 * together ({@link Scheme}), the sender's reference, this part's number (1-based) and how many there are; and the
 * message the carrier grouped it into ({@code message}: 1-based, in order of the first part's arrival at this
 * carrier), so the parts of one message share one decision and the ledger can show the message.
 *
 * @param scheme    how the concatenation was signalled
 * @param reference the concatenation reference (0..255 with an 8-bit UDH, 0..65535 otherwise)
 * @param number    this part's sequence number, 1..total
 * @param total     how many parts the message has, 1..255
 * @param message   the carrier's own number for the message this part belongs to
 */
public record Part(Scheme scheme, int reference, int number, int total, long message) {

    /** How a submit said it is a part. */
    public enum Scheme {
        /** esm_class UDHI with information element 0x00 (8-bit reference) */
        UDH8,
        /** esm_class UDHI with information element 0x08 (16-bit reference) */
        UDH16,
        /** the SAR TLVs: sar_msg_ref_num 0x020C, sar_total_segments 0x020E, sar_segment_seqnum 0x020F */
        SAR
    }

    public Part {
        Objects.requireNonNull(scheme, "scheme");
        if (total < 1 || total > 255 || number < 1 || number > total) {
            throw new IllegalArgumentException("part " + number + " of " + total + " is not a part");
        }
    }

    /** The same part, grouped into message {@code message}. */
    public Part inMessage(long message) {
        return new Part(scheme, reference, number, total, message);
    }
}
