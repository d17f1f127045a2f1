package io.dlrgate.config;

/**
 * How a carrier writes its message ids, in submit_sm_resp or in receipts. Ids are normalised through this
 * format on both paths so that the stored id and the incoming id compare equal.
 */
public enum MessageIdFormat {
    /** Opaque text: compared after trimming and case folding. */
    STRING,
    /** Unsigned 64-bit decimal, possibly zero-padded. */
    DECIMAL,
    /** Unsigned 64-bit hexadecimal, any case, possibly zero-padded. */
    HEX
}
