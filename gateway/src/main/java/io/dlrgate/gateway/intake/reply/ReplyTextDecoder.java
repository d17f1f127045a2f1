package io.dlrgate.gateway.intake.reply;

import io.dlrgate.gateway.dispatch.encoding.Gsm7Alphabet;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Turns the octets of a reply's short_message / message_payload into its text according to data_coding. Unlike a
 * receipt (ASCII in practice whatever data_coding says), a reply is a person's text: data_coding 0 is read as the
 * GSM 03.38 default alphabet with its extension table (unpacked septets, one per octet, {@code €} as 0x1B 0x65),
 * 3 as Latin-1, 8 as UCS-2 (UTF-16BE: characters beyond the BMP, emoji, arrive as surrogate pairs and are kept).
 *
 * <p>Never fails: a reply must be stored and acknowledged whatever its octets, else the carrier resends it for
 * ever. Octets that do not fit the announced alphabet (an octet above 0x7F under data_coding 0, which some SMSCs
 * send as Latin-1) are read as Latin-1; an odd trailing UCS-2 octet is dropped.
 */
final class ReplyTextDecoder {

    private ReplyTextDecoder() {
    }

    static String decode(byte[] octets, int dataCoding) {
        if (octets == null || octets.length == 0) {
            return "";
        }
        int dc = dataCoding & 0xFF;
        return switch (alphabet(dc)) {
            case GSM -> gsm(octets);
            case ASCII -> new String(octets, StandardCharsets.US_ASCII);
            case UCS2 -> new String(octets, 0, octets.length & ~1, StandardCharsets.UTF_16BE);
            case CYRILLIC -> new String(octets, Charset.forName("ISO-8859-5"));
            case HEBREW -> new String(octets, Charset.forName("ISO-8859-8"));
            case LATIN1 -> new String(octets, StandardCharsets.ISO_8859_1);
        };
    }

    enum Alphabet { GSM, ASCII, LATIN1, UCS2, CYRILLIC, HEBREW }

    /** SMPP 3.4 section 5.2.19 for 0x00..0x0E; the GSM 03.38 coding groups above. */
    static Alphabet alphabet(int dc) {
        switch (dc) {
            case 0x00:
                return Alphabet.GSM;
            case 0x01:
                return Alphabet.ASCII;
            case 0x08:
                return Alphabet.UCS2;
            case 0x06:
                return Alphabet.CYRILLIC;
            case 0x07:
                return Alphabet.HEBREW;
            default:
                break;
        }
        if (dc < 0x10) {
            return Alphabet.LATIN1; // 0x02, 0x03, 0x04 and the JIS / KS C codings, read octet for octet
        }
        if ((dc & 0xC0) == 0x00 || (dc & 0xC0) == 0x40) {
            return switch ((dc >> 2) & 0x03) {
                case 0 -> Alphabet.GSM;
                case 2 -> Alphabet.UCS2;
                default -> Alphabet.LATIN1;
            };
        }
        if ((dc & 0xF0) == 0xF0) {
            return (dc & 0x04) == 0 ? Alphabet.GSM : Alphabet.LATIN1;
        }
        if ((dc & 0xF0) == 0xE0) {
            return Alphabet.UCS2;
        }
        if ((dc & 0xF0) == 0xC0 || (dc & 0xF0) == 0xD0) {
            return Alphabet.GSM;
        }
        return Alphabet.LATIN1;
    }

    private static String gsm(byte[] octets) {
        try {
            return Gsm7Alphabet.decode(octets); // 0x00 is '@' in GSM: kept, never taken for a terminator
        } catch (IllegalArgumentException notSeptets) {
            return new String(octets, StandardCharsets.ISO_8859_1);
        }
    }
}
