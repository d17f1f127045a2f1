package io.dlrgate.simulator.carrier;

import java.util.Locale;

/** The dialect of the message ids a simulated carrier issues in its submit_sm_resp. */
public enum IdFormat {
    /** unsigned decimal, e.g. {@code 1000000042} */
    DECIMAL,
    /** upper-case hexadecimal of an unsigned 64-bit number, e.g. {@code 812FC7470000001B} */
    HEX,
    /** decimal left-padded with zeros, e.g. {@code 0000000042} */
    ZERO_PADDED,
    /** a random (seeded) UUID, e.g. {@code 3f2c...-...}; has no numeric value */
    UUID;

    public static IdFormat parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        if (t.equals("ZERO") || t.equals("PADDED")) {
            return ZERO_PADDED;
        }
        try {
            return valueOf(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown id format '" + text
                    + "', expected decimal, hex, zero-padded or uuid");
        }
    }
}
