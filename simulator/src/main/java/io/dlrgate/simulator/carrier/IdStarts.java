package io.dlrgate.simulator.carrier;

import java.time.Instant;

/**
 * Where the message ids of one run start, so that two runs against the same gateway never issue the same ids.
 *
 * <p>Why: a real carrier does not hand out an id again within days. A simulator that started every run at the same
 * id would: the gateway would then take a receipt that beats its {@code submit_sm_resp} for last run's message with
 * that id (it is within the gateway's {@code id_reuse_horizon}), and a rerun of a scenario would fail where the
 * first run passed. Outcomes do not depend on ids (they are drawn per number and content), so runs stay
 * repeatable.
 *
 * <p>The run's block is the second it started, modulo {@link #BLOCKS} (about 11.5 days, beyond the gateway's
 * default 7-day horizon); each carrier of a run gets a band inside its block.
 */
public final class IdStarts {

    /** Seconds before a block comes round again. */
    static final long BLOCKS = 1_000_000;

    private IdStarts() {
    }

    /**
     * @param carrierIndex the carrier's place in the run (bands: 10 for decimal ids, 16 for hex, then they wrap;
     *                     ids only need to differ per carrier, the bands just keep logs readable)
     */
    public static long forRun(IdFormat format, int carrierIndex, Instant runStart) {
        long block = Math.floorMod(runStart.getEpochSecond(), BLOCKS);
        return switch (format) {
            // Above 2^63, so the gateway must read them as unsigned 64-bit; 2^32 ids per carrier, 16 per block.
            case HEX -> 0x812FC74700000000L + (block << 36) + ((long) Math.floorMod(carrierIndex, 16) << 32);
            // 10^9 ids per run block, 10^8 per carrier: at most 16 digits (zero-padded ids need a width of 20 to
            // show their zeros; UUIDs ignore the start).
            case DECIMAL, ZERO_PADDED, UUID -> 1_000_000_000L * (1 + block) + 100_000_000L * Math.floorMod(carrierIndex, 10);
        };
    }
}
