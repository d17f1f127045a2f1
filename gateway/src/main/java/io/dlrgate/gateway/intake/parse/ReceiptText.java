package io.dlrgate.gateway.intake.parse;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The fields of a receipt text, SMPP 3.4 appendix B style:
 * {@code id:IIIIIIIIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DDDDDDD err:E text:...}.
 *
 * <p>Tolerated: labels in any case; {@code submit date}, {@code submitdate}, {@code submit_date} (and the same for
 * {@code done date}); any spacing around labels and values; fields missing or in another order; unknown fields
 * ({@code imsi:}, {@code mcc:}, ...), which are skipped. Values of {@code id}, {@code sub}, {@code dlvrd},
 * {@code stat}, {@code err} and the dates are single tokens (anything after the first token up to the next label is
 * junk, recorded as a warning). {@code text:} runs to the end of the receipt, because the original message may
 * itself contain words followed by colons; only a known field not yet seen ends it early.
 *
 * <p>Dates: 10 digits {@code YYMMDDhhmm}, 12 {@code YYMMDDhhmmss} or 14 {@code YYYYMMDDhhmmss}, in the carrier's
 * time zone; two-digit years are 2000..2099. All zeros means "no date" (null). An impossible or unreadable date is
 * null plus a warning, never an exception.
 */
public final class ReceiptText {


    private String id;
    private String sub;
    private String dlvrd;
    private String submitDateRaw;
    private String doneDateRaw;
    private Instant submitDate;
    private Instant doneDate;
    private String stat;
    private String err;
    private String text;
    private final List<String> warnings = new ArrayList<>();

    private ReceiptText() {
    }

    /**
     * Parses a receipt text.
     *
     * @param raw  the decoded text (may be null or empty: every field is then null)
     * @param zone the carrier's time zone for the dates
     */
    public static ReceiptText parse(String raw, ZoneId zone) {
        ReceiptText r = new ReceiptText();
        if (raw != null && !raw.isEmpty()) {
            r.scan(raw, zone);
        }
        return r;
    }

    enum Known {
        ID, SUB, DLVRD, SUBMIT_DATE, DONE_DATE, STAT, ERR, TEXT, UNKNOWN;

        /** The field a label names: case, spaces, dashes and underscores do not matter. */
        static Known of(String label) {
            StringBuilder k = new StringBuilder(label.length());
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (c >= 'A' && c <= 'Z') {
                    k.append((char) (c + ('a' - 'A')));
                } else if (c >= 'a' && c <= 'z') {
                    k.append(c);
                }
            }
            return switch (k.toString()) {
                case "id" -> ID;
                case "sub" -> SUB;
                case "dlvrd" -> DLVRD;
                case "submitdate" -> SUBMIT_DATE;
                case "donedate" -> DONE_DATE;
                case "stat" -> STAT;
                case "err" -> ERR;
                case "text" -> TEXT;
                default -> UNKNOWN;
            };
        }
    }

    /** A label found by {@link ReceiptLabels}: its field, its name as written, where it starts, where its value starts. */
    record Label(Known kind, String name, int start, int valueStart) {
    }

    private void scan(String raw, ZoneId zone) {
        List<Label> labels = ReceiptLabels.find(raw);
        if (labels.isEmpty()) {
            warnings.add("receipt text has no 'label:value' fields: '" + abbreviate(raw) + "'");
            return;
        }
        if (labels.get(0).start() > 0 && !raw.substring(0, labels.get(0).start()).isBlank()) {
            warnings.add("ignored text before the first field: '" + abbreviate(raw.substring(0, labels.get(0).start())) + "'");
        }
        java.util.EnumSet<Known> seen = java.util.EnumSet.noneOf(Known.class);
        int i = 0;
        while (i < labels.size()) {
            Label l = labels.get(i);
            if (l.kind() == Known.TEXT && !seen.contains(Known.TEXT)) {
                // text runs to the end, or to the next known field that has not been seen yet
                int end = raw.length();
                int next = labels.size();
                for (int j = i + 1; j < labels.size(); j++) {
                    Known k = labels.get(j).kind();
                    if (k != Known.UNKNOWN && k != Known.TEXT && !seen.contains(k)) {
                        end = labels.get(j).start();
                        next = j;
                        break;
                    }
                }
                seen.add(Known.TEXT);
                text = emptyToNull(stripTrailing(raw.substring(l.valueStart(), end)).strip());
                i = next;
                continue;
            }
            int end = i + 1 < labels.size() ? labels.get(i + 1).start() : raw.length();
            String value = raw.substring(l.valueStart(), end).strip();
            i++;
            if (l.kind() == Known.UNKNOWN) {
                continue;
            }
            if (l.kind() == Known.TEXT || seen.contains(l.kind())) {
                warnings.add("field '" + l.name() + "' given twice; kept the first");
                continue;
            }
            seen.add(l.kind());
            String token = firstToken(value, l.name());
            switch (l.kind()) {
                case ID -> id = token;
                case SUB -> sub = token;
                case DLVRD -> dlvrd = token;
                case STAT -> stat = token == null ? null : token.toUpperCase(Locale.ROOT);
                case ERR -> {
                    err = token;
                    if (err != null && err.length() != 3 && err.length() != 4) {
                        warnings.add("err '" + err + "' is not 3 or 4 characters; kept as sent");
                    }
                }
                case SUBMIT_DATE -> {
                    submitDateRaw = token;
                    submitDate = parseDate(token, zone, "submit date");
                }
                case DONE_DATE -> {
                    doneDateRaw = token;
                    doneDate = parseDate(token, zone, "done date");
                }
                default -> throw new IllegalStateException(l.kind().name());
            }
        }
    }

    private String firstToken(String value, String label) {
        if (value.isEmpty()) {
            return null;
        }
        // The token ends at the first SMPP-text whitespace (space, tab, CR, LF, VT, FF); the rest is junk.
        int end = 0;
        while (end < value.length() && !ReceiptLabels.isSpace(value.charAt(end))) {
            end++;
        }
        if (end < value.length()) {
            String rest = value.substring(end);
            if (!rest.isBlank()) {
                warnings.add("ignored junk after " + label + ": '" + abbreviate(rest) + "'");
            }
        }
        String t = stripTrailing(value.substring(0, end));
        return t.isEmpty() ? null : t;
    }

    private Instant parseDate(String token, ZoneId zone, String label) {
        if (token == null) {
            return null;
        }
        boolean allZero = true;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < '0' || c > '9') {
                warnings.add(label + " '" + token + "' is not digits; ignored");
                return null;
            }
            allZero &= c == '0';
        }
        if (allZero) {
            return null;
        }
        int year;
        int p;
        switch (token.length()) {
            case 10, 12 -> {
                year = 2000 + Integer.parseInt(token.substring(0, 2));
                p = 2;
            }
            case 14 -> {
                year = Integer.parseInt(token.substring(0, 4));
                p = 4;
            }
            default -> {
                warnings.add(label + " '" + token + "' has " + token.length()
                        + " digits (expected 10, 12 or 14); ignored");
                return null;
            }
        }
        int month = Integer.parseInt(token.substring(p, p + 2));
        int day = Integer.parseInt(token.substring(p + 2, p + 4));
        int hour = Integer.parseInt(token.substring(p + 4, p + 6));
        int minute = Integer.parseInt(token.substring(p + 6, p + 8));
        int second = token.length() > p + 8 ? Integer.parseInt(token.substring(p + 8, p + 10)) : 0;
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            warnings.add(label + " '" + token + "' is not a possible date (" + e.getMessage() + "); ignored");
            return null;
        }
    }

    private static String stripTrailing(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\u0000' || Character.isWhitespace(s.charAt(end - 1)))) {
            end--;
        }
        return s.substring(0, end);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    static String abbreviate(String s) {
        String t = s.strip();
        return t.length() <= 40 ? t : t.substring(0, 40) + "...";
    }

    /** The {@code id:} value as sent, or null. */
    public String id() {
        return id;
    }

    public String sub() {
        return sub;
    }

    public String dlvrd() {
        return dlvrd;
    }

    /** The submit date token as sent (even if it could not be read), or null. */
    public String submitDateRaw() {
        return submitDateRaw;
    }

    public String doneDateRaw() {
        return doneDateRaw;
    }

    public Instant submitDate() {
        return submitDate;
    }

    public Instant doneDate() {
        return doneDate;
    }

    /** The stat token upper-cased, or null. */
    public String stat() {
        return stat;
    }

    public String err() {
        return err;
    }

    public String text() {
        return text;
    }

    public List<String> warnings() {
        return List.copyOf(warnings);
    }
}
