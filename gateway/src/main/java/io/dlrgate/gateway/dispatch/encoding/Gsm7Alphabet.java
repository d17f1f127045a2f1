package io.dlrgate.gateway.dispatch.encoding;

import java.util.Arrays;

/**
 * The GSM 03.38 (3GPP TS 23.038) 7-bit default alphabet and its extension table, as the gateway's own table.
 *
 * <p>Why our own table rather than cloudhopper's {@code CharsetUtil.CHARSET_GSM}: segmentation needs the cost of
 * each character (1 septet, 2 for an extension character, or not representable), which that charset does not
 * expose; and its encoder silently replaces what it cannot represent with {@code ?}, where we need a strict
 * yes/no to fall back to UCS-2. The table is short and reviewed below row by row; the tests check it, character for
 * character, against cloudhopper's independent implementation.
 *
 * <p>Strict on purpose: only the characters of the table are encodable. No look-alike folding (Greek capital
 * Alpha U+0391 is not sent as Latin {@code A}; {@code ç} is not sent as {@code Ç}, which is what 0x09 means in
 * TS 23.038), because that would change the text and break the round trip. Such content goes out as UCS-2.
 *
 * <p>Septets are handled unpacked, one per byte (values 0x00 to 0x7F); an extension character is the escape
 * septet 0x1B followed by its extension code.
 */
public final class Gsm7Alphabet {

    /** The escape septet that introduces an extension-table character. */
    public static final int ESCAPE = 0x1B;

    /** The 128 basic septets; position = septet value. 0x1B (ESC) is the escape, never a character. */
    private static final String BASIC =
            // 0x00: @ £ $ ¥ è é ù ì ò Ç LF Ø ø CR Å å
            "@\u00A3$\u00A5\u00E8\u00E9\u00F9\u00EC\u00F2\u00C7\n\u00D8\u00F8\r\u00C5\u00E5"
            // 0x10: Δ _ Φ Γ Λ Ω Π Ψ Σ Θ Ξ ESC Æ æ ß É
            + "\u0394_\u03A6\u0393\u039B\u03A9\u03A0\u03A8\u03A3\u0398\u039E\u001B\u00C6\u00E6\u00DF\u00C9"
            // 0x20: SP ! " # ¤ % & ' ( ) * + , - . /
            + " !\"#\u00A4%&'()*+,-./"
            // 0x30: 0 1 2 3 4 5 6 7 8 9 : ; < = > ?
            + "0123456789:;<=>?"
            // 0x40: ¡ A B C D E F G H I J K L M N O
            + "\u00A1ABCDEFGHIJKLMNO"
            // 0x50: P Q R S T U V W X Y Z Ä Ö Ñ Ü §
            + "PQRSTUVWXYZ\u00C4\u00D6\u00D1\u00DC\u00A7"
            // 0x60: ¿ a b c d e f g h i j k l m n o
            + "\u00BFabcdefghijklmno"
            // 0x70: p q r s t u v w x y z ä ö ñ ü à
            + "pqrstuvwxyz\u00E4\u00F6\u00F1\u00FC\u00E0";

    /** Extension table: septet after ESC, and the character it stands for. */
    private static final int[][] EXTENSION = {
            {0x0A, '\f'},      // form feed (page break)
            {0x14, '^'},
            {0x28, '{'},
            {0x29, '}'},
            {0x2F, '\\'},
            {0x3C, '['},
            {0x3D, '~'},
            {0x3E, ']'},
            {0x40, '|'},
            {0x65, 0x20AC},    // euro sign
    };

    /** char -> septet code (basic), or -1. Indexed by char value for the BMP characters we know. */
    private static final short[] BASIC_CODE = new short[0x10000];
    /** char -> extension code (after ESC), or -1. */
    private static final short[] EXT_CODE = new short[0x10000];
    /** extension code -> char, or -1. */
    private static final int[] EXT_CHAR = new int[128];

    static {
        if (BASIC.length() != 128) {
            throw new ExceptionInInitializerError("GSM basic table must have 128 entries, has " + BASIC.length());
        }
        Arrays.fill(BASIC_CODE, (short) -1);
        Arrays.fill(EXT_CODE, (short) -1);
        Arrays.fill(EXT_CHAR, -1);
        for (int code = 0; code < 128; code++) {
            if (code != ESCAPE) {
                BASIC_CODE[BASIC.charAt(code)] = (short) code;
            }
        }
        for (int[] e : EXTENSION) {
            EXT_CODE[e[1]] = (short) e[0];
            EXT_CHAR[e[0]] = e[1];
        }
    }

    private Gsm7Alphabet() {
    }

    /** Septets the character takes: 1 (basic), 2 (extension: escape + code), or 0 when not representable. */
    public static int septetsFor(char c) {
        if (BASIC_CODE[c] >= 0) {
            return 1;
        }
        return EXT_CODE[c] >= 0 ? 2 : 0;
    }

    /** Whether every character of the text is in the default alphabet or the extension table. */
    public static boolean canEncode(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            if (septetsFor(text.charAt(i)) == 0) {
                return false;
            }
        }
        return true;
    }

    /** Septets the text takes (extension characters count two); -1 when a character is not representable. */
    public static int septetCount(CharSequence text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            int s = septetsFor(text.charAt(i));
            if (s == 0) {
                return -1;
            }
            n += s;
        }
        return n;
    }

    /**
     * The text as unpacked septets, one per byte.
     *
     * @throws IllegalArgumentException naming the first character that is not representable
     */
    public static byte[] encode(CharSequence text) {
        int count = septetCount(text);
        if (count < 0) {
            for (int i = 0; i < text.length(); i++) {
                if (septetsFor(text.charAt(i)) == 0) {
                    throw new IllegalArgumentException(String.format(
                            "character U+%04X at index %d is not in the GSM 7-bit alphabet", (int) text.charAt(i), i));
                }
            }
        }
        byte[] out = new byte[count];
        int j = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            short basic = BASIC_CODE[c];
            if (basic >= 0) {
                out[j++] = (byte) basic;
            } else {
                out[j++] = (byte) ESCAPE;
                out[j++] = (byte) EXT_CODE[c];
            }
        }
        return out;
    }

    /**
     * Unpacked septets back to text. An escape followed by a code the extension table does not define is read as
     * the basic character of that code (TS 23.038's advice for receivers); a trailing lone escape is dropped.
     *
     * @throws IllegalArgumentException for a byte above 0x7F (not a septet)
     */
    public static String decode(byte[] septets, int offset, int length) {
        StringBuilder sb = new StringBuilder(length);
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            int code = septets[i] & 0xFF;
            if (code > 0x7F) {
                throw new IllegalArgumentException(String.format("byte 0x%02X at %d is not a septet", code, i));
            }
            if (code == ESCAPE) {
                if (i + 1 >= end) {
                    break;
                }
                int ext = septets[++i] & 0xFF;
                if (ext > 0x7F) {
                    throw new IllegalArgumentException(String.format("byte 0x%02X at %d is not a septet", ext, i));
                }
                int ch = EXT_CHAR[ext];
                sb.append(ch >= 0 ? (char) ch : (ext == ESCAPE ? ' ' : BASIC.charAt(ext)));
            } else {
                sb.append(BASIC.charAt(code));
            }
        }
        return sb.toString();
    }

    public static String decode(byte[] septets) {
        return decode(septets, 0, septets.length);
    }
}
