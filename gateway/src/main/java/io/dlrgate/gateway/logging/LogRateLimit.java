package io.dlrgate.gateway.logging;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * At most N log lines per time window for one kind of message; counts the lines it drops so the next line
 * let through can say how many were not logged.
 *
 * <p>Why: a peer can send malformed or refused requests as fast as the network carries them (PDUs from a carrier,
 * receipts, HTTP requests), and each one used to write a synchronous console line on an event loop that also
 * serves everyone else. Use one instance per kind of line, so a flood of one kind never hides the first lines
 * of another.
 *
 * <p>Windows are fixed: one starts with the first line tried after the previous one ran out, so windows never
 * overlap and each lasts at least {@code window}.
 */
public final class LogRateLimit {

    /**
     * Defaults: 20 lines are plenty to see who floods with what (remote address, command id, sequence
     * numbers), and 20 per 10 s is 2 lines/s per kind on average, harmless for a console appender even with
     * every kind flooded at once. 10 s keeps the "N not logged" summary close to the flood it describes.
     */
    public static final int DEFAULT_LINES = 20;
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);

    private final int linesPerWindow;
    private final long windowNanos;
    private final LongSupplier nanoClock;

    // Guarded by this. Plain synchronized: only error paths get here (a well-behaved peer never does), and
    // even in a flood the lock is held for a few field updates, far less than the log write it saves. A
    // lock-free version would have to update three fields together for no measurable gain.
    private long windowStart;
    private int allowedInWindow;
    private long dropped;

    /** {@link #DEFAULT_LINES} per {@link #DEFAULT_WINDOW}. */
    public LogRateLimit() {
        this(DEFAULT_LINES, DEFAULT_WINDOW);
    }

    public LogRateLimit(int linesPerWindow, Duration window) {
        this(linesPerWindow, window, System::nanoTime);
    }

    /** @param nanoClock a monotonic clock in nanoseconds, like {@link System#nanoTime()} (tests pass a fake one) */
    public LogRateLimit(int linesPerWindow, Duration window, LongSupplier nanoClock) {
        if (linesPerWindow < 1) {
            throw new IllegalArgumentException("linesPerWindow must be at least 1: " + linesPerWindow);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive: " + window);
        }
        this.linesPerWindow = linesPerWindow;
        this.windowNanos = window.toNanos();
        this.nanoClock = nanoClock;
        this.windowStart = nanoClock.getAsLong();
    }

    /**
     * @return -1 when the line must not be logged (it is counted), else how many lines were dropped since the
     *         last one let through
     */
    public synchronized long tryAcquire() {
        long now = nanoClock.getAsLong();
        if (now - windowStart >= windowNanos) { // a difference: nanoTime may wrap
            windowStart = now;
            allowedInWindow = 0;
        }
        if (allowedInWindow >= linesPerWindow) {
            dropped++;
            return -1;
        }
        allowedInWindow++;
        long droppedBefore = dropped;
        dropped = 0;
        return droppedBefore;
    }

    /**
     * A suffix for the line let through: {@code " (1,234 similar lines not logged since the last one)"}, or ""
     * for 0. It does not name a time span: the last line may be much older than one window.
     */
    public static String droppedSuffix(long dropped) {
        if (dropped <= 0) {
            return "";
        }
        return String.format(Locale.ROOT, " (%,d similar %s not logged since the last one)", dropped,
                dropped == 1 ? "line" : "lines");
    }

    /** {@code log.warn(format, args)} plus the dropped-lines suffix, or nothing when over the limit. */
    public void warn(Logger log, String format, Object... args) {
        log(log, Level.WARN, format, args);
    }

    /** {@code log.info(format, args)} plus the dropped-lines suffix, or nothing when over the limit. */
    public void info(Logger log, String format, Object... args) {
        log(log, Level.INFO, format, args);
    }

    /** The last argument is a placeholder value, never taken as a stack trace: pass no Throwable. */
    private void log(Logger log, Level level, String format, Object[] args) {
        if (!log.isEnabledForLevel(level)) {
            return; // a line nobody would see neither uses up the limit nor counts as dropped
        }
        long droppedBefore = tryAcquire();
        if (droppedBefore < 0) {
            return;
        }
        Object[] withSuffix = Arrays.copyOf(args, args.length + 1);
        withSuffix[args.length] = droppedSuffix(droppedBefore);
        log.atLevel(level).log(format + "{}", withSuffix);
    }
}
