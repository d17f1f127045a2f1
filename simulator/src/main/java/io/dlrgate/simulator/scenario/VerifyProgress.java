package io.dlrgate.simulator.scenario;

import io.dlrgate.simulator.carrier.CarrierStats;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * What verify is doing, one line per interval: which step (sending, waiting for the report), how many messages
 * the carriers were sent and how many receipts they sent. verify can take minutes; without it the terminal
 * stays silent until the verdict. Driven by {@link #tick()} from verify's own loop, timed by a {@link Clock}.
 */
public final class VerifyProgress {
    /** Lines on a terminal: often enough to see it move. */
    public static final Duration TERMINAL_EVERY = Duration.ofSeconds(2);
    /** Lines into a file or a CI log: rarely enough not to flood it. */
    public static final Duration LOG_EVERY = Duration.ofSeconds(10);

    /** A progress that prints nothing. */
    public static final VerifyProgress NONE = new VerifyProgress(null, Clock.systemUTC(), Duration.ZERO, null);

    private final PrintWriter out;
    private final Clock clock;
    private final Duration every;
    private final Supplier<CarrierStats> totals;
    private Instant next;
    private String step = "starting";

    /** @param totals the carriers' counters summed (only submits received and receipts sent/outstanding are read) */
    public VerifyProgress(PrintWriter out, Clock clock, Duration every, Supplier<CarrierStats> totals) {
        this.out = out;
        this.clock = clock;
        this.every = every;
        this.totals = totals;
        this.next = clock.instant().plus(every);
    }

    /** Progress of {@code runner}'s carriers to {@code out}, every {@code every}. */
    public static VerifyProgress of(ScenarioRunner runner, PrintWriter out, Duration every) {
        return new VerifyProgress(out, Clock.systemUTC(), every, runner::totals);
    }

    /** What verify does from now on, e.g. {@code waiting for the gateway's report}. */
    public void step(String what) {
        step = what;
        tick();
    }

    /** Prints a line when the interval has passed since the last one. */
    public void tick() {
        if (out == null) {
            return;
        }
        Instant now = clock.instant();
        if (now.isBefore(next)) {
            return;
        }
        next = now.plus(every);
        CarrierStats t = totals.get();
        out.printf(Locale.ROOT, "progress: %s; carriers got %d messages, sent %d receipts (%d not acknowledged yet)%n",
                step, t.submitsReceived(), t.receiptsSent(), t.receiptsOutstanding());
        out.flush();
    }
}
