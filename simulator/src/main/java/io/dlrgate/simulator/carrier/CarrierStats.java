package io.dlrgate.simulator.carrier;

/**
 * A snapshot of a carrier's counters.
 *
 * @param submitsReceived      submit_sm received (all sessions)
 * @param submitsRejected      submit_sm answered with a non-zero command_status
 * @param receiptsPlanned      receipts the carrier decided to send
 * @param receiptsSent         receipt PDUs written, retries included
 * @param receiptsAcknowledged receipts answered with command_status 0 (each receipt counted once)
 * @param throttledRetries     retryable answers (0x58 ...) after which the receipt was sent again
 * @param receiptsRefused      receipts answered with a non-retryable error (kept in the ledger, not resent)
 * @param receiptsRequeued     in-flight receipts sent again because their session died or the answer timed out
 * @param receiptsAbandoned    receipts never sent because the submit_sm_resp could not be written
 * @param binds                successful binds
 * @param bindFailures         failed bind attempts
 * @param reconnects           successful binds that replaced a lost one
 * @param boundSessions        sessions bound right now
 */
public record CarrierStats(long submitsReceived, long submitsRejected, long receiptsPlanned, long receiptsSent,
                           long receiptsAcknowledged, long throttledRetries, long receiptsRefused,
                           long receiptsRequeued, long receiptsAbandoned, long binds, long bindFailures, long reconnects, int boundSessions) {

    /** Receipts planned but neither acknowledged nor refused yet. */
    public long receiptsOutstanding() {
        return receiptsPlanned - receiptsAcknowledged - receiptsRefused - receiptsAbandoned;
    }

    public String describe(String name) {
        return String.format(java.util.Locale.ROOT,
                "%s: submits received %d (rejected %d), receipts planned %d, sent %d, acknowledged %d, "
                        + "throttled retries %d, refused %d, requeued %d, abandoned %d, outstanding %d; binds %d, bind failures %d, "
                        + "reconnects %d, bound now %d",
                name, submitsReceived, submitsRejected, receiptsPlanned, receiptsSent, receiptsAcknowledged,
                throttledRetries, receiptsRefused, receiptsRequeued, receiptsAbandoned, receiptsOutstanding(), binds, bindFailures,
                reconnects, boundSessions);
    }
}
