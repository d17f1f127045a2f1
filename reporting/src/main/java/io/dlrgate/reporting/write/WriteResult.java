package io.dlrgate.reporting.write;

import java.util.List;
import java.util.Set;

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
 * @param resentReplies   the batch's replies that were a carrier's resend of one already stored (acknowledged, not
 *                        stored again); compared by identity, the very objects handed to the writer
 */
public record WriteResult(List<ReceiptOutcome> receipts, List<ReceiptOutcome> matchedOrphans, int suppressed,
                          List<TabMove> moves, List<Finalization> finalized, Set<IncomingReply> resentReplies) {

    /** A batch with no resent reply. */
    public WriteResult(List<ReceiptOutcome> receipts, List<ReceiptOutcome> matchedOrphans, int suppressed,
                       List<TabMove> moves, List<Finalization> finalized) {
        this(receipts, matchedOrphans, suppressed, moves, finalized, Set.of());
    }

    /** Whether this item of the batch was a resend of a reply already stored. */
    public boolean resent(Incoming item) {
        return !resentReplies.isEmpty() && item instanceof IncomingReply r && resentReplies.contains(r);
    }
}
