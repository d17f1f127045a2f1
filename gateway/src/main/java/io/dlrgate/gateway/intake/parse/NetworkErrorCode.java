package io.dlrgate.gateway.intake.parse;

/**
 * The network_error_code TLV (0x0423).
 *
 * <p>The SMPP 3.4/5.0 encoding is three octets: one octet network type followed by a 16-bit big-endian error code.
 * Network types (SMPP 5.0 table 4-46): 1 ANSI-136 access denied reason, 2 IS-95 access denied reason, 3 GSM,
 * 4 ANSI-136 cause code, 5 IS-95 cause code, 6 ANSI-41 error, 7 SMPP error, 8 message center specific
 * (SMPP 3.4 defined only 1 ANSI-136, 2 IS-95, 3 GSM). Some carriers instead write the code as ASCII digits
 * (for example the three bytes {@code "034"}); those carry no network type.
 *
 * @param networkType the network type octet (0..255), or 0 when the carrier sent ASCII digits (type unknown)
 * @param errorCode   the error code (0..65535)
 * @param encoding    how the carrier wrote it
 */
public record NetworkErrorCode(int networkType, int errorCode, Encoding encoding) {

    /** How the TLV value was encoded on the wire. */
    public enum Encoding {
        /** Standard: type octet + 16-bit big-endian code. */
        BINARY,
        /** Non-standard: the code as ASCII decimal digits, no network type. */
        ASCII_DIGITS
    }

    public static final int TYPE_ANSI_136 = 1;
    public static final int TYPE_IS_95 = 2;
    public static final int TYPE_GSM = 3;

    public NetworkErrorCode {
        if (networkType < 0 || networkType > 0xFF) {
            throw new IllegalArgumentException("network type out of range 0..255: " + networkType);
        }
        if (errorCode < 0 || errorCode > 0xFFFF) {
            throw new IllegalArgumentException("error code out of range 0..65535: " + errorCode);
        }
        if (encoding == null) {
            throw new IllegalArgumentException("encoding is required");
        }
    }
}
