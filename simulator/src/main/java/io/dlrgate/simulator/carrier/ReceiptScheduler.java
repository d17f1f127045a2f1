package io.dlrgate.simulator.carrier;

import com.cloudhopper.smpp.PduAsyncResponse;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.SmppSession;
import com.cloudhopper.smpp.pdu.BaseSm;
import com.cloudhopper.smpp.type.SmppChannelException;
import com.cloudhopper.smpp.type.SmppTimeoutException;
import io.dlrgate.simulator.outcome.PlannedReceipt;
import io.dlrgate.simulator.receipt.ReceiptFields;
import io.dlrgate.simulator.receipt.ReceiptWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A carrier's receipts from plan to answer: each becomes due after its delay, is queued once the one before it
 * was answered (so a message's states arrive in order), is sent by a bind, and is sent again when the gateway
 * answers with a retryable status (after a back-off), when its session dies or when the answer times out.
 * A receipt is never dropped; the ledger records what became of each.
 */
final class ReceiptScheduler {
    private static final Logger log = LoggerFactory.getLogger(SimulatedCarrier.class);

    /**
     * An id this carrier never issues, derived from an issued one: decimal and zero-padded ids plus 5*10^18
     * ({@link IdStarts} hands out at most 16 digits, so no run, earlier or later, issues it), hex ids with bit 62
     * flipped, UUIDs with their high half scrambled.
     */
    static final long UNKNOWN_ID_OFFSET = 5_000_000_000_000_000_000L;

    private final SimCarrierSettings config;
    private final Clock clock;
    private final ReceiptWriter writer;
    private final CarrierCounters counters;
    private final ScheduledExecutorService scheduler;
    private final LinkedBlockingDeque<PendingReceipt> ready = new LinkedBlockingDeque<>();
    /** Each bind's receipts in flight (see {@link #inFlightOfNewBind()}). */
    private final List<Map<PendingReceipt, PendingReceipt.InFlight>> inFlight = new CopyOnWriteArrayList<>();

    ReceiptScheduler(SimCarrierSettings config, Clock clock, CarrierCounters counters,
                     ScheduledExecutorService scheduler) {
        this.config = config;
        this.clock = clock;
        this.writer = new ReceiptWriter(config.dialect());
        this.counters = counters;
        this.scheduler = scheduler;
    }

    /** The map in which one bind keeps its receipts in flight, so that they are requeued when it dies. */
    Map<PendingReceipt, PendingReceipt.InFlight> inFlightOfNewBind() {
        Map<PendingReceipt, PendingReceipt.InFlight> m = new ConcurrentHashMap<>();
        inFlight.add(m);
        return m;
    }

    /** Plans a message's receipts: each is queued when due and when the one before it has been answered. */
    void schedule(Ledger.Tracked tracked) {
        List<PendingReceipt> chain = new ArrayList<>(tracked.receipts.size());
        for (Ledger.TrackedReceipt r : tracked.receipts) {
            chain.add(new PendingReceipt(tracked, r, chain));
        }
        for (PendingReceipt p : chain) {
            Ledger.TrackedReceipt r = p.receipt;
            MessageIdGenerator.IssuedId id = r.plan.kind() == PlannedReceipt.Kind.UNKNOWN_ID
                    ? unknownId(config.idFormat(), tracked.id) : tracked.id;
            Runnable due = () -> {
                p.fields = new ReceiptFields(id.text(), id.numeric(), tracked.submit.destination(),
                        tracked.submit.source(), tracked.submit.receivedAt(), clock.instant(), r.plan.stat(),
                        r.plan.err(), tracked.submit.content());
                p.due = true;
                releaseInOrder(chain);
            };
            if (r.plan.delayMillis() == 0) {
                due.run();
            } else {
                scheduler.schedule(due, r.plan.delayMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * Queues the next receipt of a message once it is due AND the one before it has been answered for good
     * (acknowledged or refused): an SMSC reports a message's states in order, so an ENROUTE that is throttled and
     * retried, or that waits on a slow session, must not arrive after the final receipt that follows it.
     */
    private void releaseInOrder(List<PendingReceipt> chain) {
        synchronized (chain) {
            for (PendingReceipt p : chain) {
                if (p.released) {
                    if (p.receipt.settled()) {
                        continue;
                    }
                    return; // still on its way: the next waits for its answer
                }
                if (p.due) {
                    p.released = true;
                    ready.add(p);
                }
                return;
            }
        }
    }

    /** The submit_sm_resp could not be written: the gateway never learnt the id, so no receipt is sent. */
    void abandon(Ledger.Tracked tracked) {
        for (Ledger.TrackedReceipt r : tracked.receipts) {
            r.state = Ledger.ReceiptState.ABANDONED;
            counters.receiptsAbandoned.incrementAndGet();
        }
        tracked.checkAnswered();
    }

    /** The next receipt to send, or null after the wait. */
    PendingReceipt next(long timeout, TimeUnit unit) throws InterruptedException {
        return ready.poll(timeout, unit);
    }

    /** Sends one receipt; false when the session is unusable. */
    boolean send(SmppSession session, PendingReceipt p, Map<PendingReceipt, PendingReceipt.InFlight> bindInFlight,
                 String bindName) {
        PendingReceipt.InFlight f = p.begin();
        PlannedReceipt.Kind kind = p.receipt.plan.kind();
        boolean malformed = kind.isFault() && kind != PlannedReceipt.Kind.UNKNOWN_ID;
        BaseSm<?> pdu = kind == PlannedReceipt.Kind.REPLY ? writer.reply(p.fields, p.receipt.plan.text())
                : malformed ? writer.malformed(p.fields, kind) : writer.pdu(p.fields, p.receipt.plan.intermediate());
        if (kind.isFault() && p.receipt.attempts.get() == 0) {
            counters.noiseReceipts.incrementAndGet();
        }
        pdu.setReferenceObject(f);
        bindInFlight.put(p, f);
        p.receipt.attempts.incrementAndGet();
        if (p.receipt.state == Ledger.ReceiptState.PLANNED) {
            p.receipt.state = Ledger.ReceiptState.SENT;
        }
        try {
            session.sendRequestPdu(pdu, config.requestTimeoutMillis(), false);
            counters.receiptsSent.incrementAndGet();
            return true;
        } catch (SmppTimeoutException e) {
            bindInFlight.remove(p);
            requeue(f);
            return true;
        } catch (InterruptedException e) {
            bindInFlight.remove(p);
            requeue(f);
            Thread.currentThread().interrupt();
            return false;
        } catch (SmppChannelException e) {
            bindInFlight.remove(p);
            requeue(f);
            log.info("{}: channel failed while sending a receipt: {}", bindName, e.getMessage());
            return false;
        } catch (Exception e) {
            bindInFlight.remove(p);
            requeue(f);
            log.warn("{}: could not send a receipt: {}", bindName, e.toString());
            return false;
        }
    }

    /** The gateway's deliver_sm_resp (or data_sm_resp) to a receipt. */
    void onResponse(PduAsyncResponse async) {
        if (!(async.getRequest().getReferenceObject() instanceof PendingReceipt.InFlight f) || !f.end()) {
            return;
        }
        for (Map<PendingReceipt, PendingReceipt.InFlight> m : inFlight) {
            m.remove(f.pending());
        }
        Ledger.TrackedReceipt r = f.pending().receipt;
        int status = async.getResponse().getCommandStatus();
        r.lastStatus = status;
        if (status == SmppConstants.STATUS_OK) {
            r.state = Ledger.ReceiptState.ACKNOWLEDGED;
            counters.receiptsAcknowledged.incrementAndGet();
        } else if (config.retryStatuses().contains(status)) {
            int n = r.throttled.incrementAndGet();
            counters.throttledRetries.incrementAndGet();
            long backoff = backoff(config.retryMinMillis(), config.retryMaxMillis(), n);
            try {
                scheduler.schedule(() -> ready.add(f.pending()), backoff, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopped) {
                // carrier stopping: the receipt stays SENT in the ledger
            }
        } else {
            refused(f.pending(), status);
        }
        f.pending().tracked.checkAnswered();
        releaseInOrder(f.pending().chain);
    }

    private void refused(PendingReceipt p, int status) {
        Ledger.TrackedReceipt r = p.receipt;
        r.state = Ledger.ReceiptState.REFUSED;
        counters.receiptsRefused.incrementAndGet();
        if (r.plan.kind().isFault()) {
            log.debug("{}: {} for {} refused with status 0x{} (as a gateway should)", config.name(),
                    r.plan.kind(), p.tracked.id.text(), Integer.toHexString(status));
        } else {
            log.warn("{}: receipt for {} refused with status 0x{}", config.name(), p.tracked.id.text(),
                    Integer.toHexString(status));
        }
    }

    /** Puts an in-flight attempt back at the head of the queue, if it is still in flight. */
    void requeue(PendingReceipt.InFlight f) {
        if (f.end()) {
            counters.receiptsRequeued.incrementAndGet();
            ready.addFirst(f.pending());
        }
    }

    /** A receipt taken from the queue that could not be tried: it goes back to the head. */
    void putBack(PendingReceipt p) {
        ready.addFirst(p);
    }

    static long backoff(long min, long max, int attempt) {
        long b = min;
        for (int i = 1; i < attempt && b < max; i++) {
            b = Math.max(1, b * 2);
        }
        return Math.min(b, max);
    }

    static MessageIdGenerator.IssuedId unknownId(IdFormat format, MessageIdGenerator.IssuedId issued) {
        if (issued.numeric() == null) {
            UUID u = UUID.fromString(issued.text());
            return new MessageIdGenerator.IssuedId(new UUID(u.getMostSignificantBits() ^ 0x5A5A5A5A00000000L,
                    u.getLeastSignificantBits()).toString(), null);
        }
        long n = issued.numeric();
        return switch (format) {
            case HEX -> {
                long v = n ^ 0x4000000000000000L;
                yield new MessageIdGenerator.IssuedId(Long.toHexString(v).toUpperCase(Locale.ROOT), v);
            }
            case ZERO_PADDED -> {
                long v = n + UNKNOWN_ID_OFFSET;
                String d = Long.toUnsignedString(v);
                int w = issued.text().length();
                yield new MessageIdGenerator.IssuedId(d.length() >= w ? d : "0".repeat(w - d.length()) + d, v);
            }
            default -> {
                long v = n + UNKNOWN_ID_OFFSET;
                yield new MessageIdGenerator.IssuedId(Long.toUnsignedString(v), v);
            }
        };
    }
}
