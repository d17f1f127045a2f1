package io.dlrgate.reporting.correlation;

import io.dlrgate.config.MessageIdFormat;

import java.util.Locale;

/**
 * Normalises carrier message ids so that the id stored from submit_sm_resp and the id in a receipt compare equal.
 *
 * <p>Both sides go through {@link #normalize} with the format the carrier uses on that side:
 * <ul>
 *   <li>{@link MessageIdFormat#DECIMAL} and {@link MessageIdFormat#HEX}: the id is read as an <em>unsigned</em>
 *       64-bit number and written as canonical unsigned decimal (no leading zeros, "0" for zero). HEX accepts any
 *       case and an optional {@code 0x} prefix. {@code 812FC7470000001B} (hex) and {@code 9308878062554710043}
 *       (decimal) both become {@code 9308878062554710043}.</li>
 *   <li>{@link MessageIdFormat#STRING}: trailing NULs and surrounding whitespace removed, lower-cased
 *       ({@link Locale#ROOT}); dashes, letters and leading zeros are kept (UUIDs, opaque ids).</li>
 *   <li>An id that does not read in the configured numeric format (letters in a decimal id, more than 64 bits, a
 *       dash) falls back to STRING normalisation rather than failing; the same id on the other side falls back the
 *       same way, so an opaque id still matches itself.</li>
 * </ul>
 *
 * <p>Example: a carrier whose submit_sm_resp gives {@code 812FC7470000001B} and whose receipts say
 * {@code id:9308878062554710043} is configured with {@code submit_id_format: hex} and
 * {@code receipt_id_format: decimal}; the stored id and the receipt id both normalise to
 * {@code 9308878062554710043}. (Many carriers use hex in submit_sm_resp and the receipted_message_id TLV and
 * decimal in the receipt text; configure the format of the id the receipt intake actually uses.)
 */
public final class MessageIdNormalizer {

    /**
     * The longest carrier message id the gateway tracks, in a submit_sm_resp or in a receipt. SMPP 3.4 caps
     * message_id at 64 characters; this leaves room for carriers that exceed it, while an id of thousands of
     * characters (message_payload allows them) could not be indexed, so it could never be matched.
     */
    public static final int MAX_LENGTH = 255;


    private MessageIdNormalizer() {
    }

    /**
     * @param rawId  the id as the carrier wrote it; null gives null
     * @param format the carrier's format for this side (submit_sm_resp or receipt); required
     * @return the normalised id, never null for a non-null input (may be empty for an empty or blank id)
     */
    public static String normalize(String rawId, MessageIdFormat format) {
        if (format == null) {
            throw new IllegalArgumentException("message id format is required");
        }
        if (rawId == null) {
            return null;
        }
        String s = clean(rawId);
        return switch (format) {
            case STRING -> s.toLowerCase(Locale.ROOT);
            case DECIMAL -> numeric(s, 10, s);
            case HEX -> {
                String digits = s.length() > 2 && (s.startsWith("0x") || s.startsWith("0X")) ? s.substring(2) : s;
                yield numeric(digits, 16, s);
            }
        };
    }

    private static String numeric(String digits, int radix, String cleaned) {
        if (digits.isEmpty()) {
            return cleaned.toLowerCase(Locale.ROOT);
        }
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), radix) < 0 || digits.charAt(i) > 'f') {
                return cleaned.toLowerCase(Locale.ROOT); // not this format: opaque string
            }
        }
        try {
            return Long.toUnsignedString(Long.parseUnsignedLong(digits, radix));
        } catch (NumberFormatException tooBig) {
            return cleaned.toLowerCase(Locale.ROOT); // more than 64 bits: opaque string
        }
    }

    /** Trailing NULs and whitespace off both ends. */
    private static String clean(String raw) {
        int end = raw.length();
        while (end > 0 && (raw.charAt(end - 1) == '\u0000' || Character.isWhitespace(raw.charAt(end - 1)))) {
            end--;
        }
        int start = 0;
        while (start < end && Character.isWhitespace(raw.charAt(start))) {
            start++;
        }
        return raw.substring(start, end);
    }
}
