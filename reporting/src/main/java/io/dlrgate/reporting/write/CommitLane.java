package io.dlrgate.reporting.write;

import io.dlrgate.config.ReceiptConfig;
import io.dlrgate.reporting.db.StoreErrors;
import io.dlrgate.reporting.logging.LogText;
import io.dlrgate.reporting.message.SubmitOutcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One group-commit lane: a queue of receipts, a queue of submit outcomes, and the one thread that writes them
 * in batches, one transaction per batch, acknowledging each receipt only after its transaction committed.
 *
 * <p>Batches close at {@code batchSize} receipts or {@code maxBatchDelay} after the first item, whichever comes
 * first; under load the batch fills while the previous one commits, so latency stays near one commit.
 */
final class CommitLane implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CommitLane.class);

    /** A receipt or a reply waiting for its batch: both share the queue, its bound and its acknowledgement rule. */
    private record PendingReceipt(Incoming item, ReceiptAck ack, long enqueuedNanos) {
    }

    private final BatchWriter writer;
    private final int batchSize;
    private final long maxBatchDelayNanos;
    private final long maxQueueWaitNanos;
    private final BlockingQueue<PendingReceipt> receipts;
    // Submit outcomes are never refused (their count is bounded by the carriers' windows) and never dropped:
    // when a batch fails they go back to the front and are retried until the database takes them.
    private final ConcurrentLinkedQueue<SubmitOutcome> submits = new ConcurrentLinkedQueue<>();
    private final Object signal = new Object();
    private final List<CommitListener> listeners;
    private final Thread thread;
    private volatile boolean running = true;

    CommitLane(int index, BatchWriter writer, ReceiptConfig config, int queueCapacity,
               List<CommitListener> listeners) {
        this.writer = writer;
        this.batchSize = config.batchSize();
        this.maxBatchDelayNanos = config.maxBatchDelay().toNanos();
        this.maxQueueWaitNanos = config.maxQueueWait().toNanos();
        this.receipts = new ArrayBlockingQueue<>(queueCapacity);
        this.listeners = listeners;
        this.thread = new Thread(this::run, "dlrgate-group-commit-" + index);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Queues a receipt or a reply; safe on an event loop (never blocks). A full queue answers "retry later" at once.
     */
    void submit(Incoming item, ReceiptAck ack) {
        if (!running || !receipts.offer(new PendingReceipt(item, ack, System.nanoTime()))) {
            ack.retryLater();
            listeners.forEach(l -> l.throttled(1, running ? "queue_full" : "stopping"));
            return;
        }
        wake();
    }

    /** Queues the outcome of a submit; never blocks, never refused. */
    void submitOutcome(SubmitOutcome outcome) {
        submits.add(outcome);
        wake();
    }

    private void wake() {
        synchronized (signal) {
            signal.notify();
        }
    }

    private void run() {
        long backoffMs = 0;
        List<PendingReceipt> batch = new ArrayList<>(batchSize);
        ArrayDeque<SubmitOutcome> retrySubmits = new ArrayDeque<>();
        long stopDeadline = 0;
        // After stop, submit outcomes held for a retry are still written (for a while): dropping one would leave
        // its message in flight, to be sent again at the next start while its receipts find no carrier id.
        while (running || !receipts.isEmpty() || !submits.isEmpty() || !retrySubmits.isEmpty()) {
            if (!running) {
                if (stopDeadline == 0) {
                    stopDeadline = System.nanoTime() + STOP_GRACE_NANOS;
                } else if (System.nanoTime() > stopDeadline) {
                    break;
                }
            }
            try {
                if (backoffMs > 0) {
                    Thread.sleep(backoffMs);
                }
                collect(batch, retrySubmits);
                if (batch.isEmpty() && retrySubmits.isEmpty()) {
                    continue;
                }
                List<SubmitOutcome> submitBatch = new ArrayList<>(retrySubmits);
                retrySubmits.clear();
                if (commit(batch, submitBatch)) {
                    backoffMs = 0;
                } else {
                    retrySubmits.addAll(submitBatch);
                    backoffMs = Math.min(Math.max(50, backoffMs * 2), 1_000);
                }
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                log.error("group commit loop error", e);
            }
        }
        // Anything still queued after stop could not be stored: tell the carriers to retry (never a silent loss).
        PendingReceipt p;
        while ((p = receipts.poll()) != null) {
            p.ack().retryLater();
        }
        SubmitOutcome s;
        while ((s = submits.poll()) != null) {
            retrySubmits.add(s);
        }
        if (!retrySubmits.isEmpty()) {
            log.error("stopping with {} submit outcomes the database did not take (their messages stay in flight and "
                    + "are sent again at the next start): {}", retrySubmits.size(), clip(retrySubmits.toString()));
        }
    }

    /** How long a stopping lane keeps trying to write submit outcomes held for a retry (close() waits 10 s). */
    private static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(8);

    /** Waits for the first item, then gathers more until the batch is full or the batch delay has passed. */
    private void collect(List<PendingReceipt> batch, ArrayDeque<SubmitOutcome> submitBatch) throws InterruptedException {
        long deadline = 0;
        while (true) {
            receipts.drainTo(batch, batchSize - batch.size());
            SubmitOutcome s;
            while (submitBatch.size() < batchSize * 4 && (s = submits.poll()) != null) {
                submitBatch.add(s);
            }
            boolean any = !batch.isEmpty() || !submitBatch.isEmpty();
            if (batch.size() >= batchSize || (!running && any)) {
                return;
            }
            long now = System.nanoTime();
            if (any && deadline == 0) {
                deadline = now + maxBatchDelayNanos;
            }
            if (any && now >= deadline) {
                return;
            }
            if (!running) {
                return;
            }
            synchronized (signal) {
                if (receipts.isEmpty() && submits.isEmpty()) {
                    long waitNanos = any ? deadline - now : TimeUnit.MILLISECONDS.toNanos(100);
                    TimeUnit.NANOSECONDS.timedWait(signal, Math.max(waitNanos, 1_000));
                }
            }
        }
    }

    /**
     * Writes a batch and answers its receipts.
     *
     * @param submitBatch emptied when its outcomes were stored even though the batch as a whole failed
     * @return false when the batch could not be stored (its receipts were answered "retry later")
     */
    private boolean commit(List<PendingReceipt> batch, List<SubmitOutcome> submitBatch) {
        // A receipt that already waited past the bound is answered "retry later" rather than risk the carrier
        // giving up on its deliver_sm_resp and resending while we still hold it.
        long now = System.nanoTime();
        List<PendingReceipt> fresh = new ArrayList<>(batch.size());
        int stale = 0;
        for (PendingReceipt p : batch) {
            if (now - p.enqueuedNanos() > maxQueueWaitNanos) {
                p.ack().retryLater();
                stale++;
            } else {
                fresh.add(p);
            }
        }
        if (stale > 0) {
            int n = stale;
            listeners.forEach(l -> l.throttled(n, "queue_wait"));
        }
        try {
            write(submitBatch, fresh);
            return true;
        } catch (Exception e) {
            if (!repeatable(e)) {
                failed(fresh, submitBatch, e);
                return false;
            }
            // Something in the batch's data fails the write (not an outage): retrying the same batch would fail
            // the same way for ever, throttling every receipt in it. Write it in parts to find the culprits.
            log.warn("batch of {} receipts and {} submit outcomes fails for its data, writing it in parts to find "
                    + "what is at fault: {}", fresh.size(), submitBatch.size(), clip(e.toString()));
        }
        // Submits first: they teach the ids that receipts of this batch may need.
        Exception outage = writeSubmitsIsolating(submitBatch);
        if (outage != null) {
            failed(fresh, submitBatch, outage);
            return false;
        }
        return writeIsolating(fresh) == null;
    }

    /**
     * Whether writing the same data again can only fail again: the database refused the data itself, or the
     * writer's own code failed on it (a RuntimeException is never an outage: connection trouble is an
     * SQLException).
     */
    private static boolean repeatable(Exception e) {
        return e instanceof RuntimeException || StoreErrors.isRefusedData(e);
    }

    /**
     * Writes submit outcomes of a batch that failed for its data: all at once, else one by one. An outcome that
     * fails alone for its data is logged in full and dropped, never retried (it would block this lane for ever);
     * its message stays in flight and is expired by the sweeper at its deadline.
     *
     * @param submits emptied of what was stored or dropped
     * @return null, or the failure that stopped it (an outage); what is left in {@code submits} is retried
     */
    private Exception writeSubmitsIsolating(List<SubmitOutcome> submits) {
        if (submits.isEmpty()) {
            return null;
        }
        try {
            write(List.copyOf(submits), List.of());
            submits.clear();
            return null;
        } catch (Exception e) {
            if (!repeatable(e)) {
                return e;
            }
        }
        for (java.util.Iterator<SubmitOutcome> it = submits.iterator(); it.hasNext(); ) {
            SubmitOutcome s = it.next();
            try {
                write(List.of(s), List.of());
            } catch (Exception e) {
                if (!repeatable(e)) {
                    return e;
                }
                log.error("submit outcome dropped, the store cannot take it: {}: {}", clip(s.toString()), clip(e.toString()), e);
            }
            it.remove();
        }
        return null;
    }

    /** One transaction; once committed, its receipts are answered OK and the listeners told. */
    private void write(List<SubmitOutcome> submits, List<PendingReceipt> receipts) throws Exception {
        List<IncomingReceipt> rs = new ArrayList<>(receipts.size());
        List<IncomingReply> replies = new ArrayList<>();
        for (PendingReceipt p : receipts) {
            if (p.item() instanceof IncomingReceipt r) {
                rs.add(r);
            } else {
                replies.add((IncomingReply) p.item());
            }
        }
        long t0 = System.nanoTime();
        WriteResult result = replies.isEmpty() ? writer.write(submits, rs) : writer.write(submits, rs, replies);
        long took = System.nanoTime() - t0;
        // Durable now: only from here on may the carriers hear "OK". Nothing from here on may throw: the batch
        // is committed, and an exception would make the caller write it again.
        for (PendingReceipt p : receipts) {
            try {
                if (result.resent(p.item())) {
                    p.ack().storedResend();
                } else {
                    p.ack().stored();
                }
            } catch (RuntimeException e) {
                log.warn("answering a stored receipt failed (it is stored): {}", e.toString());
            }
        }
        for (CommitListener l : listeners) {
            try {
                l.committed(submits, result.receipts(), result.matchedOrphans(), took);
                if (!result.moves().isEmpty()) {
                    l.tabsMoved(result.moves());
                }
                if (!result.finalized().isEmpty()) {
                    l.finalized(result.finalized());
                }
                if (result.suppressed() > 0) {
                    l.suppressed(result.suppressed());
                }
            } catch (RuntimeException e) {
                log.warn("commit listener failed", e);
            }
        }
    }

    /** Nothing of the batch was stored: its receipts are answered "retry later". */
    private void failed(List<PendingReceipt> receipts, List<SubmitOutcome> submits, Exception e) {
        log.warn("batch of {} receipts and {} submit outcomes not stored, receipts answered retry-later: {}",
                receipts.size(), submits.size(), clip(e.toString()));
        for (PendingReceipt p : receipts) {
            p.ack().retryLater();
        }
        listeners.forEach(l -> l.failed(receipts.size(), submits.size(), e));
    }

    /**
     * Writes receipts the database refused as a batch: halves the part until each receipt it refuses is alone,
     * and refuses that one (a permanent error to the carrier, logged in full). Parts are written in order, so the
     * receipts of one message still apply in the order they came. About 2·log2(n) transactions per culprit.
     *
     * @return null when every receipt was stored or refused; else the failure that stopped it (an outage), after
     *         which this part and everything after it were answered "retry later"
     */
    private Exception writeIsolating(List<PendingReceipt> part) {
        try {
            write(List.of(), part);
            return null;
        } catch (Exception e) {
            if (!repeatable(e)) {
                failed(part, List.of(), e);
                return e;
            }
            if (part.size() == 1) {
                refuse(part.get(0), e);
                return null;
            }
            int mid = part.size() / 2;
            Exception first = writeIsolating(part.subList(0, mid));
            if (first != null) {
                failed(part.subList(mid, part.size()), List.of(), first);
                return first;
            }
            return writeIsolating(part.subList(mid, part.size()));
        }
    }

    private void refuse(PendingReceipt p, Exception e) {
        if (p.item() instanceof IncomingReply reply) {
            log.error("reply that cannot be stored, answered with a permanent error: carrier={} from='{}' to='{}' "
                            + "received={} text='{}': {}", reply.carrierId(), clip(reply.fromNumber()),
                    clip(reply.toAddress()), reply.receivedAt(), clip(reply.text()), clip(e.toString()));
            p.ack().refused("it cannot be stored: " + e);
            return;
        }
        IncomingReceipt r = (IncomingReceipt) p.item();
        log.error("receipt that cannot be stored, answered with a permanent error: carrier={} id='{}' stat={} "
                        + "received={} text='{}': {}", r.carrierId(), clip(r.receiptedIdRaw()), clip(r.stat()), r.receivedAt(),
                clip(r.body()), clip(e.toString()));
        p.ack().refused("it cannot be stored: " + e); // the intake's refusal line clips and escapes it
    }

    /** Log lines stay readable when a statement or a value is huge, and on one line when a value has breaks. */
    private static String clip(String s) {
        return LogText.escape(s, 300);
    }

    /** New receipts are answered "retry later" from now on; what is queued is still written. */
    void stopTaking() {
        running = false;
        wake();
    }

    /** Stops taking receipts, writes what is queued (or answers it "retry later"), and waits for the thread. */
    @Override
    public void close() {
        stopTaking();
        wake();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
