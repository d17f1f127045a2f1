package io.dlrgate.gateway.dispatch.encoding;

/**
 * The two encodings the gateway sends, with their SMPP data_coding and segment sizes.
 * Lengths are in the encoding's units: septets for GSM 7-bit, UTF-16 code units (two bytes each) for UCS-2.
 */
public enum SmsEncoding {
    /** GSM 03.38 default alphabet + extension table; data_coding 0x00 (SMSC default alphabet). */
    GSM7((byte) 0x00, 160, 153),
    /** UCS-2 (UTF-16BE on the wire; characters outside the BMP go as surrogate pairs); data_coding 0x08. */
    UCS2((byte) 0x08, 70, 67);

    private final byte dataCoding;
    private final int singleMax;
    private final int partMax;

    SmsEncoding(byte dataCoding, int singleMax, int partMax) {
        this.dataCoding = dataCoding;
        this.singleMax = singleMax;
        this.partMax = partMax;
    }

    /** The SMPP data_coding value. */
    public byte dataCoding() {
        return dataCoding;
    }

    /** Units that fit in one message without a UDH (160 septets / 70 UCS-2 characters). */
    public int singleMax() {
        return singleMax;
    }

    /** Units that fit in one part after a 6-byte concatenation UDH (153 septets / 67 UCS-2 characters). */
    public int partMax() {
        return partMax;
    }

    /**
     * Units that fit in one part after a UDH of {@code headerBytes} octets: the 140 octets of a short message less
     * the header, as whole septets (GSM 7-bit: the header plus fill bits end on a septet boundary) or as two-octet
     * units. 6 octets (8-bit reference): 153 / 67; 7 octets (16-bit reference): 152 / 66.
     */
    public int partMax(int headerBytes) {
        if (headerBytes < 0 || headerBytes >= 140) {
            throw new IllegalArgumentException("a UDH of " + headerBytes + " octets leaves no room");
        }
        int octets = 140 - headerBytes;
        return this == GSM7 ? octets * 8 / 7 : octets / 2;
    }

    /** Bytes one unit takes in short_message / message_payload: 1 (unpacked septet) or 2. */
    public int bytesPerUnit() {
        return this == GSM7 ? 1 : 2;
    }

    public static SmsEncoding fromDataCoding(int dataCoding) {
        for (SmsEncoding e : values()) {
            if (e.dataCoding == (byte) dataCoding) {
                return e;
            }
        }
        throw new IllegalArgumentException(String.format("unsupported data_coding 0x%02X", dataCoding & 0xFF));
    }
}
