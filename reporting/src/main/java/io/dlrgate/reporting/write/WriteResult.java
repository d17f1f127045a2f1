package io.dlrgate.reporting.write;

import java.util.List;

/**
 * The outcome of one group-commit transaction.
 *
 * @param receipts        one outcome per receipt written, in the order given
 * @param matchedOrphans  outcomes of orphans from earlier batches that this batch's accepted submits matched
 * @param suppressed      numbers this batch put on the suppressed list (hard-bounce threshold reached, or an
 *                        opt-out reply)
 * @param moves           the tab changes of the batch (receipts, matched orphans and failed submits), aggregated
 *                        per campaign and pair of tabs
 * @param finalized       the messages this batch made final for the first time (receipts and failed submits)
 */
public record WriteResult(List<ReceiptOutcome> receipts, List<ReceiptOutcome> matchedOrphans, int suppressed,
                          List<TabMove> moves, List<Finalization> finalized) {
}
