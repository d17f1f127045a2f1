package io.dlrgate.config;

import java.time.Duration;

/**
 * When failed credential checks from one source address lock it out: {@code limit} failures within {@code window}
 * refuse that address for {@code lockout}. The shape of {@code auth.login_failures} (and of the SMPP bind one).
 */
public record FailureLimits(int limit, Duration window, Duration lockout) {

    public static final FailureLimits DEFAULT = new FailureLimits(10, Duration.ofMinutes(1), Duration.ofMinutes(5));

    /** The bounds the reader checks: a lockout longer than a day is a denial of service waiting to happen. */
    public static final int MAX_LIMIT = 1000;
    public static final Duration MAX_WINDOW = Duration.ofHours(1);
    public static final Duration MAX_LOCKOUT = Duration.ofDays(1);
}
