package io.dlrgate.config;

import java.util.regex.Pattern;

/**
 * Who a message says it is from: the {@code source_addr} of its submit_sm, in one of the three forms carriers
 * accept, each with the TON/NPI a carrier expects for it (SMPP 3.4 section 5.2.5/5.2.6).
 *
 * <ul>
 *   <li>{@link Form#ALPHANUMERIC}: 1 to 11 characters with at least one letter, each a printable ASCII character of
 *       the GSM 03.38 basic alphabet (so it reads the same as an octet string on the wire and as GSM 7-bit on the
 *       handset); TON 5 (alphanumeric), NPI 0. Eleven is what the GSM originating address holds (11 septets).</li>
 *   <li>{@link Form#SHORT_CODE}: 3 to 8 digits; TON 3 (network specific), NPI 0. Short codes in use run from 3
 *       digits (national services) through the common 4 to 6 (UK, US, EU) to 8 (a few networks); 9 digits or more
 *       is a national number, which must be written in E.164 to say which country it belongs to.</li>
 *   <li>{@link Form#INTERNATIONAL}: {@code +} then an E.164 number, 8 to 15 digits, the first not 0; TON 1
 *       (international), NPI 1 (ISDN/E.164). On the wire without the {@code +}, as SMPP addresses are written.</li>
 * </ul>
 *
 * @param text as written by the sender ({@code +447700900123}, {@code 60123}, {@code Acme})
 */
public record SenderId(String text, Form form) {

    /** The form of a sender id, with the TON and NPI that form calls for. */
    public enum Form {
        ALPHANUMERIC(5, 0, "alphanumeric"),
        SHORT_CODE(3, 0, "short code"),
        INTERNATIONAL(1, 1, "international number");

        private final int ton;
        private final int npi;
        private final String label;

        Form(int ton, int npi, String label) {
            this.ton = ton;
            this.npi = npi;
            this.label = label;
        }

        public int ton() {
            return ton;
        }

        public int npi() {
            return npi;
        }

        public String label() {
            return label;
        }
    }

    public static final int MAX_ALPHANUMERIC = 11;

    /** What the gateway sent from before sender ids existed, and sends from when neither the send nor the config names one. */
    public static final String BUILT_IN_DEFAULT = "DLRGATE";

    /** The rule in one line, for refusals. */
    public static final String RULE = "a sender is 1 to " + MAX_ALPHANUMERIC + " letters, digits, spaces or GSM "
            + "punctuation with at least one letter (alphanumeric), 3 to 8 digits (short code), or + and 8 to 15 "
            + "digits (international number)";

    private static final Pattern SHORT_CODE = Pattern.compile("[0-9]{3,8}");
    private static final Pattern INTERNATIONAL = Pattern.compile("\\+[1-9][0-9]{7,14}");
    /** Printable ASCII characters of the GSM 03.38 basic table: not [ \ ] ^ { | } ~ ` (escapes, or absent). */
    private static final Pattern GSM_ASCII = Pattern.compile("[A-Za-z0-9 !\"#$%&'()*+,\\-./:;<=>?@_]+");
    private static final Pattern LETTER = Pattern.compile(".*[A-Za-z].*");

    public SenderId {
        if (text == null || form == null) {
            throw new IllegalArgumentException("a sender id needs its text and its form");
        }
    }

    /**
     * Reads a sender id, or says in words why it is none.
     *
     * @throws IllegalArgumentException naming the sender and the rule it breaks
     */
    public static SenderId parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("is empty; " + RULE);
        }
        String quoted = "\"" + printable(text) + "\"";
        if (text.startsWith("+")) {
            if (!INTERNATIONAL.matcher(text).matches()) {
                throw new IllegalArgumentException(quoted + " is not an international number: write + then 8 to 15 "
                        + "digits, the first not 0 (E.164, e.g. +447700900123)");
            }
            return new SenderId(text, Form.INTERNATIONAL);
        }
        if (text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            if (!SHORT_CODE.matcher(text).matches()) {
                throw new IllegalArgumentException(quoted + " is " + text.length() + " digits: a short code has 3 to 8; "
                        + "write a longer number in E.164 with its + and country code");
            }
            return new SenderId(text, Form.SHORT_CODE);
        }
        if (text.length() > MAX_ALPHANUMERIC) {
            throw new IllegalArgumentException(quoted + " is " + text.length() + " characters; an alphanumeric "
                    + "sender has at most " + MAX_ALPHANUMERIC);
        }
        if (!GSM_ASCII.matcher(text).matches()) {
            throw new IllegalArgumentException(quoted + " holds characters an alphanumeric sender cannot carry: "
                    + "only letters A-Z a-z, digits, spaces and !\"#$%&'()*+,-./:;<=>?@_ (GSM 7-bit basic "
                    + "characters that are also ASCII)");
        }
        if (text.startsWith(" ") || text.endsWith(" ")) {
            throw new IllegalArgumentException(quoted + " starts or ends with a space; carriers drop it");
        }
        if (!LETTER.matcher(text).matches()) {
            throw new IllegalArgumentException(quoted + " has no letter: an alphanumeric sender needs one (digits "
                    + "alone are a short code or a number)");
        }
        return new SenderId(text, Form.ALPHANUMERIC);
    }

    /** The source_addr on the wire: the text, without the {@code +} of an international number. */
    public String address() {
        return form == Form.INTERNATIONAL ? text.substring(1) : text;
    }

    /** Control characters and anything past 40 characters never reach an error message as they are. */
    private static String printable(String text) {
        StringBuilder sb = new StringBuilder();
        text.codePoints().limit(40).forEach(c -> {
            if (Character.isISOControl(c)) {
                sb.append(String.format("\\u%04x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return text.codePointCount(0, text.length()) > 40 ? sb + "..." : sb.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
