package io.dlrgate.reporting.write;

import io.dlrgate.config.ReceiptConfig;
import io.dlrgate.reporting.message.SubmitOutcome;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Group commit: receipts from all carrier sessions and the outcomes of submits are written in batches, one
 * transaction per batch, and a receipt is acknowledged only after the transaction holding it committed; a
 * receipt that cannot be stored in time is answered with the carrier's temporary error.
 *
 * <p>Why batches: a transaction per receipt would cap intake at the database's commit rate (a few thousand
 * fsyncs per second at best); batching amortises the commit over hundreds of receipts.
 *
 * <p>Why lanes: one writer leaves the database idle while it waits for each commit. Work is split over
 * {@code lanes} writers by the correlation key (carrier, normalised carrier id): a receipt and the
 * submit_sm_resp that made its id known always meet in the SAME lane, so within a lane "id learnt" and
 * "receipt arrived" are ordered, and a receipt that beat its submit_sm_resp is matched without a race. Outcomes
 * that teach no id (retry, rejected, failed) go by message id, so two lanes can touch one message: they meet on row
 * locks taken in id order, and each outcome applies only to the attempt it is about (the writer's attempt guard).
 */
public final class GroupCommitter implements AutoCloseable {

    private final CommitLane[] lanes;
    private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();

    /**
     * Two writers: while one waits for its commit (fsync), the other prepares and sends its batch, which keeps
     * the database busy without adding lock contention; measured with {@code dlrgate bench receipts}.
     */
    public static final int DEFAULT_LANES = 2;

    public GroupCommitter(BatchWriter writer, ReceiptConfig config) {
        this(writer, config, DEFAULT_LANES);
    }

    /**
     * @param writer shared by the lanes: it keeps no state between calls
     * @param lanes  concurrent writers; the receipt queue capacity is shared out between them
     */
    public GroupCommitter(BatchWriter writer, ReceiptConfig config, int lanes) {
        if (lanes < 1) {
            throw new IllegalArgumentException("lanes must be at least 1, got " + lanes);
        }
        this.lanes = new CommitLane[lanes];
        int capacity = Math.max(config.batchSize(), config.queueCapacity() / lanes);
        for (int i = 0; i < lanes; i++) {
            this.lanes[i] = new CommitLane(i, writer, config, capacity, listeners);
        }
    }

    public void start() {
        for (CommitLane l : lanes) {
            l.start();
        }
    }

    /** Listeners are called from every lane's thread: they must be thread-safe and quick. */
    public void addListener(CommitListener l) {
        listeners.add(l);
    }

    /**
     * Tells the listeners of messages made final outside a batch, once committed (numbers the send path filed at
     * once as Hard bounces), so the final-outcomes metric counts every way a message ends.
     */
    public void tellFinalized(List<Finalization> finalized) {
        if (!finalized.isEmpty()) {
            listeners.forEach(l -> l.finalized(finalized));
        }
    }

    /** Queues a receipt; safe on an event loop (never blocks). A full queue answers "retry later" at once. */
    public void submitReceipt(IncomingReceipt receipt, ReceiptAck ack) {
        lane(receipt.carrierId(), receipt.receiptedId()).submit(receipt, ack);
    }

    /**
     * Queues a recipient's reply, acknowledged like a receipt (only once stored); never blocks. All the replies of
     * one number go to one lane, whatever carrier brings them, so its keywords (STOP, then START) apply in order.
     */
    public void submitReply(IncomingReply reply, ReceiptAck ack) {
        lane(REPLY_KEY, reply.fromNumber()).submit(reply, ack);
    }

    /** Stands for the carrier in a reply's lane key: a number's replies meet in one lane across carriers. */
    private static final String REPLY_KEY = "reply";

    /** Queues the outcome of a submit; never blocks, never refused. */
    public void submitOutcome(SubmitOutcome outcome) {
        if (outcome.carriesKey()) {
            lane(outcome.carrierId(), outcome.carrierMessageId()).submitOutcome(outcome);
        } else {
            // No id is learnt: any lane will do, spread by message id.
            lanes[(int) Math.floorMod(outcome.messageId(), (long) lanes.length)].submitOutcome(outcome);
        }
    }

    private CommitLane lane(String carrierId, String id) {
        // Objects.hash's formula, without the varargs array it allocates per receipt
        int hash = 31 * (31 + Objects.hashCode(carrierId)) + Objects.hashCode(id);
        return lanes.length == 1 ? lanes[0] : lanes[Math.floorMod(hash, lanes.length)];
    }

    /** Stops taking receipts; each lane writes what it holds (or answers it "retry later") and stops. */
    @Override
    public void close() {
        for (CommitLane l : lanes) {
            l.stopTaking();
        }
        for (CommitLane l : lanes) {
            l.close();
        }
    }
}
