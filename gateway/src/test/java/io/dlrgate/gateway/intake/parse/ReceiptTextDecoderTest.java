package io.dlrgate.gateway.intake.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** data_coding values SMPP defines itself (0x00..0x0E) are never read by the GSM 03.38 group rules. */
class ReceiptTextDecoderTest {

    private static final String TEXT = "id:abc123 sub:001 dlvrd:001 stat:DELIVRD err:000 text:hi";

    @Test
    void asciiReceiptTextsSurviveEverySmppOwnDataCoding() {
        byte[] ascii = TEXT.getBytes(StandardCharsets.US_ASCII);
        for (int dc : new int[] {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E}) {
            assertEquals(TEXT, ReceiptTextDecoder.decode(ascii, dc), String.format("data_coding 0x%02X", dc));
        }
    }

    @Test
    void ucs2IsStillUcs2() {
        assertEquals(TEXT, ReceiptTextDecoder.decode(TEXT.getBytes(StandardCharsets.UTF_16BE), 0x08));
        // GSM group 0x18 (general data coding, UCS2 alphabet)
        assertEquals(TEXT, ReceiptTextDecoder.decode(TEXT.getBytes(StandardCharsets.UTF_16BE), 0x18));
    }
}
