package io.dlrgate.simulator.outcome;

import java.util.Random;

/**
 * A uniform delay in milliseconds, {@code min..max} inclusive.
 */
public record DelayRange(long minMillis, long maxMillis) {
    public DelayRange {
        if (minMillis < 0 || maxMillis < minMillis) {
            throw new IllegalArgumentException("delay range must satisfy 0 <= min <= max, got "
                    + minMillis + ".." + maxMillis);
        }
    }

    public static DelayRange fixed(long millis) {
        return new DelayRange(millis, millis);
    }

    /** Parses {@code "MIN..MAX"} or a single number. */
    public static DelayRange parse(String text) {
        String t = text.trim();
        try {
            int dots = t.indexOf("..");
            if (dots < 0) {
                return fixed(Long.parseLong(t));
            }
            return new DelayRange(Long.parseLong(t.substring(0, dots).trim()),
                    Long.parseLong(t.substring(dots + 2).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("delay must be MIN..MAX in milliseconds (e.g. 100..2000), got '"
                    + text + "'");
        }
    }

    /** Draws one delay; a fixed range draws nothing from the random source. */
    public long draw(Random random) {
        if (minMillis == maxMillis) {
            return minMillis;
        }
        long span = maxMillis - minMillis + 1;
        return minMillis + (long) (random.nextDouble() * span);
    }

    @Override
    public String toString() {
        return minMillis + ".." + maxMillis;
    }
}
