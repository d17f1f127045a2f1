package io.dlrgate.simulator.carrier;

import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.SmppServerSession;
import com.cloudhopper.smpp.impl.DefaultSmppClient;
import io.dlrgate.simulator.outcome.OutcomePolicy;
import io.dlrgate.simulator.outcome.WeightedOutcomePolicy;
import io.netty.channel.nio.NioEventLoopGroup;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A simulated carrier: answers submit_sm with its own message ids and sends delivery receipts back after a delay,
 * with outcomes decided by an {@link OutcomePolicy}. In the carrier role ({@link #start()}) it is an SMPP client that
 * binds to the gateway; in the SMSC role ({@link #startAsSmsc()}) ESMEs bind to it through an {@link SmscServer}.
 * Only the binds differ: the answers, receipts, ledger and counters are the same parts in both roles.
 *
 * <p>This class owns the carrier's life (threads, binds, faults, counters); the work is done by its parts:
 * {@link CarrierBind} (one per own bind: binding, re-binding), {@link SmscBind} (one per ESME bind),
 * {@link SessionLoop} (a bound session's receipts and enquire_links), {@link CarrierSessionHandler}
 * (session callbacks), {@link SubmitAnswerer} (submit_sm to ledger and submit_sm_resp), {@link ReceiptScheduler}
 * (receipts from plan to answer) and {@link CarrierCounters}.
 *
 * <p>Threads: PDUs arrive on Netty event-loop threads, where only non-blocking work happens (deciding, queueing).
 * Responses are written by a small responder pool; each bind has its own thread that binds, re-binds with
 * back-off when the bind drops, and writes receipts from the shared ready queue (so the session window limits
 * what is in flight). A receipt answered with a retryable status (0x58 by default) goes back to the queue after
 * a back-off; a receipt in flight on a session that dies, or whose answer times out, is sent again. A receipt is
 * never dropped; the ledger records what became of each.
 */
public final class SimulatedCarrier implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SimulatedCarrier.class);
    private final SimCarrierSettings config;
    private final OutcomePolicy policy;
    private final Clock clock;
    private final Ledger ledger = new Ledger();
    private final CarrierCounters counters = new CarrierCounters();
    private final List<CarrierBind> binds = new ArrayList<>();
    /** The ESMEs' binds in the SMSC role, by session id. */
    private final Map<Long, SmscBind> smscBinds = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong smscBindCount = new java.util.concurrent.atomic.AtomicLong();

    private volatile CarrierFaults faults = CarrierFaults.NONE;
    private volatile SmscSettings smsc = SmscSettings.NONE;
    /** Binds refused by the fault {@code refuse_binds} so far. */
    private final java.util.concurrent.atomic.AtomicInteger bindsRefusedByFault =
            new java.util.concurrent.atomic.AtomicInteger();
    /** While true the binds stay down: dropped, and not re-bound until {@link #restore()}. */
    private volatile boolean heldDown;

    private volatile boolean running;
    /** Why a bind gave up for good (see {@link BindFailure}); null while none has. */
    private volatile String failure;
    private NioEventLoopGroup group;
    private ScheduledExecutorService scheduler;
    private Responder responder;
    private DefaultSmppClient client;
    private CarrierSessionHandler.Parts parts;
    private SubmitGate gate;
    private boolean smscRole;

    /** A carrier with the weighted policy of its configuration and the system clock. */
    public SimulatedCarrier(SimCarrierSettings config) {
        this(config, new WeightedOutcomePolicy(config.weights(), config.enroute(), config.delay(), config.seed()),
                Clock.systemUTC());
    }

    /**
     * @param config the carrier
     * @param policy decides each submit (called in order of arrival, one at a time)
     * @param clock  source of submit and done dates
     */
    public SimulatedCarrier(SimCarrierSettings config, OutcomePolicy policy, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public SimCarrierSettings config() {
        return config;
    }

    /** Sets the session-level faults (may be changed while running; read at each use). */
    public SimulatedCarrier faults(CarrierFaults f) {
        this.faults = Objects.requireNonNull(f, "faults");
        return this;
    }

    public CarrierFaults faults() {
        return faults;
    }

    /** Sets the SMSC-role settings and faults (may be changed while running; read at each use). */
    public SimulatedCarrier smsc(SmscSettings s) {
        this.smsc = Objects.requireNonNull(s, "smsc");
        return this;
    }

    public SmscSettings smsc() {
        return smsc;
    }

    /** Drops every bind and keeps them down until {@link #restore()}: receipts wait in the queue meanwhile. */
    public void holdDown() {
        heldDown = true;
        dropBinds();
    }

    /** Lets the binds come back (after the usual back-off) after {@link #holdDown()}. */
    public void restore() {
        heldDown = false;
    }

    boolean isHeldDown() {
        return heldDown;
    }

    boolean isRunning() {
        return running;
    }

    /** Called by a bind that gives up for good: the carrier cannot do its part, its owner should stop it. */
    void fail(String reason) {
        if (failure == null) {
            failure = reason;
        }
    }

    /** Why this carrier cannot bind (a refused bind, no gateway reachable), or null. */
    public String failure() {
        return failure;
    }

    public Ledger ledger() {
        return ledger;
    }

    /** Starts the bind threads (the carrier role: binds to the gateway); returns at once (see {@link #awaitBound}). */
    public synchronized void start() {
        startParts();
        client = new DefaultSmppClient(group, scheduler);
        int n = 0;
        for (int s = 0; s < config.sessions(); s++) {
            for (SmppBindType type : config.bindTypes()) {
                String name = config.name() + "-" + (++n) + "-" + type.name().toLowerCase(Locale.ROOT);
                binds.add(new CarrierBind(name, type, client, scheduler, parts));
            }
        }
        for (CarrierBind bind : binds) {
            Thread t = new Thread(bind::run, bind.name);
            t.setDaemon(true);
            bind.thread = t;
            t.start();
        }
    }

    /** Starts the parts for the SMSC role: ESMEs' binds arrive through {@link SmscServer}. */
    public synchronized void startAsSmsc() {
        startParts();
        smscRole = true;
    }

    private void startParts() {
        if (running || group != null) {
            throw new IllegalStateException("carrier " + config.name() + " already started");
        }
        running = true;
        group = new NioEventLoopGroup(Math.min(2, Runtime.getRuntime().availableProcessors()),
                daemonThreads(config.name() + "-io"));
        scheduler = Executors.newScheduledThreadPool(2, daemonThreads(config.name() + "-timer"));
        responder = new Responder(Executors.newFixedThreadPool(2, daemonThreads(config.name() + "-resp")));
        ReceiptScheduler receipts = new ReceiptScheduler(config, clock, counters, scheduler);
        gate = new SubmitGate(this::smsc, config.seed());
        SubmitAnswerer submits = new SubmitAnswerer(config, policy, clock, ledger, counters, this::faults, receipts,
                responder, gate, scheduler);
        parts = new CarrierSessionHandler.Parts(this, submits, responder, receipts, counters);
    }

    boolean isSmscRole() {
        return smscRole;
    }

    /**
     * SMSC role: whether a bind with these credentials may be accepted now: 0, or the command_status to refuse it
     * with (the fault {@code refuse_binds}, the bind limit, a carrier held down).
     */
    int bindRefusal() {
        SmscSettings s = smsc;
        if (!running || heldDown) {
            return com.cloudhopper.smpp.SmppConstants.STATUS_BINDFAIL;
        }
        if (s.refuseBindStatus() != 0) {
            int before = bindsRefusedByFault.getAndUpdate(n -> s.refuseBindTimes() == 0 || n < s.refuseBindTimes()
                    ? n + 1 : n);
            if (s.refuseBindTimes() == 0 || before < s.refuseBindTimes()) {
                return s.refuseBindStatus();
            }
        }
        if (smscBinds.size() >= s.maxBinds()) {
            return com.cloudhopper.smpp.SmppConstants.STATUS_BINDFAIL;
        }
        return 0;
    }

    /** SMSC role: a refused bind attempt, for the counters. */
    void bindRefused() {
        counters.bindFailures.incrementAndGet();
    }

    /**
     * SMSC role: an ESME's bind was accepted. Hand the returned bind's handler to {@code serverReady}, then
     * {@link SmscBind#start() start} it: its loop serves the session while it is bound.
     */
    SmscBind attach(long sessionId, SmppServerSession session) {
        String name = config.name() + "-esme-" + smscBindCount.incrementAndGet() + "-"
                + session.getBindType().name().toLowerCase(Locale.ROOT);
        SmscBind bind = new SmscBind(sessionId, name, session, parts, scheduler, smsc.receiptsOnReceiverOnly());
        smscBinds.put(sessionId, bind);
        counters.binds.incrementAndGet();
        log.info("{}: ESME bound as {}{}", name, session.getBindType(),
                bind.sendsReceipts() ? " (receipts go here)" : "");
        return bind;
    }

    /** SMSC role: an ESME's session ended (unbind, closed connection, dropped). */
    void detach(long sessionId) {
        SmscBind bind = smscBinds.remove(sessionId);
        if (bind != null) {
            bind.markDead();
            log.info("{}: ESME bind ended", bind.name());
        }
    }

    /** SMSC role: how many ESME binds are up that take submits and that carry receipts. */
    public int[] esmeBinds() {
        int submits = 0;
        int receipts = 0;
        for (SmscBind b : smscBinds.values()) {
            if (b.isBound()) {
                submits += b.takesSubmits() ? 1 : 0;
                receipts += b.sendsReceipts() ? 1 : 0;
            }
        }
        return new int[] {submits, receipts};
    }

    /** What the submit and bind faults did so far (both roles; binds refused only in the SMSC role). */
    public SmscCounts smscCounts() {
        SubmitGate g = gate;
        return g == null ? new SmscCounts(0, 0, 0, 0, 0)
                : new SmscCounts(bindsRefusedByFault.get(), g.rateThrottled.get(), g.heldFull.get(),
                        g.lateAnswers.get(), g.connectionsDropped.get());
    }

    /**
     * @param bindsRefused       binds refused by the fault refuse_binds
     * @param rateThrottled      submit_sm answered ESME_RTHROTTLED for going above throttle_rate
     * @param holdFull           submit_sm answered ESME_RMSGQFUL because the hold of receipts was full
     * @param lateAnswers        submit_sm answered late (fault late_answers)
     * @param connectionsDropped connections closed after a submit (fault drop_connection)
     */
    public record SmscCounts(long bindsRefused, long rateThrottled, long holdFull, long lateAnswers,
                             long connectionsDropped) {
    }

    /**
     * Waits until every bind is bound (SMSC role: until an ESME has a bind up that submits and one that takes
     * receipts); false at once when a bind gave up for good ({@link #failure()}).
     */
    public boolean awaitBound(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end && failure == null) {
            if (ready()) {
                return true;
            }
            Thread.sleep(10);
        }
        return ready();
    }

    private boolean ready() {
        if (smscRole) {
            int[] up = esmeBinds();
            return up[0] > 0 && up[1] > 0;
        }
        return boundSessions() == binds.size() && !binds.isEmpty();
    }

    /** Waits until every planned receipt is acknowledged or refused. */
    public boolean awaitReceiptsSettled(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (stats().receiptsOutstanding() == 0) {
                return true;
            }
            Thread.sleep(10);
        }
        return stats().receiptsOutstanding() == 0;
    }

    public int boundSessions() {
        int n = 0;
        for (CarrierBind b : binds) {
            if (b.isBound()) {
                n++;
            }
        }
        for (SmscBind b : smscBinds.values()) {
            if (b.isBound()) {
                n++;
            }
        }
        return n;
    }

    /**
     * Closes every bind as if the network dropped it; the binds come back after the back-off (SMSC role: the
     * ESMEs must bind again).
     */
    public void dropBinds() {
        for (CarrierBind b : binds) {
            b.drop();
        }
        for (SmscBind b : smscBinds.values()) {
            b.drop();
        }
    }

    public CarrierStats stats() {
        return counters.snapshot(boundSessions(), heldDown);
    }

    /** Unbinds and stops every thread. Receipts not acknowledged yet stay as they are in the ledger. */
    public void stop() {
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
        }
        for (CarrierBind b : binds) {
            if (b.thread != null) {
                b.thread.interrupt();
            }
        }
        for (CarrierBind b : binds) {
            try {
                if (b.thread != null) {
                    b.thread.join(5_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (SmscBind b : new ArrayList<>(smscBinds.values())) {
            b.stop();
        }
        responder.shutdown();
        scheduler.shutdownNow();
        // no quiet period: the client's destroy() would otherwise wait Netty's default two seconds
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        if (client != null) {
            client.destroy();
        }
    }

    @Override
    public void close() {
        stop();
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
