package io.dlrgate.gateway.dispatch;

import com.cloudhopper.smpp.PduAsyncResponse;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.impl.DefaultPduAsyncResponse;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.pdu.SubmitSmResp;
import io.dlrgate.config.CarrierConfig;
import io.dlrgate.config.GatewayConfig;
import io.dlrgate.gateway.cluster.InstanceLease;
import io.dlrgate.gateway.cluster.SubmitShare;
import io.dlrgate.gateway.metrics.GatewayMetrics;
import io.dlrgate.gateway.send.QueueListener;
import io.dlrgate.gateway.smpp.CarrierSession;
import io.dlrgate.gateway.smpp.CarrierSessions;
import io.dlrgate.gateway.smpp.SmppStatusNames;
import io.dlrgate.gateway.smpp.SubmitListener;
import io.dlrgate.reporting.correlation.MessageIdNormalizer;
import io.dlrgate.reporting.message.MessageStore;
import io.dlrgate.reporting.message.SubmitOutcome;
import io.dlrgate.reporting.write.GroupCommitter;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send path after the store: one {@link CarrierDispatcher} per configured carrier, and the handling of
 * what carriers answer. Each submit is reported exactly once by the SMPP layer (answered, expired, or left
 * in flight when its session closed) and becomes exactly one {@link SubmitOutcome} for the group committer.
 */
public final class Dispatcher implements QueueListener, SubmitListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    /** How long a carrier's dispatcher holds back after the carrier first answered "throttled" at a rate. */
    private static final long THROTTLE_PAUSE_MS = 200;

    private final GatewayConfig config;
    private final MessageStore store;
    private final GroupCommitter committer;
    private final Clock clock;
    private final GatewayMetrics metrics;
    private final Map<String, CarrierDispatcher> dispatchers = new LinkedHashMap<>();
    private final ExecutorService threads;
    private final SubmitTimeouts timeouts;

    /**
     * @param lease   the instance's lease: claims are made under it, and written only while it holds
     * @param share   this instance's share of each carrier's max_submit_rate
     * @param metrics told how long each carrier took to answer a submit
     */
    public Dispatcher(GatewayConfig config, MessageStore store, CarrierSessions sessions, InstanceLease lease,
                      SubmitShare share, GroupCommitter committer, Clock clock, GatewayMetrics metrics) {
        this.config = config;
        this.store = store;
        this.committer = committer;
        this.clock = clock;
        this.metrics = metrics;
        long windowWaitMs = config.dispatch().windowWait().toMillis();
        for (CarrierConfig c : config.carriers()) {
            dispatchers.put(c.id(), new CarrierDispatcher(c, store, sessions, lease, share, committer,
                    new SubmitBuilder(c.senders(), c.longMessages()), clock,
                    config.dispatch().batchSize(), config.dispatch().idlePoll().toMillis(), windowWaitMs,
                    config.dispatch().throttleRetries()));
        }
        dispatchers.forEach((id, d) -> metrics.watchSubmitRate(id, d::effectiveRate));
        this.timeouts = new SubmitTimeouts(sessions, config.dispatch().submitTimeout(), this::submitExpired);
        this.threads = Executors.newFixedThreadPool(Math.max(1, dispatchers.size()), r -> {
            Thread t = new Thread(r, "dlrgate-dispatch");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Requeues what a run without a lease left in flight (a version before leases), then starts one send loop per
     * carrier. What other instances have in flight is theirs: the lease requeues it only once they are dead.
     */
    public void start() throws SQLException {
        int requeued = store.requeueInFlight();
        if (requeued > 0) {
            log.info("requeued {} messages left in flight by a run without a lease", requeued);
        }
        dispatchers.values().forEach(threads::execute);
        timeouts.start();
    }

    @Override
    public void queued(String carrierId) {
        CarrierDispatcher d = dispatchers.get(carrierId);
        if (d != null) {
            d.wake();
        }
    }

    @Override
    public void sessionBound(CarrierSession session) {
        if (session.bindType().takesSubmits()) {
            queued(session.carrierId());
        }
    }

    /** Submits the closed session never answered go back to the queue, whatever their attempt count. */
    @Override
    public void sessionClosed(CarrierSession session) {
        for (PduRequest<?> req : session.inFlight()) {
            if (req.getReferenceObject() instanceof InFlightSubmit f) {
                committer.submitOutcome(SubmitOutcome.retry(f.messageId(), session.carrierId(), clock.instant(),
                        f.attempt()));
            }
        }
    }

    /** Called on an event loop: classify and hand over, nothing more. */
    @Override
    public void submitResponse(CarrierSession session, PduAsyncResponse response) {
        // ch-smpp's window times the request from its write to its response (ms): nothing to allocate or look up.
        metrics.submitResponse(session.carrierId(), response.getResponseTime());
        if (!(response.getRequest().getReferenceObject() instanceof InFlightSubmit f)) {
            return;
        }
        PduResponse resp = response.getResponse();
        int status = resp.getCommandStatus();
        String carrierId = session.carrierId();
        if (status == SmppConstants.STATUS_OK) {
            String raw = resp instanceof SubmitSmResp ok ? ok.getMessageId() : null;
            if (raw == null || raw.isBlank()) {
                committer.submitOutcome(of(f, SubmitOutcome.rejected(f.messageId(), carrierId, status,
                        f.partPrefix() + "submit_sm_resp carried no message id", clock.instant(), f.attempt())));
            } else if (raw.length() > MessageIdNormalizer.MAX_LENGTH) {
                // No receipt could ever be matched to it, and the store could not index it.
                committer.submitOutcome(of(f, SubmitOutcome.rejected(f.messageId(), carrierId, status,
                        f.partPrefix() + String.format(
                        "submit_sm_resp carried a message id of %d characters (at most %d can be tracked)",
                        raw.length(), MessageIdNormalizer.MAX_LENGTH), clock.instant(), f.attempt())));
            } else {
                String id = MessageIdNormalizer.normalize(raw, session.carrier().submitIdFormat());
                committer.submitOutcome(of(f, SubmitOutcome.accepted(f.messageId(), carrierId, id, clock.instant(),
                        f.attempt())));
            }
        } else if (isTemporary(status)) {
            metrics.submitThrottled(carrierId);
            CarrierDispatcher d = dispatchers.get(carrierId);
            // Not a failure of the message: the same attempt goes again, slower, a bounded number of times.
            if (d == null || !d.holdThrottled((SubmitSm) response.getRequest(), f, THROTTLE_PAUSE_MS)) {
                // A part too: its message goes back to the queue (the next attempt sends only the parts not yet
                // accepted), as a one-part message would; a throttle never fails a message while attempts remain.
                committer.submitOutcome(of(f, retryOrFail(f, carrierId, f.partPrefix() + "carrier throttled: "
                        + SmppStatusNames.describe(status))));
            }
        } else {
            committer.submitOutcome(of(f, SubmitOutcome.rejected(f.messageId(), carrierId, status,
                    f.partPrefix() + SmppStatusNames.describe(status), clock.instant(), f.attempt())));
        }
    }

    /** The outcome about the part the submit was, if it was one. */
    private static SubmitOutcome of(InFlightSubmit f, SubmitOutcome outcome) {
        return f.isPart() && outcome.kind() != SubmitOutcome.Kind.RETRY ? outcome.ofPart(f.part(), f.parts())
                : outcome;
    }

    /** No submit_sm_resp within {@code dispatch.submit_timeout} (or the SMPP layer's own expiry). */
    @Override
    public void submitExpired(CarrierSession session, PduRequest<?> request) {
        if (request.getReferenceObject() instanceof InFlightSubmit f) {
            if (f.isPart()) {
                // A part is retried alone: resending the whole message would duplicate the parts already accepted.
                CarrierDispatcher d = dispatchers.get(session.carrierId());
                if (d != null && d.holdPartRetry((SubmitSm) request, f, config.dispatch().maxSubmitAttempts())) {
                    return;
                }
                committer.submitOutcome(of(f, SubmitOutcome.failed(f.messageId(), session.carrierId(),
                        f.partPrefix() + "submit_sm timed out after " + f.partTries() + " tries", clock.instant(),
                        f.attempt())));
                return;
            }
            committer.submitOutcome(retryOrFail(f, session.carrierId(), "submit_sm timed out"));
        }
    }

    private SubmitOutcome retryOrFail(InFlightSubmit f, String carrierId, String why) {
        if (f.attempt() < config.dispatch().maxSubmitAttempts()) {
            return SubmitOutcome.retry(f.messageId(), carrierId, clock.instant(), f.attempt());
        }
        return SubmitOutcome.failed(f.messageId(), carrierId, why + " after " + f.attempt() + " attempts",
                clock.instant(), f.attempt());
    }

    /** Submits per second this carrier's dispatcher allows now (0 for a carrier not configured). */
    public double effectiveRate(String carrierId) {
        CarrierDispatcher d = dispatchers.get(carrierId);
        return d == null ? 0 : d.effectiveRate();
    }

    /** Statuses after which the same submit may succeed later. */
    static boolean isTemporary(int status) {
        return status == SmppConstants.STATUS_THROTTLED || status == SmppConstants.STATUS_MSGQFUL;
    }

    /**
     * Stops claiming and writing: each carrier's loop ends (what it claimed or holds but did not write goes back
     * to the queue) and this waits for them. Answers to the submits in flight are still handled, and timed out at
     * {@code dispatch.submit_timeout}, until {@link #close()}. The first step of the gateway's stop.
     */
    public void stopSubmitting() {
        dispatchers.values().forEach(CarrierDispatcher::stop);
        threads.shutdown();
        try {
            if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        timeouts.close();
        stopSubmitting();
    }
}
