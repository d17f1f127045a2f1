package io.dlrgate.reporting.report;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a timeline's span is cut into buckets: a width the reader asked for, or a round one picked so the span fits
 * {@link #AUTO} buckets; never more than {@link #MAX} buckets, whatever is asked (a chart has no use for more, and
 * the answer stays small).
 */
public final class TimelineBuckets {

    /** The most buckets a timeline has. */
    public static final int MAX = 500;
    /** The most buckets of a timeline whose width the server picks. */
    public static final int AUTO = 60;

    private static final List<Duration> ROUND = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
            Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2),
            Duration.ofHours(3), Duration.ofHours(6), Duration.ofHours(12), Duration.ofDays(1), Duration.ofDays(2),
            Duration.ofDays(7));

    private TimelineBuckets() {
    }

    /** Buckets of {@code width} needed to cover {@code span} (at least one). */
    public static long count(Duration span, Duration width) {
        if (span.isNegative() || span.isZero()) {
            return 1;
        }
        long n = span.toMillis() / width.toMillis();
        return span.toMillis() % width.toMillis() == 0 ? n : n + 1;
    }

    /** The smallest round width that covers {@code span} in at most {@link #AUTO} buckets. */
    public static Duration auto(Duration span) {
        for (Duration w : ROUND) {
            if (count(span, w) <= AUTO) {
                return w;
            }
        }
        return Duration.ofDays(count(span, Duration.ofDays(AUTO)));
    }

    /**
     * Why {@code width} cannot cut {@code span}, or empty when it can: under a second, or more than {@link #MAX}
     * buckets (the message names the narrowest width that fits).
     */
    public static Optional<String> refusal(Duration span, Duration width) {
        if (width.compareTo(Duration.ofSeconds(1)) < 0) {
            return Optional.of("must be at least PT1S");
        }
        long n = count(span, width);
        if (n > MAX) {
            Duration fits = Duration.ofSeconds(count(span, Duration.ofSeconds(MAX)));
            return Optional.of(width + " makes " + n + " buckets over the " + span.toSeconds() + " s since the "
                    + "first send; at most " + MAX + ": use " + fits + " or wider, or leave it out");
        }
        return Optional.empty();
    }
}
