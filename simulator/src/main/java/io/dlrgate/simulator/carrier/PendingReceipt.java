package io.dlrgate.simulator.carrier;

import io.dlrgate.simulator.receipt.ReceiptFields;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A receipt waiting to be sent or in flight. {@code token} is non-zero while an attempt is in flight. */
final class PendingReceipt {
    final Ledger.Tracked tracked;
    final Ledger.TrackedReceipt receipt;
    /** All receipts of the message, in plan order (see ReceiptScheduler.releaseInOrder); guarded by itself. */
    final List<PendingReceipt> chain;
    volatile ReceiptFields fields;
    boolean due;
    boolean released;
    private final AtomicLong token = new AtomicLong();
    private final AtomicInteger attempt = new AtomicInteger();

    PendingReceipt(Ledger.Tracked tracked, Ledger.TrackedReceipt receipt, List<PendingReceipt> chain) {
        this.tracked = tracked;
        this.receipt = receipt;
        this.chain = chain;
    }

    /** Starts an attempt; its token ends it. */
    InFlight begin() {
        long t = attempt.incrementAndGet();
        token.set(t);
        return new InFlight(this, t);
    }

    /** One attempt to send a receipt: the PDU's reference object, so that its answer finds the attempt. */
    record InFlight(PendingReceipt pending, long token) {
        /** Ends the attempt; false when it was ended already (stale answer, expiry, requeue). */
        boolean end() {
            return pending.token.compareAndSet(token, 0);
        }
    }
}
