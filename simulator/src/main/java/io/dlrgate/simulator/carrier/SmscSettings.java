package io.dlrgate.simulator.carrier;

/**
 * What a simulated carrier does when it is the SMSC (ESMEs bind to it), besides what it does in either role.
 * The submit faults ({@code throttleRate}, late answers, dropped connections) work in the carrier role too; the
 * bind faults and the receipt routing only where the simulator accepts binds.
 *
 * @param refuseBindStatus       refuse binds with this command_status (0: accept every bind with the right
 *                               credentials), e.g. 0x0E ESME_RINVPASWD ...
 * @param refuseBindTimes        ... the first N binds, then accept (0: refuse every bind)
 * @param throttleRate           answer submit_sm beyond this many per second (per carrier) with ESME_RTHROTTLED
 *                               (0: no limit)
 * @param lateShare              share of submit_sm answered late ...
 * @param lateMillis             ... by this long (the ESME's window fills, its request timeout may fire)
 * @param dropAfterSubmits       close the connection that carried the N-th submit_sm (counted per carrier), once its
 *                               answer is written (0: never) ...
 * @param dropTimes              ... at most this many times
 * @param receiptsOnReceiverOnly send receipts on receiver binds only, never on a transceiver bind
 * @param holdReceipts           receipts held at most (planned, not yet acknowledged: while no receiver bind is up
 *                               they wait); beyond, submit_sm is answered ESME_RMSGQFUL (0x14) so nothing is lost
 * @param maxBinds               binds of one system_id open at once; more are refused with ESME_RBINDFAIL
 */
public record SmscSettings(int refuseBindStatus, int refuseBindTimes, int throttleRate, double lateShare,
                           long lateMillis, int dropAfterSubmits, int dropTimes, boolean receiptsOnReceiverOnly,
                           int holdReceipts, int maxBinds) {

    public static final int DEFAULT_HOLD_RECEIPTS = 100_000;
    public static final int DEFAULT_MAX_BINDS = 16;

    /** No faults, the default hold and bind limits. */
    public static final SmscSettings NONE = new SmscSettings(0, 0, 0, 0, 0, 0, 0, false, DEFAULT_HOLD_RECEIPTS,
            DEFAULT_MAX_BINDS);

    public SmscSettings {
        if (refuseBindStatus < 0 || refuseBindTimes < 0 || throttleRate < 0 || lateMillis < 0 || dropAfterSubmits < 0
                || dropTimes < 0) {
            throw new IllegalArgumentException("SMSC settings must not be negative");
        }
        if (lateShare < 0 || lateShare > 1) {
            throw new IllegalArgumentException("lateShare must be between 0 and 1, got " + lateShare);
        }
        if (holdReceipts < 1 || maxBinds < 1) {
            throw new IllegalArgumentException("holdReceipts and maxBinds must be >= 1");
        }
    }

    public SmscSettings withRefuseBinds(int status, int times) {
        return new SmscSettings(status, times, throttleRate, lateShare, lateMillis, dropAfterSubmits, dropTimes,
                receiptsOnReceiverOnly, holdReceipts, maxBinds);
    }

    public SmscSettings withThrottleRate(int perSecond) {
        return new SmscSettings(refuseBindStatus, refuseBindTimes, perSecond, lateShare, lateMillis, dropAfterSubmits,
                dropTimes, receiptsOnReceiverOnly, holdReceipts, maxBinds);
    }

    public SmscSettings withLateAnswers(double share, long millis) {
        return new SmscSettings(refuseBindStatus, refuseBindTimes, throttleRate, share, millis, dropAfterSubmits,
                dropTimes, receiptsOnReceiverOnly, holdReceipts, maxBinds);
    }

    public SmscSettings withDropAfterSubmits(int submits, int times) {
        return new SmscSettings(refuseBindStatus, refuseBindTimes, throttleRate, lateShare, lateMillis, submits, times,
                receiptsOnReceiverOnly, holdReceipts, maxBinds);
    }

    public SmscSettings withReceiptsOnReceiverOnly(boolean v) {
        return new SmscSettings(refuseBindStatus, refuseBindTimes, throttleRate, lateShare, lateMillis,
                dropAfterSubmits, dropTimes, v, holdReceipts, maxBinds);
    }

    public SmscSettings withHoldReceipts(int n) {
        return new SmscSettings(refuseBindStatus, refuseBindTimes, throttleRate, lateShare, lateMillis,
                dropAfterSubmits, dropTimes, receiptsOnReceiverOnly, n, maxBinds);
    }

    public SmscSettings withMaxBinds(int n) {
        return new SmscSettings(refuseBindStatus, refuseBindTimes, throttleRate, lateShare, lateMillis,
                dropAfterSubmits, dropTimes, receiptsOnReceiverOnly, holdReceipts, n);
    }
}
