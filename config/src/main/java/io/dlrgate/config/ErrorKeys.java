package io.dlrgate.config;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one spelling of an error that bounce classification looks up, shared by the config reader (keys of
 * {@code carriers[].error_classes}) and the classifier (values from receipts and submit responses), so that
 * {@code "001"}, {@code "01"} and {@code "1"} are one key.
 *
 * <ul>
 *   <li>{@code err} from the receipt text: decimal digits lose their leading zeros ({@code 001} -> {@code 1});
 *       anything else is trimmed and upper-cased ({@code 0x1f} -> {@code 0X1F}).</li>
 *   <li>network_error_code TLV, written {@code type:code}: {@code net:3:27} (both parts decimal).</li>
 *   <li>submit_sm_resp command_status: {@code submit:11} (decimal; the config also takes {@code submit:0x0B}).</li>
 * </ul>
 */
public final class ErrorKeys {

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");
    private static final Pattern NETWORK = Pattern.compile("([0-9]{1,3}):([0-9]{1,5})");
    private static final Pattern SUBMIT = Pattern.compile("(?i)submit:(0x[0-9a-f]{1,8}|[0-9]{1,10})");

    private ErrorKeys() {
    }

    /** 1 to 9 ASCII digits: an err value that is a number (an int, whatever its leading zeros). */
    public static boolean isDecimal(String key) {
        return key != null && DIGITS.matcher(key).matches();
    }

    /** The key of an {@code err} value; null for null or blank. */
    public static String err(String err) {
        if (err == null) {
            return null;
        }
        String e = err.strip();
        if (e.isEmpty()) {
            return null;
        }
        if (DIGITS.matcher(e).matches()) {
            return String.valueOf(Integer.parseInt(e));
        }
        return e.toUpperCase(Locale.ROOT);
    }

    /** The key of a network_error_code written {@code type:code}; null when absent or not in that form. */
    public static String network(String typeColonCode) {
        if (typeColonCode == null) {
            return null;
        }
        var m = NETWORK.matcher(typeColonCode.strip());
        if (!m.matches()) {
            return null;
        }
        return "net:" + Integer.parseInt(m.group(1)) + ":" + Integer.parseInt(m.group(2));
    }

    public static String submit(int commandStatus) {
        return "submit:" + Integer.toUnsignedString(commandStatus);
    }

    /**
     * The key of an entry of {@code error_classes} as written in the config: {@code "001"}, {@code "3:27"} or
     * {@code "submit:0x0B"}; throws IllegalArgumentException with a message fit for the user.
     */
    public static String configKey(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("blank error key");
        }
        var s = SUBMIT.matcher(t);
        if (s.matches()) {
            String v = s.group(1);
            long status = v.toLowerCase(Locale.ROOT).startsWith("0x") ? Long.parseLong(v.substring(2), 16)
                    : Long.parseLong(v);
            if (status > 0xFFFFFFFFL || status == 0) {
                throw new IllegalArgumentException("submit status out of range: " + v);
            }
            return submit((int) status);
        }
        if (t.toLowerCase(Locale.ROOT).startsWith("submit:")) {
            throw new IllegalArgumentException("not a submit status: \"" + text
                    + "\" (write submit: then a command_status, e.g. submit:0x0B)");
        }
        if (t.indexOf(':') >= 0) {
            String k = network(t);
            if (k == null) {
                throw new IllegalArgumentException("not a network error code: \"" + text
                        + "\" (write network type:code, e.g. 3:27 for GSM absent subscriber)");
            }
            return k;
        }
        if (t.length() > 10 || !t.chars().allMatch(ch -> ch > 0x20 && ch < 0x7F)) {
            throw new IllegalArgumentException("not an err value: \"" + text
                    + "\" (up to 10 printable characters, e.g. \"001\")");
        }
        return err(t);
    }
}
