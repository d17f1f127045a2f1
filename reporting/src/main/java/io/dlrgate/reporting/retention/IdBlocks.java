package io.dlrgate.reporting.retention;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * The monthly blocks of ids that partition {@code messages} and {@code receipts} (V26): month m, counted from
 * January 2000 in UTC, owns the ids [m * 2^40, (m + 1) * 2^40). The same arithmetic as the database's
 * {@code partition_block_start}, for statements that name the lowest block they need: a bound given as a
 * parameter is a constant in PostgreSQL's plan, so the planner leaves the months below it out altogether, which a
 * bound it computed itself would not (it would plan every month and prune at run time).
 */
public final class IdBlocks {

    private static final int BLOCK_BITS = 40;

    private IdBlocks() {
    }

    /** The first id of a month's block. */
    public static long firstIdOf(YearMonth month) {
        return ((month.getYear() - 2000) * 12L + month.getMonthValue() - 1) << BLOCK_BITS;
    }

    /**
     * The first id of the block of the month before {@code at}'s: ids drawn at or after {@code at} are at least
     * this. One month before, not {@code at}'s own: the sequence moves into a month's block at the first
     * maintenance run of that month (hourly), so the first ids of a month may still be the previous block's.
     */
    public static long lowestIdDrawnSince(Instant at) {
        return firstIdOf(YearMonth.from(at.atZone(ZoneOffset.UTC)).minusMonths(1));
    }
}
