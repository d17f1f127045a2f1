package io.dlrgate.simulator.carrier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Runs a second apart issue different ids; carriers of one run get bands of their own; hex stays above 2^63. */
class IdStartsTest {

    static final Instant T = Instant.parse("2026-11-28T03:00:00Z");

    @Test
    void aRerunDoesNotStartWhereTheLastRunStarted() {
        for (IdFormat f : IdFormat.values()) {
            assertNotEquals(IdStarts.forRun(f, 0, T), IdStarts.forRun(f, 0, T.plusSeconds(1)), f.name());
        }
        // A run issuing 10^8 decimal ids per carrier never reaches the next second's run.
        assertTrue(IdStarts.forRun(IdFormat.DECIMAL, 9, T) + 100_000_000L <= IdStarts.forRun(IdFormat.DECIMAL, 0,
                T.plusSeconds(1)));
    }

    @Test
    void carriersOfARunGetTheirOwnBands() {
        assertEquals(100_000_000L, IdStarts.forRun(IdFormat.DECIMAL, 1, T) - IdStarts.forRun(IdFormat.DECIMAL, 0, T));
        assertEquals(1L << 32, IdStarts.forRun(IdFormat.HEX, 1, T) - IdStarts.forRun(IdFormat.HEX, 0, T));
    }

    @Test
    void hexIdsNeedUnsigned64BitAndDecimalIdsFitSixteenDigits() {
        for (long s = 0; s < IdStarts.BLOCKS; s += 99_991) {
            Instant when = Instant.ofEpochSecond(s);
            long hex = IdStarts.forRun(IdFormat.HEX, 15, when);
            assertTrue(hex < 0, "above 2^63 read as signed: " + Long.toHexString(hex));
            // a carrier's band of 2^32 ids fits below 2^64: no wrap-around into small (signed-positive) ids
            assertTrue(Long.compareUnsigned(hex + (1L << 32) - 1, hex) > 0, Long.toHexString(hex));
            assertTrue(Long.toString(IdStarts.forRun(IdFormat.DECIMAL, 9, when)).length() <= 16);
        }
    }
}
