package io.dlrgate.reporting.write;

import io.dlrgate.reporting.message.SubmitOutcome;
import java.sql.SQLException;
import java.util.List;

/**
 * Stores one group-commit batch, submit outcomes and receipts, in one transaction: everything or nothing.
 * {@link DeliveryWriter} is the implementation; the group committer depends only on this.
 */
public interface BatchWriter {

    /**
     * @return what storing did, once the transaction committed
     * @throws SQLException     the database did not take the batch (nothing of it is stored)
     * @throws RuntimeException the batch's data could not be processed (nothing of it is stored)
     */
    WriteResult write(List<SubmitOutcome> submits, List<IncomingReceipt> receipts) throws SQLException;

    /**
     * The same with recipients' replies, all in the one transaction. A writer that stores no replies refuses a batch
     * holding any (a RuntimeException: the committer then refuses the replies alone, never a receipt).
     */
    default WriteResult write(List<SubmitOutcome> submits, List<IncomingReceipt> receipts, List<IncomingReply> replies)
            throws SQLException {
        if (!replies.isEmpty()) {
            throw new UnsupportedOperationException(getClass().getSimpleName() + " stores no replies");
        }
        return write(submits, receipts);
    }
}
