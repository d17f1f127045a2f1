package io.dlrgate.gateway.smpp;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds a carrier's unbind_resp until every receipt the session took before it has been answered.
 *
 * <p>Why: a receipt is answered only once it is stored, a few milliseconds later and from the committer's thread,
 * while an unbind is answered on the event loop at once. Answered at once, the unbind_resp overtakes the
 * deliver_sm_resps still to come; the carrier closes on it, never sees those answers, and sends the receipts again
 * on its next bind: stored twice in the receipt log, sent twice over the wire. So the unbind_resp waits for them,
 * and since a carrier must not be kept waiting for ever, only up to a bound (the caller's timer).
 *
 * <p>Thread-safe: receipts are taken on the event loop and answered from any thread. Exactly one of the last
 * answer, the unbind itself (nothing outstanding) and the timer sends the unbind_resp.
 */
final class HeldUnbind {

    private final AtomicInteger unanswered = new AtomicInteger();
    private final AtomicReference<Runnable> held = new AtomicReference<>();

    /** A receipt (deliver_sm or data_sm) was taken on the session; its answer is to come. */
    void receiptTaken() {
        unanswered.incrementAndGet();
    }

    /**
     * A receipt's answer was queued for writing. Never goes below zero: an answer the session did not count as
     * taken (a PDU answered before it reached the session's handler) must not make a later unbind wait for nothing.
     */
    void receiptAnswered() {
        if (unanswered.getAndUpdate(n -> n > 0 ? n - 1 : 0) == 1) {
            release();
        }
    }

    /** Receipts taken and not answered yet. */
    int unanswered() {
        return unanswered.get();
    }

    /**
     * The carrier asked to unbind: runs {@code sendUnbindResp} now when no answer is outstanding, else keeps it for
     * the last answer or {@link #release()}, whichever comes first.
     *
     * @return true if it ran now
     */
    boolean unbind(Runnable sendUnbindResp) {
        held.set(sendUnbindResp); // a second unbind passes the same action: the caller queues the answers
        // Checked after publishing: an answer that brought the count to zero before the set above found nothing
        // held, so this thread must see the zero and send; one that does so after it finds the held answer.
        if (unanswered.get() == 0) {
            return release();
        }
        return false;
    }

    /** Sends the held unbind_resp, if still held (the timer's path). Returns whether this call sent it. */
    boolean release() {
        Runnable r = held.getAndSet(null);
        if (r == null) {
            return false;
        }
        r.run();
        return true;
    }
}
