package io.dlrgate.reporting.report;

import java.time.Instant;

/**
 * RFC 4180 CSV lines: fields separated by commas, lines ended by CRLF, a field quoted when it holds a comma, a
 * double quote, CR or LF (or starts or ends with a space), quotes inside doubled. Nulls are empty fields.
 *
 * <p>Formula injection: a spreadsheet opening the file runs a cell that starts with {@code =}, {@code +},
 * {@code -}, {@code @}, TAB or CR as a formula ({@code =HYPERLINK(...)} in a campaign name). Such text cells get a
 * leading {@code '} (OWASP "CSV Injection"), which makes the spreadsheet show them as text. Two kinds of cell are
 * left as they are: numbers and instants (not text: a count or a date can't hold a formula), and a phone number in
 * E.164 form ({@code +447700900123}), which users sort and join on. A {@code +} and digits only is a number
 * constant to a spreadsheet, never a call, so it is safe wherever it appears; and the number columns only ever
 * hold E.164, since every message's recipient is normalised by the send path before it is stored.
 */
public final class CsvWriter {

    /** {@code +} and 2 to 15 digits, no leading zero: E.164. */
    private static final java.util.regex.Pattern E164 = java.util.regex.Pattern.compile("\\+[1-9][0-9]{1,14}");

    private final StringBuilder out;

    public CsvWriter(StringBuilder out) {
        this.out = out;
    }

    public CsvWriter row(Object... fields) {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            field(out, fields[i]);
        }
        out.append("\r\n");
        return this;
    }

    public static String line(Object... fields) {
        StringBuilder sb = new StringBuilder();
        new CsvWriter(sb).row(fields);
        return sb.toString();
    }

    static void field(StringBuilder out, Object v) {
        if (v == null) {
            return;
        }
        String s = v instanceof Instant i ? i.toString() : v.toString();
        if (v instanceof CharSequence && startsLikeAFormula(s)) {
            s = "'" + s;
        }
        if (needsQuotes(s)) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (ch == '"') {
                    out.append('"');
                }
                out.append(ch);
            }
            out.append('"');
        } else {
            out.append(s);
        }
    }

    static boolean startsLikeAFormula(String s) {
        if (s.isEmpty()) {
            return false;
        }
        return switch (s.charAt(0)) {
            case '=', '-', '@', '\t', '\r' -> true;
            case '+' -> !E164.matcher(s).matches();
            default -> false;
        };
    }

    private static boolean needsQuotes(String s) {
        if (s.isEmpty()) {
            return false;
        }
        if (s.charAt(0) == ' ' || s.charAt(s.length() - 1) == ' ') {
            return true;
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == ',' || ch == '"' || ch == '\r' || ch == '\n') {
                return true;
            }
        }
        return false;
    }
}
