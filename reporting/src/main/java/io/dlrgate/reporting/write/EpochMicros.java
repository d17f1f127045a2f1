package io.dlrgate.reporting.write;

import java.time.Instant;

/**
 * Timestamps as they travel in the writer's array parameters: epoch microseconds (int8), turned back into a
 * {@code timestamptz} by the SQL, with exactly the value the driver's {@code setTimestamp} would store.
 */
final class EpochMicros {

    /** SQL turning epoch microseconds (int8, null stays null) back into a timestamptz, exactly. */
    private static final String FROM_MICROS = "(timestamptz 'epoch' + %s * interval '1 microsecond')";

    private EpochMicros() {
    }

    /** {@link #FROM_MICROS} around the SQL expression {@code micros}. */
    static String sql(String micros) {
        return FROM_MICROS.formatted(micros);
    }

    /**
     * Epoch microseconds of an instant, rounded half up from nanoseconds: the same value pgjdbc sends for
     * {@code setTimestamp(Timestamp.from(instant))}. Null stays null.
     */
    static Long of(Instant t) {
        if (t == null) {
            return null;
        }
        // Seconds to micros, then the nanos rounded: the same value as rounding the total nanos, without computing
        // them (epoch nanos overflow a long before 1677 and after 2262, and receipts do carry dates like 9999).
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), (t.getNano() + 500L) / 1_000L);
    }
}
