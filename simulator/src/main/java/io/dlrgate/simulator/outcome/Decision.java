package io.dlrgate.simulator.outcome;

import java.util.List;

/**
 * What a carrier does with one submit_sm: the command_status of its submit_sm_resp and the receipts
 * it will send afterwards (possibly none: silence, left to the gateway's validity expiry).
 *
 * @param submitStatus SMPP command_status of the submit_sm_resp; 0 accepts the message
 * @param receipts     receipts in the order they are planned; ignored unless submitStatus is 0
 * @param receiptsFirst send the receipts before the submit_sm_resp (a fault: the carrier answers the submit only
 *                      once its receipts were answered, or after a few seconds), so the gateway gets receipts
 *                      for an id it does not know yet
 */
public record Decision(int submitStatus, List<PlannedReceipt> receipts, boolean receiptsFirst) {
    public Decision {
        receipts = List.copyOf(receipts);
    }

    public Decision(int submitStatus, List<PlannedReceipt> receipts) {
        this(submitStatus, receipts, false);
    }

    /** This decision with its receipts sent before the submit_sm_resp. */
    public Decision withReceiptsFirst() {
        return new Decision(submitStatus, receipts, true);
    }

    public static Decision accept(List<PlannedReceipt> receipts) {
        return new Decision(0, receipts);
    }

    public static Decision silence() {
        return new Decision(0, List.of());
    }

    public static Decision reject(int commandStatus) {
        if (commandStatus == 0) {
            throw new IllegalArgumentException("a rejection needs a non-zero command_status");
        }
        return new Decision(commandStatus, List.of());
    }
}
