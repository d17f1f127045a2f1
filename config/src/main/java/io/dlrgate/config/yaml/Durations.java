package io.dlrgate.config.yaml;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in the configuration: ISO-8601 ({@code PT48H}, {@code P2D}) or short forms made of
 * number-and-unit parts ({@code 48h}, {@code 10m}, {@code 5ms}, {@code 30s}, {@code 2d}, {@code 1h30m}).
 * Units: {@code d}, {@code h}, {@code m}, {@code s}, {@code ms}, {@code us}, {@code ns}.
 */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+)\\s*(ms|us|µs|ns|d|h|m|s)");
    private static final Pattern BARE_NUMBER = Pattern.compile("[+-]?\\d+(\\.\\d+)?");

    private Durations() {
    }

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException with a message fit for a user when the text is not a duration
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("expected a duration such as 30s, 10m, 48h, 2d, 5ms or PT48H, got nothing");
        }
        String s = text.trim();
        char first = s.charAt(0);
        if (first == 'P' || first == 'p' || ((first == '-' || first == '+') && s.length() > 1
                && (s.charAt(1) == 'P' || s.charAt(1) == 'p'))) {
            try {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not an ISO-8601 duration: \"" + s + "\" (write e.g. PT48H, P2D or 48h)");
            }
        }
        if (BARE_NUMBER.matcher(s).matches()) {
            throw new IllegalArgumentException("a duration needs a unit: \"" + s + "\" (write e.g. " + s + "s, "
                    + s + "ms, or PT" + s + "S)");
        }
        String lower = s.toLowerCase(Locale.ROOT);
        Matcher m = PART.matcher(lower);
        Duration total = Duration.ZERO;
        int pos = 0;
        boolean any = false;
        try {
            while (pos < lower.length()) {
                if (!m.find(pos) || m.start() != pos) {
                    throw notADuration(s);
                }
                total = total.plus(unit(Long.parseLong(m.group(1)), m.group(2)));
                pos = m.end();
                any = true;
                while (pos < lower.length() && lower.charAt(pos) == ' ') {
                    pos++;
                }
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("duration too large: \"" + s + "\"");
        }
        if (!any) {
            throw notADuration(s);
        }
        return total;
    }

    private static IllegalArgumentException notADuration(String s) {
        return new IllegalArgumentException("not a duration: \"" + s
                + "\" (write e.g. 30s, 10m, 48h, 2d, 5ms, 1h30m or ISO-8601 PT48H)");
    }

    private static Duration unit(long n, String unit) {
        switch (unit) {
            case "d": return Duration.ofDays(n);
            case "h": return Duration.ofHours(n);
            case "m": return Duration.ofMinutes(n);
            case "s": return Duration.ofSeconds(n);
            case "ms": return Duration.ofMillis(n);
            case "us":
            case "µs": return Duration.ofNanos(Math.multiplyExact(n, 1000L));
            case "ns": return Duration.ofNanos(n);
            default: throw new IllegalStateException(unit);
        }
    }

    /**
     * Writes a duration in the short form, which {@link #parse} reads back to the same value:
     * {@code 48h} is written {@code 2d}, 90 minutes {@code 1h30m}, zero {@code 0s}.
     */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.isNegative()) {
            // The short form has no sign; ISO-8601 does.
            return d.toString();
        }
        StringBuilder sb = new StringBuilder();
        long days = d.toDays();
        append(sb, days, "d");
        append(sb, d.toHoursPart(), "h");
        append(sb, d.toMinutesPart(), "m");
        append(sb, d.toSecondsPart(), "s");
        int nanos = d.toNanosPart();
        append(sb, nanos / 1_000_000, "ms");
        append(sb, (nanos / 1_000) % 1_000, "us");
        append(sb, nanos % 1_000, "ns");
        return sb.toString();
    }

    private static void append(StringBuilder sb, long n, String unit) {
        if (n != 0) {
            sb.append(n).append(unit);
        }
    }
}
