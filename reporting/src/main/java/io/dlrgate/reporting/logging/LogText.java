package io.dlrgate.reporting.logging;

/**
 * Peer-supplied text made safe for one log line: receipt text, system_id, system_type, addresses, message ids,
 * anything read from a PDU or a request.
 *
 * <p>Why: a log line ends at a line break. A carrier whose receipt text holds {@code "\nFAKE LOG LINE"} would
 * otherwise write a line of its own into the gateway's log, indistinguishable from a real one. Control
 * characters (C0, DEL, C1), the Unicode line and paragraph separators and invisible format characters (such as
 * the bidi overrides that reorder what a terminal shows) are written as escapes: {@code \n}, {@code \r},
 * {@code \t}, every other one as {@code \}{@code uXXXX}. A backslash is doubled, so a peer cannot pass off a
 * literal {@code \n} as an escaped line break: the escaped text reads back unambiguously.
 *
 * <p>Here, in the store's module, because both the gateway's faces and the store's write path log such text.
 */
public final class LogText {

    private LogText() {
    }

    /** The text with control characters escaped; "null" for null. */
    public static String escape(CharSequence text) {
        if (text == null) {
            return "null";
        }
        int first = firstToEscape(text);
        if (first < 0) {
            return text.toString(); // the common case: nothing to copy
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (needsEscape(c)) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /**
     * The first {@code maxChars} characters of the text, escaped, with "..." when it was longer: for text that
     * may be long (a 10,000-character message id) in a line that should stay readable.
     */
    public static String escape(CharSequence text, int maxChars) {
        if (text == null || text.length() <= maxChars) {
            return escape(text);
        }
        return escape(text.subSequence(0, maxChars)) + "... (" + text.length() + " characters)";
    }

    private static int firstToEscape(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || needsEscape(c)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean needsEscape(char c) {
        if (c >= 0x20 && c < 0x7f) {
            return false; // printable ASCII, by far the most common
        }
        if (Character.isISOControl(c)) {
            return true;
        }
        int type = Character.getType(c);
        return type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.FORMAT;
    }
}
