package io.dlrgate.reporting.report;

import java.time.Instant;

/**
 * RFC 4180 CSV lines: fields separated by commas, lines ended by CRLF, a field quoted when it holds a comma, a
 * double quote, CR or LF (or starts or ends with a space), quotes inside doubled. Nulls are empty fields.
 */
public final class CsvWriter {

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
