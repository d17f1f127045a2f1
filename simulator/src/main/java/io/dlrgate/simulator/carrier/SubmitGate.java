package io.dlrgate.simulator.carrier;

import com.cloudhopper.smpp.SmppConstants;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The submit faults that do not depend on the message (so the outcome policy never sees them): a rate above which
 * submit_sm is throttled, the hold limit of receipts, late answers and a connection dropped after N submits.
 * Called under the {@link SubmitAnswerer}'s decide lock, in order of arrival; the late-answer draw comes from the
 * carrier's seed.
 */
final class SubmitGate {
    private final Supplier<SmscSettings> settings;
    private final Random lateDraws;
    private long windowSecond = Long.MIN_VALUE;
    private int inWindow;
    private long submitsCounted;
    private int drops;

    final AtomicLong rateThrottled = new AtomicLong();
    final AtomicLong heldFull = new AtomicLong();
    final AtomicLong lateAnswers = new AtomicLong();
    final AtomicLong connectionsDropped = new AtomicLong();

    SubmitGate(Supplier<SmscSettings> settings, long seed) {
        this.settings = settings;
        this.lateDraws = new Random(seed ^ 0x5375626D69744761L);
    }

    /**
     * 0 to let the policy decide, or the status to answer with instead: ESME_RMSGQFUL while {@code outstanding}
     * receipts fill the hold, ESME_RTHROTTLED beyond the rate (a fixed one-second window).
     */
    int refusal(long outstanding, long nowNanos) {
        SmscSettings s = settings.get();
        if (outstanding >= s.holdReceipts()) {
            heldFull.incrementAndGet();
            return SmppConstants.STATUS_MSGQFUL;
        }
        if (s.throttleRate() > 0) {
            long second = nowNanos / 1_000_000_000L;
            if (second != windowSecond) {
                windowSecond = second;
                inWindow = 0;
            }
            if (++inWindow > s.throttleRate()) {
                rateThrottled.incrementAndGet();
                return SmppConstants.STATUS_THROTTLED;
            }
        }
        return 0;
    }

    /** How late this submit's answer goes out (0: at once). */
    long lateMillis() {
        SmscSettings s = settings.get();
        if (s.lateShare() <= 0 || s.lateMillis() <= 0 || lateDraws.nextDouble() >= s.lateShare()) {
            return 0;
        }
        lateAnswers.incrementAndGet();
        return s.lateMillis();
    }

    /** True when the connection that carried this submit is to be closed once its answer is written. */
    boolean dropAfterThis() {
        SmscSettings s = settings.get();
        if (s.dropAfterSubmits() <= 0 || drops >= s.dropTimes()) {
            return false;
        }
        if (++submitsCounted % s.dropAfterSubmits() != 0) {
            return false;
        }
        drops++;
        connectionsDropped.incrementAndGet();
        return true;
    }
}
