package io.dlrgate.simulator.carrier;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.SmppSession;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.pdu.SubmitSmResp;
import com.cloudhopper.smpp.type.Address;
import io.dlrgate.simulator.outcome.Decision;
import io.dlrgate.simulator.outcome.OutcomePolicy;
import io.dlrgate.simulator.outcome.Part;
import io.dlrgate.simulator.outcome.SubmitView;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the gateway's submit_sm: asks the {@link OutcomePolicy} for the message's fate (one submit at a time, in
 * order of arrival, so a seed replays the same run), issues a message id, records it in the ledger, writes the
 * submit_sm_resp and hands the planned receipts to the {@link ReceiptScheduler} once the answer is written.
 * The same in either role: it does not care which side opened the connection. The {@link SubmitGate} may refuse a
 * submit before the policy sees it (rate, hold), answer it late or close its connection after the answer.
 */
final class SubmitAnswerer {
    private static final Logger log = LoggerFactory.getLogger(SimulatedCarrier.class);

    private final SimCarrierSettings config;
    private final OutcomePolicy policy;
    private final Clock clock;
    private final MessageIdGenerator ids;
    private final Ledger ledger;
    private final CarrierCounters counters;
    private final Supplier<CarrierFaults> faults;
    private final ReceiptScheduler receipts;
    private final Responder responder;
    private final SubmitGate gate;
    private final ScheduledExecutorService scheduler;
    private final Object decideLock = new Object();
    /** Groups parts of concatenated messages into messages; under the decide lock. */
    private final ConcatParts parts = new ConcatParts();
    private long sequence;

    SubmitAnswerer(SimCarrierSettings config, OutcomePolicy policy, Clock clock, Ledger ledger,
                   CarrierCounters counters, Supplier<CarrierFaults> faults, ReceiptScheduler receipts,
                   Responder responder, SubmitGate gate, ScheduledExecutorService scheduler) {
        this.config = config;
        this.policy = policy;
        this.clock = clock;
        this.ids = new MessageIdGenerator(config.idFormat(), config.idStart(), config.idWidth(), config.seed());
        this.ledger = ledger;
        this.counters = counters;
        this.faults = faults;
        this.receipts = receipts;
        this.responder = responder;
        this.gate = gate;
        this.scheduler = scheduler;
    }

    /** On a Netty event-loop thread: decides and queues, never blocks. */
    void onSubmit(String bindName, CompletableFuture<SmppSession> sessionFuture, SubmitSm submit) {
        counters.submitsReceived.incrementAndGet();
        Ledger.Tracked tracked;
        Decision decision;
        long lateMillis;
        boolean dropAfter;
        synchronized (decideLock) {
            long seq = ++sequence;
            String destination = address(submit.getDestAddress());
            String text = SmppSessions.text(submit);
            Part part = ConcatParts.read(submit);
            if (part != null) {
                part = parts.group(destination, part, text);
            }
            SubmitView view = new SubmitView(seq, config.systemId(), address(submit.getSourceAddress()),
                    destination, text, clock.instant(), part);
            int refusal = gate.refusal(counters.receiptsOutstanding(), System.nanoTime());
            if (refusal != 0) {
                decision = Decision.reject(refusal); // not the message's fate: the policy never sees it
            } else {
                try {
                    decision = policy.decide(view);
                } catch (RuntimeException e) {
                    log.error("{}: outcome policy failed for submit #{}, answering ESME_RSYSERR", config.name(), seq,
                            e);
                    decision = Decision.reject(SmppConstants.STATUS_SYSERR);
                }
            }
            MessageIdGenerator.IssuedId id = decision.submitStatus() == 0 ? ids.next() : null;
            tracked = ledger.add(view, id, decision);
            lateMillis = gate.lateMillis();
            dropAfter = gate.dropAfterThis();
        }
        if (decision.submitStatus() != 0) {
            counters.submitsRejected.incrementAndGet();
        }
        // counted before the submit_sm_resp goes out, so nobody sees a settled carrier with receipts on the way
        counters.receiptsPlanned.addAndGet(tracked.receipts.size());
        // a submit answered is a submit in the ledger file
        Responder.BeforeWrite journal = () -> ledger.journalWrite(tracked);
        SubmitSmResp resp = submit.createResponse();
        resp.setCommandStatus(decision.submitStatus());
        if (tracked.id != null) {
            resp.setMessageId(tracked.id.text());
        }
        if (decision.receiptsFirst() && tracked.id != null && !tracked.receipts.isEmpty()) {
            // fault: the receipts go out first; the answer follows once they are answered (or after a while)
            counters.receiptsFirst.incrementAndGet();
            receipts.schedule(tracked);
            tracked.receiptsAnswered.completeOnTimeout(null, faults.get().receiptsFirstWaitMillis(),
                    TimeUnit.MILLISECONDS).thenRun(() -> responder.respond(bindName, sessionFuture, resp,
                    journal, null, null));
            return;
        }
        Runnable written = () -> {
            receipts.schedule(tracked);
            if (dropAfter) {
                dropConnection(bindName, sessionFuture);
            }
        };
        Runnable answer = () -> responder.respond(bindName, sessionFuture, resp, journal, written,
                () -> receipts.abandon(tracked));
        if (lateMillis == 0) {
            answer.run();
            return;
        }
        try {
            scheduler.schedule(answer, lateMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            receipts.abandon(tracked); // the carrier is stopping: this answer never goes out
        }
    }

    /** Fault: closes the connection that carried a submit, once its answer is written (on the responder pool). */
    private void dropConnection(String bindName, CompletableFuture<SmppSession> sessionFuture) {
        SmppSession session = sessionFuture.getNow(null);
        if (session != null) {
            log.info("{}: closing the connection after its answer (fault drop_connection)", bindName);
            session.close();
        }
    }

    private static String address(Address a) {
        return a == null || a.getAddress() == null ? "" : a.getAddress();
    }
}
