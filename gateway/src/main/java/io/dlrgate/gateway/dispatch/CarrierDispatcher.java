package io.dlrgate.gateway.dispatch;

import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.type.SmppInvalidArgumentException;
import io.dlrgate.config.CarrierConfig;
import io.dlrgate.gateway.smpp.CarrierSession;
import io.dlrgate.gateway.smpp.CarrierSessions;
import io.dlrgate.gateway.smpp.SendFailedException;
import io.dlrgate.reporting.message.MessageStore;
import io.dlrgate.reporting.message.OutboundMessage;
import io.dlrgate.reporting.message.SubmitOutcome;
import io.dlrgate.reporting.write.GroupCommitter;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
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
 */
final class CarrierDispatcher implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(CarrierDispatcher.class);

    private final CarrierConfig carrier;
    private final MessageStore store;
    private final CarrierSessions sessions;
    private final GroupCommitter committer;
    private final SubmitBuilder builder;
    private final Clock clock;
    private final int batchSize;
    private final long idlePollMs;
    private final long windowWaitMs;
    private final SubmitPacer pacer;
    private final Object wakeLock = new Object();
    private final AtomicLong pausedUntilNanos = new AtomicLong();
    private boolean woken;
    private volatile boolean running = true;
    private int nextSession;

    CarrierDispatcher(CarrierConfig carrier, MessageStore store, CarrierSessions sessions, GroupCommitter committer,
                      SubmitBuilder builder, Clock clock, int batchSize, long idlePollMs, long windowWaitMs) {
        this.carrier = carrier;
        this.store = store;
        this.sessions = sessions;
        this.committer = committer;
        this.builder = builder;
        this.clock = clock;
        this.batchSize = batchSize;
        this.idlePollMs = idlePollMs;
        this.windowWaitMs = windowWaitMs;
        this.pacer = new SubmitPacer(carrier.maxSubmitRate());
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

    /** The carrier said "throttled": hold submits for a moment. */
    void pause(long millis) {
        pausedUntilNanos.set(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis));
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
                if (sessions.submitCapable(carrier.id()).isEmpty()) {
                    awaitWake(idlePollMs);
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
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("carrier {}: dispatch loop error", carrier.id(), e);
            }
        }
    }

    private void sendAll(List<OutboundMessage> batch) throws InterruptedException {
        for (int i = 0; i < batch.size(); i++) {
            OutboundMessage m = batch.get(i);
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
        SubmitSm pdu;
        try {
            pdu = builder.build(m, clock.instant());
        } catch (SmppInvalidArgumentException | RuntimeException e) {
            committer.submitOutcome(SubmitOutcome.failed(m.id(), carrier.id(), "cannot encode: " + e.getMessage(),
                    clock.instant(), m.attempt()));
            return true;
        }
        pdu.setReferenceObject(new InFlightSubmit(m.id(), m.attempt()));
        waitWhilePaused();
        pacer.acquire();
        while (running) {
            List<CarrierSession> candidates = sessions.submitCapable(carrier.id());
            if (candidates.isEmpty()) {
                return false;
            }
            boolean allFull = true;
            for (int k = 0; k < candidates.size(); k++) {
                CarrierSession s = candidates.get(Math.floorMod(nextSession++, candidates.size()));
                try {
                    s.sendSubmit(pdu, windowWaitMs / candidates.size() + 1);
                    return true;
                } catch (SendFailedException e) {
                    switch (e.reason()) {
                        case WINDOW_FULL -> {
                            // try the next session
                        }
                        case NOT_BOUND, CHANNEL -> allFull = false;
                        case REQUEUED_BY_CLOSE -> {
                            // The closing session already requeued it (a RETRY for this attempt): done here.
                            return true;
                        }
                        case ENCODING -> {
                            committer.submitOutcome(SubmitOutcome.failed(m.id(), carrier.id(),
                                    "cannot encode: " + e.getMessage(), clock.instant(), m.attempt()));
                            return true;
                        }
                    }
                }
            }
            if (allFull) {
                log.debug("carrier {}: every window full, waiting", carrier.id());
            }
        }
        return false;
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
