package io.dlrgate.gateway.dispatch;

import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.type.SmppInvalidArgumentException;
import io.dlrgate.config.CarrierConfig;
import io.dlrgate.gateway.cluster.InstanceLease;
import io.dlrgate.gateway.cluster.SubmitShare;
import io.dlrgate.gateway.smpp.CarrierSession;
import io.dlrgate.gateway.smpp.CarrierSessions;
import io.dlrgate.gateway.smpp.SendFailedException;
import io.dlrgate.reporting.message.Claimant;
import io.dlrgate.reporting.message.MessageStore;
import io.dlrgate.reporting.message.OutboundMessage;
import io.dlrgate.reporting.message.SubmitOutcome;
import io.dlrgate.reporting.write.GroupCommitter;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One carrier's send loop, on a thread of its own (ch-smpp's sendRequestPdu blocks until written, so it may
 * never run on an event loop). While the carrier has a session that takes submits, it claims queued messages
 * from the store in batches and writes them as submit_sm, paced to the carrier's rate and bounded by each
 * session's window. Responses come back on event loops and are handed to the group committer by
 * {@link Dispatcher}; this loop never waits for them.
 *
 * <p>A submit the carrier answered "throttled" is {@linkplain #holdThrottled held} here and written again before
 * anything new is claimed, at the rate {@link AdaptiveSubmitRate} lowered for it: still in flight in the store on
 * the same attempt, so a crash or a stop puts it back in the queue like any other submit in flight. What is held
 * is bounded by what was claimed: this loop claims nothing new while it holds anything.
 *
 * <p>Claims are made under this instance's {@link InstanceLease}, and a submit is written only while the lease it
 * was claimed under still holds: once it may have run out, a survivor may requeue (and resend) what this loop has
 * in hand, so it goes back to the queue instead, like submits with no session to take them.
 */
final class CarrierDispatcher implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(CarrierDispatcher.class);

    private final CarrierConfig carrier;
    private final MessageStore store;
    private final CarrierSessions sessions;
    private final InstanceLease lease;
    private final GroupCommitter committer;
    private final SubmitBuilder builder;
    private final Clock clock;
    private final int batchSize;
    private final long idlePollMs;
    private final long windowWaitMs;
    private final int throttleRetries;
    private final AdaptiveSubmitRate rate;
    private final SubmitPacer pacer;
    private final SubmitShare share;
    private final Queue<SubmitSm> held = new ConcurrentLinkedQueue<>();
    private final Object wakeLock = new Object();
    private final AtomicLong pausedUntilNanos = new AtomicLong();
    private boolean woken;
    private volatile boolean running = true;
    private int nextSession;
    /** The lease id the messages in hand were claimed under. */
    private long claimedUnder = Claimant.NO_LEASE;

    CarrierDispatcher(CarrierConfig carrier, MessageStore store, CarrierSessions sessions, InstanceLease lease,
                      SubmitShare share, GroupCommitter committer, SubmitBuilder builder, Clock clock, int batchSize,
                      long idlePollMs,
                      long windowWaitMs, int throttleRetries) {
        this.carrier = carrier;
        this.store = store;
        this.sessions = sessions;
        this.lease = lease;
        this.committer = committer;
        this.builder = builder;
        this.clock = clock;
        this.batchSize = batchSize;
        this.idlePollMs = idlePollMs;
        this.windowWaitMs = windowWaitMs;
        this.throttleRetries = throttleRetries;
        this.rate = new AdaptiveSubmitRate(carrier.maxSubmitRate());
        this.share = share;
        this.pacer = new SubmitPacer(this::effectiveRate);
    }

    String carrierId() {
        return carrier.id();
    }

    /** New work or a new session: look now rather than at the next poll. Safe on any thread. */
    void wake() {
        synchronized (wakeLock) {
            woken = true;
            wakeLock.notifyAll();
        }
    }

    /**
     * Submits per second allowed now: this instance's share of {@code max_submit_rate} (the rate split among the
     * instances bound to the carrier), or less while the carrier throttles. The two compose by product: the
     * throttle's backoff and recovery work on the whole rate, and each instance applies them to its share, so
     * instances that all see throttles all slow down by the same factor.
     */
    double effectiveRate() {
        double s = share.of(carrier.id());
        double r = rate.perSecond() * s;
        if (s > 0 && s < 1) {
            // Shared: a one-second window of one instance's pacing can hold up to two submits more than its rate
            // (a late submit, then the next one on time). Alone, that is the carrier's own tolerance; summed over
            // the instances it would push the carrier's second over its rate, so each keeps them in reserve.
            r = Math.max(r - SHARED_PACING_RESERVE, r / 2);
        }
        return r;
    }

    /** Submits a second each instance sharing a carrier's rate leaves unused: see {@link #effectiveRate}. */
    static final double SHARED_PACING_RESERVE = 2;

    /**
     * The carrier answered this submit "throttled" (or "queue full"). Slows the carrier down (once per overload:
     * see {@link AdaptiveSubmitRate}) with a pause of {@code pauseMs}, and holds the submit to be written again
     * unless it already was {@code dispatch.throttle_retries} times. Safe on an event loop.
     *
     * @return whether the submit is taken care of (held, or back in the queue if this loop is stopping); false:
     *         its throttle retries are used up, the caller settles it (retry or fail by the attempt rules)
     */
    boolean holdThrottled(SubmitSm submit, InFlightSubmit f, long pauseMs) {
        if (rate.throttled(f.generation())) {
            pausedUntilNanos.set(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pauseMs));
        }
        if (f.throttles() >= throttleRetries) {
            return false;
        }
        hold(submit, f.throttledAgain(), f);
        return true;
    }

    /** Holds a submit to be written again by this loop, as {@code next}. */
    private void hold(SubmitSm submit, InFlightSubmit next, InFlightSubmit f) {
        submit.setReferenceObject(next);
        held.add(submit);
        // The loop requeues what it holds when it stops; one added after that is requeued here. Requeued, not
        // settled by the attempt rules: a stop must not spend (or end) the message's last attempt.
        if (!running && held.remove(submit)) {
            requeue(f);
        } else {
            wake();
        }
    }

    /**
     * A part of a concatenated message timed out: it is written again alone (its siblings stay as they are), up to
     * {@code dispatch.max_submit_attempts} writes. Safe on any thread.
     *
     * @return whether it is taken care of (held to be written again); false: its tries are used up
     */
    boolean holdPartRetry(SubmitSm submit, InFlightSubmit f, int maxTries) {
        if (f.partTries() >= maxTries) {
            return false;
        }
        hold(submit, f.triedAgain(), f);
        return true;
    }

    void stop() {
        running = false;
        wake();
    }

    @Override
    public void run() {
        long dbBackoff = 0;
        while (running) {
            try {
                long under = lease.instanceId();
                if (sessions.submitCapable(carrier.id()).isEmpty() || under == Claimant.NO_LEASE) {
                    // No session to write them on, or no lease to write under: back to the queue, for this or
                    // another process.
                    requeueHeld();
                    awaitWake(idlePollMs);
                    continue;
                }
                if (under != claimedUnder) {
                    requeueHeld(); // claimed under a lease taken over since (a survivor requeued them): not ours
                    claimedUnder = under;
                }
                if (!held.isEmpty()) {
                    sendHeld();
                    continue;
                }
                List<OutboundMessage> batch;
                try {
                    batch = store.claim(carrier.id(), batchSize);
                    dbBackoff = 0;
                } catch (SQLException e) {
                    dbBackoff = Math.min(Math.max(100, dbBackoff * 2), 5_000);
                    log.warn("carrier {}: cannot claim queued messages ({}); retrying in {} ms", carrier.id(),
                            e.getMessage(), dbBackoff);
                    awaitWake(dbBackoff);
                    continue;
                }
                if (batch.isEmpty()) {
                    awaitWake(idlePollMs);
                    continue;
                }
                sendAll(batch);
                if (batch.size() < batchSize) {
                    // A short batch drained what was queued: claiming again at once would find nothing (a
                    // statement per wake for nothing). New work wakes this loop (a wake during the writes is kept),
                    // so does a held submit; a requeued one waits for the poll, as it did before.
                    awaitWake(idlePollMs);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                log.error("carrier {}: dispatch loop error", carrier.id(), e);
            }
        }
        requeueHeld();
    }

    /** Writes the held throttled submits; what no session takes goes back to the queue. */
    private void sendHeld() throws InterruptedException {
        SubmitSm pdu;
        while (running && (pdu = held.poll()) != null) {
            if (write(pdu, (InFlightSubmit) pdu.getReferenceObject()) == null) {
                requeue((InFlightSubmit) pdu.getReferenceObject());
                requeueHeld();
                return;
            }
        }
    }

    private void requeueHeld() {
        SubmitSm pdu;
        while ((pdu = held.poll()) != null) {
            requeue((InFlightSubmit) pdu.getReferenceObject());
        }
    }

    private void requeue(InFlightSubmit f) {
        committer.submitOutcome(SubmitOutcome.retry(f.messageId(), carrier.id(), clock.instant(), f.attempt()));
    }

    private void sendAll(List<OutboundMessage> batch) throws InterruptedException {
        for (int i = 0; i < batch.size(); i++) {
            OutboundMessage m = batch.get(i);
            // Throttled submits go again before the rest of the batch (they were claimed first).
            sendHeld();
            if (!running || !send(m)) {
                // No session left (or stopping): everything not yet written goes back to the queue.
                for (int j = i; j < batch.size(); j++) {
                    committer.submitOutcome(SubmitOutcome.retry(batch.get(j).id(), carrier.id(), clock.instant(),
                            batch.get(j).attempt()));
                }
                return;
            }
        }
    }

    /** @return false when no session could take the message (it was not written) */
    private boolean send(OutboundMessage m) throws InterruptedException {
        List<SubmitBuilder.Part> pdus;
        try {
            pdus = builder.buildAll(m, clock.instant());
        } catch (SmppInvalidArgumentException | RuntimeException e) {
            committer.submitOutcome(SubmitOutcome.failed(m.id(), carrier.id(), "cannot encode: " + e.getMessage(),
                    clock.instant(), m.attempt()));
            return true;
        }
        if (pdus.size() == 1 && pdus.get(0).part() == 0) {
            return write(pdus.get(0).pdu(), InFlightSubmit.of(m.id(), m.attempt(), claimedUnder)) != null;
        }
        // Parts of one message go to one session, in order; those an earlier attempt got accepted are not resent.
        CarrierSession session = null;
        boolean wroteAny = false;
        for (SubmitBuilder.Part p : pdus) {
            if (m.partsAccepted().contains(p.part())) {
                continue;
            }
            InFlightSubmit f = InFlightSubmit.ofPart(m.id(), m.attempt(), p.part(), p.parts(), claimedUnder);
            WriteResult r = session == null ? write(p.pdu(), f) : writeOn(session, p.pdu(), f);
            if (r == null || r == WriteResult.SETTLED) {
                if (wroteAny && r == null) {
                    // The session went away mid-message: the parts it had are requeued by its close (RETRY of this
                    // attempt); the first RETRY puts the message back and the next attempt sends what is missing.
                    requeue(f);
                    return true;
                }
                return r != null;
            }
            session = r.session;
            wroteAny = true;
        }
        if (!wroteAny) {
            // Every part already accepted: should not happen, since storing the last part's answer marks the
            // message submitted even when it was requeued meanwhile (PartWriter). Said loudly if it ever does.
            log.warn("carrier {}: message {} was claimed with every part accepted already", carrier.id(), m.id());
        }
        return true;
    }

    /** Where one write went: on a session, or settled without one (encoding failure, requeued by a close). */
    private static final class WriteResult {
        static final WriteResult SETTLED = new WriteResult(null);
        final CarrierSession session;

        WriteResult(CarrierSession session) {
            this.session = session;
        }
    }

    /**
     * Paces and writes one submit on one of the carrier's sessions.
     *
     * @return the session it went on, {@link WriteResult#SETTLED} when it was taken care of otherwise, or null when no
     *         session could take it (it was not written)
     */
    private WriteResult write(SubmitSm pdu, InFlightSubmit f) throws InterruptedException {
        paceAndStamp(pdu, f);
        while (running) {
            if (!lease.holds(f.lease())) {
                return null; // written now, it might be resent by a survivor too
            }
            List<CarrierSession> candidates = sessions.submitCapable(carrier.id());
            if (candidates.isEmpty()) {
                return null;
            }
            boolean allFull = true;
            for (int k = 0; k < candidates.size(); k++) {
                CarrierSession s = candidates.get(Math.floorMod(nextSession++, candidates.size()));
                WriteResult r = tryWrite(s, pdu, f, windowWaitMs / candidates.size() + 1);
                if (r == WINDOW_FULL) {
                    continue;
                }
                if (r == UNAVAILABLE) {
                    allFull = false;
                    continue;
                }
                return r;
            }
            if (allFull) {
                log.debug("carrier {}: every window full, waiting", carrier.id());
            }
        }
        return null;
    }

    /** Paces and writes a later part of a message on the session its first part went on, waiting for its window. */
    private WriteResult writeOn(CarrierSession session, SubmitSm pdu, InFlightSubmit f) throws InterruptedException {
        paceAndStamp(pdu, f);
        while (running) {
            if (!lease.holds(f.lease())) {
                return null; // as in write: a survivor may be resending this message already
            }
            WriteResult r = tryWrite(session, pdu, f, windowWaitMs + 1);
            if (r == UNAVAILABLE) {
                return null;
            }
            if (r != WINDOW_FULL) {
                return r;
            }
        }
        return null;
    }

    /** Waits out a pause and the pacer, then stamps the submit with the rate generation it goes out in. */
    private void paceAndStamp(SubmitSm pdu, InFlightSubmit f) throws InterruptedException {
        waitWhilePaused();
        pacer.acquire();
        // Stamped after the wait: a throttle of this submit is news only if the rate it went at is the current one.
        pdu.setReferenceObject(f.writtenIn(rate.generation()));
    }

    private static final WriteResult WINDOW_FULL = new WriteResult(null);
    private static final WriteResult UNAVAILABLE = new WriteResult(null);

    private WriteResult tryWrite(CarrierSession s, SubmitSm pdu, InFlightSubmit f, long waitMs)
            throws InterruptedException {
        try {
            s.sendSubmit(pdu, waitMs);
            return new WriteResult(s);
        } catch (SendFailedException e) {
            return switch (e.reason()) {
                case WINDOW_FULL -> WINDOW_FULL;
                case NOT_BOUND, CHANNEL -> UNAVAILABLE;
                // The closing session already requeued it (a RETRY for this attempt): done here.
                case REQUEUED_BY_CLOSE -> WriteResult.SETTLED;
                case ENCODING -> {
                    SubmitOutcome failed = SubmitOutcome.failed(f.messageId(), carrier.id(),
                            f.partPrefix() + "cannot encode: " + e.getMessage(), clock.instant(), f.attempt());
                    committer.submitOutcome(f.isPart() ? failed.ofPart(f.part(), f.parts()) : failed);
                    yield WriteResult.SETTLED;
                }
            };
        }
    }

    private void waitWhilePaused() throws InterruptedException {
        long wait;
        while ((wait = pausedUntilNanos.get() - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private void awaitWake(long millis) throws InterruptedException {
        synchronized (wakeLock) {
            if (!woken && running) {
                wakeLock.wait(millis);
            }
            woken = false;
        }
    }
}
