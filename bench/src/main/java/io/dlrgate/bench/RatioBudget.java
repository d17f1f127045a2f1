package io.dlrgate.bench;

import java.util.Locale;

/**
 * What the stored/raw aim allows storing to cost, from the CPU the two phases measured.
 *
 * <p>When every process of a phase shares the same cores and keeps them busy, a phase's rate is the cores divided by
 * the CPU one receipt costs, so the stored/raw ratio is {@code raw CPU / stored CPU}. A ratio aim {@code a} therefore
 * leaves storing (stored CPU minus raw CPU) a budget of {@code raw CPU x (1/a - 1)} per receipt: two thirds of the
 * raw path's CPU for 60%. Printing the budget next to what storing did cost shows how far the aim is, and where
 * the cost sits, which the bare ratio does not. The measured ratio falls below the CPU-bound one by the time the
 * cores were not both busy (waits on commits, full windows).
 *
 * @param rawMicros    CPU per receipt of the raw phase, all processes
 * @param storedMicros CPU per receipt of the stored phase, all processes
 * @param postgresMicros PostgreSQL's part of {@code storedMicros}, or negative when it could not be read
 */
record RatioBudget(double rawMicros, double storedMicros, double postgresMicros) {

    static RatioBudget of(CpuMonitor.Figures raw, long rawReceipts, CpuMonitor.Figures stored, long storedReceipts) {
        return new RatioBudget(raw.totalNanos() / 1e3 / Math.max(1, rawReceipts),
                stored.totalNanos() / 1e3 / Math.max(1, storedReceipts),
                stored.postgresNanos() < 0 ? -1 : stored.postgresNanos() / 1e3 / Math.max(1, storedReceipts));
    }

    /** CPU per receipt that storing may add to the raw path for the stored rate to be {@code aim} of the raw. */
    double allowedOverheadMicros(double aim) {
        if (aim <= 0 || aim > 1) {
            throw new IllegalArgumentException("aim must be in (0, 1]: " + aim);
        }
        return rawMicros * (1 / aim - 1);
    }

    /** CPU per receipt that storing did add. */
    double overheadMicros() {
        return storedMicros - rawMicros;
    }

    /** The ratio the CPU alone allows: what the phases would reach with both cores busy throughout. */
    double cpuBoundRatio() {
        return storedMicros <= 0 ? 0 : rawMicros / storedMicros;
    }

    /** One line for the report, e.g. "60% of raw allows storing 19.5 µs per receipt ...". */
    String describe(double aim, double measuredRatio) {
        String pg = postgresMicros < 0 ? "PostgreSQL n/a"
                : String.format(Locale.ROOT, "PostgreSQL %.1f, gateway and JVM %.1f", postgresMicros,
                        overheadMicros() - postgresMicros);
        return String.format(Locale.ROOT, "CPU budget: %.0f%% of raw allows storing to add %.1f µs of CPU per receipt "
                        + "to the raw path's %.1f µs; this run's storing added %.1f µs (%s). CPU-bound ratio %.1f%%, "
                        + "measured %.1f%% (the difference: time the cores were not both busy).",
                aim * 100, allowedOverheadMicros(aim), rawMicros, overheadMicros(), pg, cpuBoundRatio() * 100,
                measuredRatio * 100);
    }
}
