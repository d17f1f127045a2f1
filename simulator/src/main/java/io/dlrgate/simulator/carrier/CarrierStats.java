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
 * @param receiptsFirst        messages whose receipts were sent before their submit_sm_resp (fault)
 * @param noiseReceipts        receipts for unknown ids and malformed receipts sent (fault; each counted once)
 * @param enquireLinksIgnored  enquire_link requests left unanswered (fault)
 * @param readPauses           times the carrier stopped reading its sockets (fault: slow reading)
 * @param heldDown             true while the binds are dropped and kept down (control endpoint)
 */
public record CarrierStats(long submitsReceived, long submitsRejected, long receiptsPlanned, long receiptsSent,
                           long receiptsAcknowledged, long throttledRetries, long receiptsRefused,
                           long receiptsRequeued, long receiptsAbandoned, long binds, long bindFailures, long reconnects, int boundSessions,
                           long receiptsFirst, long noiseReceipts, long enquireLinksIgnored, long readPauses,
                           boolean heldDown) {

    public CarrierStats(long submitsReceived, long submitsRejected, long receiptsPlanned, long receiptsSent,
                        long receiptsAcknowledged, long throttledRetries, long receiptsRefused, long receiptsRequeued,
                        long receiptsAbandoned, long binds, long bindFailures, long reconnects, int boundSessions) {
        this(submitsReceived, submitsRejected, receiptsPlanned, receiptsSent, receiptsAcknowledged, throttledRetries,
                receiptsRefused, receiptsRequeued, receiptsAbandoned, binds, bindFailures, reconnects, boundSessions,
                0, 0, 0, 0, false);
    }

    /** Receipts planned but neither acknowledged nor refused yet. */
    public long receiptsOutstanding() {
        return receiptsPlanned - receiptsAcknowledged - receiptsRefused - receiptsAbandoned;
    }

    public String describe(String name) {
        return String.format(java.util.Locale.ROOT,
                "%s: submits received %d (rejected %d), receipts planned %d, sent %d, acknowledged %d, "
                        + "throttled retries %d, refused %d, requeued %d, abandoned %d, outstanding %d; binds %d, bind failures %d, "
                        + "reconnects %d, bound now %d%s",
                name, submitsReceived, submitsRejected, receiptsPlanned, receiptsSent, receiptsAcknowledged,
                throttledRetries, receiptsRefused, receiptsRequeued, receiptsAbandoned, receiptsOutstanding(), binds, bindFailures,
                reconnects, boundSessions, faults());
    }

    private String faults() {
        StringBuilder sb = new StringBuilder();
        if (receiptsFirst > 0) {
            sb.append(", receipts before submit_sm_resp ").append(receiptsFirst);
        }
        if (noiseReceipts > 0) {
            sb.append(", unknown-id/malformed receipts ").append(noiseReceipts);
        }
        if (enquireLinksIgnored > 0) {
            sb.append(", enquire_link unanswered ").append(enquireLinksIgnored);
        }
        if (readPauses > 0) {
            sb.append(", read pauses ").append(readPauses);
        }
        if (heldDown) {
            sb.append(", HELD DOWN");
        }
        return sb.toString();
    }
}
