package io.dlrgate.simulator.carrier;

/**
 * Session-level faults of a simulated carrier (the per-message faults are decided by its outcome policy).
 *
 * @param ignoreEnquireLinks       leave every enquire_link from the gateway unanswered
 * @param slowReadPauseMillis      stop reading the socket for this long (0: never) ...
 * @param slowReadEveryMillis      ... once per this period, so the gateway's writes back up in TCP buffers
 * @param receiptsFirstWaitMillis  with receipts sent before the submit_sm_resp: the longest the answer waits for
 *                                 the receipts to be acknowledged (it never waits forever: the gateway may be
 *                                 unable to acknowledge a receipt it cannot match)
 */
public record CarrierFaults(boolean ignoreEnquireLinks, long slowReadPauseMillis, long slowReadEveryMillis,
                           long receiptsFirstWaitMillis) {

    public static final CarrierFaults NONE = new CarrierFaults(false, 0, 0, 3_000);

    public CarrierFaults {
        if (slowReadPauseMillis < 0 || slowReadEveryMillis < 0) {
            throw new IllegalArgumentException("slow reading pause and period must be >= 0");
        }
        if (slowReadPauseMillis > 0 && slowReadEveryMillis <= slowReadPauseMillis) {
            throw new IllegalArgumentException("slow reading: the period (" + slowReadEveryMillis
                    + " ms) must be longer than the pause (" + slowReadPauseMillis + " ms)");
        }
        if (receiptsFirstWaitMillis < 0) {
            throw new IllegalArgumentException("receiptsFirstWaitMillis must be >= 0");
        }
    }

    public CarrierFaults withIgnoreEnquireLinks(boolean v) {
        return new CarrierFaults(v, slowReadPauseMillis, slowReadEveryMillis, receiptsFirstWaitMillis);
    }

    public CarrierFaults withSlowReading(long pauseMillis, long everyMillis) {
        return new CarrierFaults(ignoreEnquireLinks, pauseMillis, everyMillis, receiptsFirstWaitMillis);
    }
}
