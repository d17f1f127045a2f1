package io.dlrgate.simulator.scenario;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as scenario files write them: {@code 250ms}, {@code 2s}, {@code 10m}, {@code 2h}, {@code 1d}, {@code 1h30m}. */
final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {
    }

    /** Milliseconds; throws IllegalArgumentException with a message fit for a problem line. */
    static long parseMillis(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) {
            throw new IllegalArgumentException("expected a duration such as 500ms, 2s, 10m, 2h, got an empty value");
        }
        if (t.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + text + "' has no unit: write 500ms, 2s, 10m, 2h or 1d");
        }
        Matcher m = PART.matcher(t);
        int at = 0;
        long total = 0;
        while (at < t.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("'" + text + "' is not a duration: write 500ms, 2s, 10m, 2h, 1d or 1h30m");
            }
            long n = Long.parseLong(m.group(1));
            long unit = switch (m.group(2)) {
                case "ms" -> 1L;
                case "s" -> 1_000L;
                case "m" -> 60_000L;
                case "h" -> 3_600_000L;
                default -> 86_400_000L;
            };
            total = Math.addExact(total, Math.multiplyExact(n, unit));
            at = m.end();
        }
        return total;
    }
}
