package io.dlrgate.config;

import io.dlrgate.config.yaml.Durations;

import java.time.Duration;
import java.util.List;

/**
 * Reads a {@code {limit, window, lockout}} of failed credential checks ({@code auth.login_failures},
 * {@code smpp.bind_failures}); each key defaults to {@link FailureLimits#DEFAULT}.
 */
final class FailureLimitsReader {
    static final List<String> KEYS = List.of("limit", "window", "lockout");

    private final ReadContext ctx;

    FailureLimitsReader(ReadContext ctx) {
        this.ctx = ctx;
    }

    FailureLimits read(ConfigSection s) {
        FailureLimits d = FailureLimits.DEFAULT;
        int limit = s.integer("limit", d.limit(), 1, FailureLimits.MAX_LIMIT);
        Duration window = s.duration("window", d.window());
        if (window.compareTo(FailureLimits.MAX_WINDOW) > 0) {
            ctx.problem(s.keyPath("window"), s.lineOf("window"), "must be at most "
                    + Durations.format(FailureLimits.MAX_WINDOW) + ", got " + Durations.format(window));
            window = d.window();
        }
        Duration lockout = s.duration("lockout", d.lockout());
        if (lockout.compareTo(FailureLimits.MAX_LOCKOUT) > 0) {
            ctx.problem(s.keyPath("lockout"), s.lineOf("lockout"), "must be at most "
                    + Durations.format(FailureLimits.MAX_LOCKOUT) + ", got " + Durations.format(lockout));
            lockout = d.lockout();
        }
        s.checkUnknownKeys();
        return new FailureLimits(limit, window, lockout);
    }
}
