package io.dlrgate.gateway.dispatch.encoding;

import java.util.Objects;

/**
 * Encodes message content for {@code submit_sm}: GSM 03.38 7-bit where every character is in the default alphabet
 * or its extension table (an extension character costs two septets), UCS-2 otherwise. Pure and stateless.
 *
 * <p>The result, an {@link EncodedMessage}, offers both ways of sending content longer than one message:
 * <ul>
 *   <li><b>message_payload</b>: {@link EncodedMessage#payload()} in the {@code message_payload} TLV with an empty
 *       {@code short_message}, the SMSC segments it;</li>
 *   <li><b>concatenated segments</b>: {@link EncodedMessage#segments(int)}, each part a {@code short_message} that
 *       starts with a 6-byte UDH (IE 0x00, 8-bit reference), sent with the UDHI bit (0x40) in esm_class.</li>
 * </ul>
 *
 * <p>GSM 7-bit content is given as <b>unpacked septets, one per byte</b> (0x00 to 0x7F), which is what SMPP
 * specifies for short_message with data_coding 0x00: the SMSC packs septets into the 140-octet air interface
 * itself. Sizes: one message holds 160 septets; a concatenated part holds 153 (the UDH takes 6 octets = 48 bits,
 * leaving 134 octets + fill bit = 153 septets). UCS-2: 70 characters, 67 per part. A part never ends between an
 * escape and its extension code, nor between the two halves of a UTF-16 surrogate pair (such a part is one unit
 * short).
 */
public final class MessageEncoder {

    /** data_coding for the GSM 7-bit default alphabet. */
    public static final byte DATA_CODING_GSM7 = SmsEncoding.GSM7.dataCoding();
    /** data_coding for UCS-2. */
    public static final byte DATA_CODING_UCS2 = SmsEncoding.UCS2.dataCoding();

    /** Encodes the content, choosing GSM 7-bit when every character fits and UCS-2 otherwise. */
    public EncodedMessage encode(String content) {
        Objects.requireNonNull(content, "content");
        if (Gsm7Alphabet.canEncode(content)) {
            return new EncodedMessage(content, SmsEncoding.GSM7, Gsm7Alphabet.encode(content));
        }
        return new EncodedMessage(content, SmsEncoding.UCS2, ucs2(content));
    }

    /** Whether the content would go out as GSM 7-bit. */
    public static boolean isGsm7(String content) {
        return Gsm7Alphabet.canEncode(content);
    }

    /** UTF-16BE, char by char, so even a lone surrogate keeps its value (String.getBytes would replace it). */
    static byte[] ucs2(String content) {
        byte[] out = new byte[content.length() * 2];
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            out[2 * i] = (byte) (c >>> 8);
            out[2 * i + 1] = (byte) c;
        }
        return out;
    }
}
