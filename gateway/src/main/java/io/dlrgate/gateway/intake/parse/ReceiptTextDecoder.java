package io.dlrgate.gateway.intake.parse;

import com.cloudhopper.commons.charset.CharsetUtil;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Turns the octets of short_message / message_payload into text according to data_coding.
 *
 * <p>SMPP data_coding values 0x00..0x0E are SMPP's own (3.4 section 5.2.19); 0x10 and up follow the GSM 03.38 data
 * coding scheme. Receipt texts are almost always plain ASCII, whatever data_coding says, so the one judgement call
 * here is data_coding 0 ("SMSC default alphabet"): real SMSCs send receipt texts in it as ASCII/IA5 octets far
 * more often than as GSM 03.38 septets. The two agree on letters, digits, space and colon, and differ on a few
 * characters ({@code _} is 0x5F in ASCII but 0x11 in GSM; {@code @} is 0x40 vs 0x00). Octets that are all printable
 * ASCII are therefore read as ASCII; anything else (GSM-only code points below 0x20, such as {@code £} 0x01) is
 * read as unpacked GSM 03.38.
 */
final class ReceiptTextDecoder {

    private ReceiptTextDecoder() {
    }

    static String decode(byte[] octets, int dataCoding) {
        if (octets == null || octets.length == 0) {
            return "";
        }
        int dc = dataCoding & 0xFF;
        switch (dc) {
            case 0x00:
                return looksLikeAscii(octets) ? new String(octets, StandardCharsets.US_ASCII)
                        : CharsetUtil.decode(octets, CharsetUtil.CHARSET_GSM);
            case 0x01: // IA5 (CCITT T.50) / ASCII
                return new String(octets, StandardCharsets.US_ASCII);
            case 0x08: // UCS2
                return ucs2(octets);
            case 0x03: // Latin-1
            case 0x02: // octet unspecified (8-bit binary)
            case 0x04: // octet unspecified (8-bit binary)
                return new String(octets, StandardCharsets.ISO_8859_1);
            case 0x06:
                return new String(octets, Charset.forName("ISO-8859-5"));
            case 0x07:
                return new String(octets, Charset.forName("ISO-8859-8"));
            case 0x05: // JIS
            case 0x09: // pictogram encoding
            case 0x0A: // ISO-2022-JP (music codes)
            case 0x0B: // reserved
            case 0x0C: // reserved
            case 0x0D: // extended Kanji JIS
            case 0x0E: // KS C 5601
                // SMPP's own values, not GSM groups (read as such, 0x09..0x0B would mean UCS2 and turn an ASCII
                // receipt into CJK noise): receipts are ASCII in practice.
                return new String(octets, StandardCharsets.ISO_8859_1);
            default:
                break;
        }
        // GSM 03.38 data coding scheme groups
        if ((dc & 0xC0) == 0x00 || (dc & 0xC0) == 0x40) {
            // general data coding (0x40 group: marked for automatic deletion); bits 3..2 = alphabet
            int alphabet = (dc >> 2) & 0x03;
            return switch (alphabet) {
                case 0 -> gsmOrAscii(octets);
                case 2 -> ucs2(octets);
                default -> new String(octets, StandardCharsets.ISO_8859_1);
            };
        }
        if ((dc & 0xF0) == 0xF0) {
            return (dc & 0x04) == 0 ? gsmOrAscii(octets) : new String(octets, StandardCharsets.ISO_8859_1);
        }
        if ((dc & 0xF0) == 0xE0) {
            return ucs2(octets);
        }
        if ((dc & 0xF0) == 0xC0 || (dc & 0xF0) == 0xD0) {
            return gsmOrAscii(octets);
        }
        // anything else (JIS, pictogram, KS C 5601, reserved): receipts are ASCII in practice
        return new String(octets, StandardCharsets.ISO_8859_1);
    }

    private static String gsmOrAscii(byte[] octets) {
        return looksLikeAscii(octets) ? new String(octets, StandardCharsets.US_ASCII)
                : CharsetUtil.decode(octets, CharsetUtil.CHARSET_GSM);
    }

    private static String ucs2(byte[] octets) {
        // UCS2 is big-endian 16-bit; an odd trailing octet (a stray NUL terminator) is dropped
        int n = octets.length & ~1;
        return new String(octets, 0, n, StandardCharsets.UTF_16BE);
    }

    /** Printable ASCII plus CR, LF, TAB and NUL (trailing terminators). */
    private static boolean looksLikeAscii(byte[] octets) {
        for (byte b : octets) {
            int c = b & 0xFF;
            boolean ok = (c >= 0x20 && c <= 0x7E) || c == 0x0A || c == 0x0D || c == 0x09 || c == 0x00;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
