package io.dlrgate.simulator.carrier;

import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.impl.DefaultSmppClient;
import io.dlrgate.simulator.outcome.OutcomePolicy;
import io.dlrgate.simulator.outcome.WeightedOutcomePolicy;
import io.netty.channel.nio.NioEventLoopGroup;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A simulated carrier: an SMPP client that binds to the gateway, answers its submit_sm with its own message ids
 * and sends delivery receipts back after a delay, with outcomes decided by an {@link OutcomePolicy}.
 *
 * <p>This class owns the carrier's life (threads, binds, faults, counters); the work is done by its parts:
 * {@link CarrierBind} (one per bind: binding, re-binding, sending receipts), {@link CarrierSessionHandler}
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
    private final SimCarrierSettings config;
    private final OutcomePolicy policy;
    private final Clock clock;
    private final Ledger ledger = new Ledger();
    private final CarrierCounters counters = new CarrierCounters();
    private final List<CarrierBind> binds = new ArrayList<>();

    private volatile CarrierFaults faults = CarrierFaults.NONE;
    /** While true the binds stay down: dropped, and not re-bound until {@link #restore()}. */
    private volatile boolean heldDown;

    private volatile boolean running;
    /** Why a bind gave up for good (see {@link BindFailure}); null while none has. */
    private volatile String failure;
    private NioEventLoopGroup group;
    private ScheduledExecutorService scheduler;
    private Responder responder;
    private DefaultSmppClient client;

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

    /** Starts the bind threads; returns at once (see {@link #awaitBound(Duration)}). */
    public synchronized void start() {
        if (running || group != null) {
            throw new IllegalStateException("carrier " + config.name() + " already started");
        }
        running = true;
        group = new NioEventLoopGroup(Math.min(2, Runtime.getRuntime().availableProcessors()),
                daemonThreads(config.name() + "-io"));
        scheduler = Executors.newScheduledThreadPool(2, daemonThreads(config.name() + "-timer"));
        responder = new Responder(Executors.newFixedThreadPool(2, daemonThreads(config.name() + "-resp")));
        client = new DefaultSmppClient(group, scheduler);
        ReceiptScheduler receipts = new ReceiptScheduler(config, clock, counters, scheduler);
        SubmitAnswerer submits = new SubmitAnswerer(config, policy, clock, ledger, counters, this::faults, receipts,
                responder);
        CarrierSessionHandler.Parts parts = new CarrierSessionHandler.Parts(this, submits, responder, receipts,
                counters);
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

    /** Waits until every bind is bound; false at once when a bind gave up for good ({@link #failure()}). */
    public boolean awaitBound(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end && failure == null) {
            if (boundSessions() == binds.size() && !binds.isEmpty()) {
                return true;
            }
            Thread.sleep(10);
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
        return n;
    }

    /** Closes every bind as if the network dropped it; the binds come back after the back-off. */
    public void dropBinds() {
        for (CarrierBind b : binds) {
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
        responder.shutdown();
        scheduler.shutdownNow();
        // no quiet period: the client's destroy() would otherwise wait Netty's default two seconds
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        client.destroy();
    }

    @Override
    public void close() {
        stop();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
