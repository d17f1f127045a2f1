package io.dlrgate.gateway.carriers;

/**
 * Events counted per second over the last {@link #SECONDS} seconds: one slot per second in a ring, each slot
 * stamped with the second it counts, so a slot left over from a minute ago counts as empty without anyone
 * clearing it. Fixed memory, no allocation per event; synchronized, and the callers are a few commit threads.
 */
final class PerSecondWindow {

    static final int SECONDS = 60;

    private final long[] counts = new long[SECONDS];
    private final long[] stampedSecond = new long[SECONDS];

    PerSecondWindow() {
        java.util.Arrays.fill(stampedSecond, Long.MIN_VALUE);
    }

    synchronized void add(long epochSecond, int n) {
        int i = (int) Math.floorMod(epochSecond, (long) SECONDS);
        if (stampedSecond[i] != epochSecond) {
            stampedSecond[i] = epochSecond;
            counts[i] = 0;
        }
        counts[i] += n;
    }

    /** Events in the {@link #SECONDS} seconds up to and including {@code epochSecond}. */
    synchronized long lastMinute(long epochSecond) {
        long sum = 0;
        for (int i = 0; i < SECONDS; i++) {
            if (stampedSecond[i] > epochSecond - SECONDS && stampedSecond[i] <= epochSecond) {
                sum += counts[i];
            }
        }
        return sum;
    }
}
