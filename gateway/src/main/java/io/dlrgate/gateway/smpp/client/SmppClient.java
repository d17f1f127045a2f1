package io.dlrgate.gateway.smpp.client;

import com.cloudhopper.smpp.SmppBindType;
import io.dlrgate.config.CarrierConfig;
import io.dlrgate.config.ConnectConfig;
import io.dlrgate.gateway.logging.LogRateLimit;
import io.dlrgate.gateway.metrics.GatewayMetrics;
import io.dlrgate.gateway.smpp.OutboundSessions;
import io.dlrgate.gateway.tls.Reloadable;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway as an ESME: keeps {@code connect.sessions} binds up to each carrier that has a {@code connect} block
 * (one {@link BindKeeper} per bind: a transceiver, or a transmitter and a receiver per session). Bound sessions
 * join the same registry as inbound ones ({@link OutboundSessions}), so dispatch, intake and metrics serve both.
 *
 * <p>{@link #start()} returns at once: the first attempts run on the client's own threads, so an SMSC that is
 * down never holds up the gateway's start. {@link #stop()} unbinds every bound session (in parallel, waiting a
 * bounded time for the answers) and closes everything.
 *
 * <p>Threads owned: the Netty event loops of the outbound connections (never blocked), the attempt threads (connect,
 * TLS handshake and bind wait there), the window monitor (expires unanswered submits), the unbind threads at stop.
 */
public final class SmppClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SmppClient.class);
    /** How long stop() waits, in all, for the SMSCs to answer its unbinds. */
    static final long UNBIND_ON_STOP_MS = 2_000;
    /**
     * How long stop() waits for attempts in progress to end once interrupted. Connect, handshake and bind waits
     * end at once; a DNS lookup cannot be interrupted and may take this long.
     */
    static final long ATTEMPTS_ON_STOP_MS = 5_000;

    private final OutboundSessions sessions;
    private final GatewayMetrics metrics;
    private final NioEventLoopGroup group;
    private final ScheduledExecutorService attempts;
    private final ScheduledExecutorService windowMonitor;
    /** What it takes to keep a carrier's binds: its config, TLS, and one log limit for all its binds. */
    private record Plan(CarrierConfig carrier, ClientTls tls, LogRateLimit lines) {
    }

    /** One outbound session of a carrier: slot 0 .. connect.sessions - 1. */
    private record Slot(String carrierId, int slot) {
    }

    private final Map<String, Plan> plans = new java.util.TreeMap<>();
    /** Guarded by this: the keepers of every slot kept now (a transceiver, or a transmitter and a receiver). */
    private final Map<Slot, List<BindKeeper>> keepers = new java.util.HashMap<>();
    /** Slots given up, until their sessions are unbound (not guarded by this: stop() holds it while they end). */
    private final Map<Slot, CompletableFuture<Void>> stopping = new ConcurrentHashMap<>();
    private final List<Reloadable> files = new ArrayList<>();
    private final Map<String, AtomicLong> attemptsByCarrier = new ConcurrentHashMap<>();
    private final Map<String, Integer> plan;
    private volatile boolean stopped;

    /**
     * @param carriers every configured carrier; those without {@code connect} are skipped
     * @param sessions turns bound connections into carrier sessions of the shared registry
     * @throws IllegalStateException when a carrier's TLS settings cannot be used (unreadable PEM)
     */
    public SmppClient(List<CarrierConfig> carriers, OutboundSessions sessions, GatewayMetrics metrics) {
        this.sessions = sessions;
        this.metrics = metrics;
        this.plan = bindsPerCarrier(carriers);
        List<CarrierConfig> out = carriers.stream().filter(c -> c.connect() != null).toList();
        int binds = plan.values().stream().mapToInt(Integer::intValue).sum();
        this.group = new NioEventLoopGroup(Math.max(1, Math.min(binds, Runtime.getRuntime().availableProcessors())),
                new DefaultThreadFactory("dlrgate-smpp-out", true));
        // Attempts block (connect, handshake, bind: 10 s each at most); a few threads keep one slow SMSC from
        // holding up another carrier's binds, and bound the threads whatever the config says.
        ScheduledThreadPoolExecutor a = new ScheduledThreadPoolExecutor(Math.max(1, Math.min(binds, 4)),
                new DefaultThreadFactory("dlrgate-smpp-connect", true));
        a.setRemoveOnCancelPolicy(true);
        this.attempts = a;
        ScheduledThreadPoolExecutor m = new ScheduledThreadPoolExecutor(1,
                new DefaultThreadFactory("dlrgate-smpp-out-window", true));
        m.setRemoveOnCancelPolicy(true);
        this.windowMonitor = m;
        for (CarrierConfig c : out) {
            ClientTls tls = ClientTls.of(c.id(), c.connect().tls());
            if (tls != null) {
                files.addAll(tls.files());
            }
            // One log limit per carrier: one carrier's trouble never hides another's.
            plans.put(c.id(), new Plan(c, tls, new LogRateLimit()));
        }
    }

    /** Whether any carrier is reached by binding out. */
    public boolean hasCarriers() {
        return !plans.isEmpty();
    }

    /** The carriers reached by binding out, with their connect blocks. */
    public List<CarrierConfig> carriers() {
        return plans.values().stream().map(Plan::carrier).toList();
    }

    /** The TLS files (trusted certificates) to read again when they change or on SIGHUP. */
    public List<Reloadable> tlsFiles() {
        return List.copyOf(files);
    }

    /** Starts keeping every bind of every carrier up: this process alone binds out. Returns at once. */
    public void start() {
        if (!plans.isEmpty()) {
            log.info("binding out to {} carriers (binds per carrier: {})", plan.size(), plan);
        }
        for (Plan p : plans.values()) {
            keep(p.carrier().id(), allSlots(p.carrier()));
        }
    }

    private static Set<Integer> allSlots(CarrierConfig c) {
        Set<Integer> all = new java.util.TreeSet<>();
        for (int i = 0; i < c.connect().sessions(); i++) {
            all.add(i);
        }
        return all;
    }

    /**
     * Keeps exactly these outbound sessions (slots) of the carrier bound: starts those not kept yet, gives up the
     * others. A session given up stops taking submits, gets up to {@link #SHED_DRAIN_MS} for the answers to those
     * in flight, and is unbound ({@link #stopped} tells when). Returns at once. Several instances share a carrier's
     * sessions this way, each keeping the slots it holds in the store.
     */
    public synchronized void keep(String carrierId, Set<Integer> slots) {
        Plan p = plans.get(carrierId);
        if (p == null || stopped) {
            return;
        }
        for (Slot s : List.copyOf(keepers.keySet())) {
            if (s.carrierId().equals(carrierId) && !slots.contains(s.slot())) {
                shed(s, keepers.remove(s));
            }
        }
        for (int slot : slots) {
            Slot s = new Slot(carrierId, slot);
            if (keepers.containsKey(s) || stopping.containsKey(s)) {
                continue; // kept already, or still unbinding: taken up again at the next call
            }
            List<BindKeeper> ks = new ArrayList<>();
            for (SmppBindType type : OutboundSessions.bindTypes(p.carrier().connect().bind())) {
                ConnectConfig connect = p.carrier().connect();
                ks.add(new BindKeeper(this, p.carrier(), type, p.tls(), new Backoff(connect.reconnectMin(),
                        connect.reconnectMax(), () -> ThreadLocalRandom.current().nextDouble()), p.lines()));
            }
            keepers.put(s, ks);
            ks.forEach(BindKeeper::start);
        }
    }

    /** Completes once the slot's sessions, given up by {@link #keep}, are unbound (at once if none is kept). */
    public synchronized CompletableFuture<Void> stopped(String carrierId, int slot) {
        Slot s = new Slot(carrierId, slot);
        if (keepers.containsKey(s)) {
            return new CompletableFuture<>(); // kept: not stopping
        }
        return stopping.getOrDefault(s, CompletableFuture.completedFuture(null));
    }

    /** How long a session given up waits for the answers to its submits in flight before it unbinds. */
    static final long SHED_DRAIN_MS = 5_000;

    private void shed(Slot s, List<BindKeeper> ks) {
        List<OutboundSessions.Outbound> bound = new ArrayList<>();
        for (BindKeeper k : ks) {
            OutboundSessions.Outbound o = k.stop();
            if (o != null) {
                bound.add(o);
            }
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        stopping.put(s, done);
        Runnable unbind = () -> {
            try {
                bound.forEach(o -> o.session().drain());
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHED_DRAIN_MS);
                while (bound.stream().anyMatch(o -> o.session().smppSession().getSendWindow().getSize() > 0)
                        && System.nanoTime() - deadline < 0) {
                    Thread.sleep(10);
                }
                bound.forEach(o -> o.unbindAndClose("session handed to another instance", UNBIND_ON_STOP_MS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                bound.forEach(o -> o.close("session handed to another instance"));
                stopping.remove(s);
                done.complete(null);
            }
        };
        try {
            attempts.execute(unbind);
        } catch (RejectedExecutionException e) {
            unbind.run(); // stopping: closed at once
        }
    }

    /** Bind attempts made to this carrier since start (for tests: a refused bind must not be retried in a loop). */
    public long attemptsTo(String carrierId) {
        AtomicLong n = attemptsByCarrier.get(carrierId);
        return n == null ? 0 : n.get();
    }

    /**
     * Unbinds every bound session (waiting at most {@link #UNBIND_ON_STOP_MS} for the answers), closes every
     * connection (sessionClosed fires for each, so in-flight submits are requeued before this returns) and ends
     * the threads, waiting (at most {@link #ATTEMPTS_ON_STOP_MS}) for attempts in progress to end first.
     * Idempotent. Not on an event loop.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        List<OutboundSessions.Outbound> bound = new ArrayList<>();
        for (List<BindKeeper> ks : keepers.values()) {
            for (BindKeeper k : ks) {
                OutboundSessions.Outbound o = k.stop();
                if (o != null) {
                    bound.add(o);
                }
            }
        }
        attempts.shutdownNow(); // an attempt in progress is interrupted, or sees stopped and closes what it opened
        awaitAttempts();
        unbindAll(bound);
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        windowMonitor.shutdownNow();
        if (!plans.isEmpty()) {
            log.info("outbound binds stopped");
        }
    }

    /**
     * Waits (bounded) for the attempt threads to end: an attempt still running after stop() returned would go on
     * using the event loops, the metrics and the sessions' registry that the gateway is about to close.
     */
    private void awaitAttempts() {
        try {
            if (!attempts.awaitTermination(ATTEMPTS_ON_STOP_MS, TimeUnit.MILLISECONDS)) {
                log.warn("a bind attempt was still running {} ms after stop (a slow DNS lookup?); not waiting longer",
                        ATTEMPTS_ON_STOP_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void unbindAll(List<OutboundSessions.Outbound> bound) {
        if (bound.isEmpty()) {
            return;
        }
        ExecutorService unbinders = Executors.newFixedThreadPool(Math.min(bound.size(), 8),
                new DefaultThreadFactory("dlrgate-smpp-unbind", true));
        try {
            List<CompletableFuture<Void>> unbinds = new ArrayList<>();
            for (OutboundSessions.Outbound o : bound) {
                try {
                    unbinds.add(CompletableFuture.runAsync(() -> o.unbindAndClose("gateway stopping",
                            UNBIND_ON_STOP_MS), unbinders));
                } catch (RejectedExecutionException e) {
                    o.close("gateway stopping");
                }
            }
            CompletableFuture.allOf(unbinds.toArray(CompletableFuture[]::new))
                    .get(UNBIND_ON_STOP_MS + 500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("not every SMSC answered the unbind in time; closing the rest: {}", e.toString());
        } finally {
            unbinders.shutdownNow();
            bound.forEach(o -> o.close("gateway stopping")); // those that answered are closed already
        }
    }

    @Override
    public void close() {
        stop();
    }

    // ------------------------------------------------------------------ for the keepers

    NioEventLoopGroup group() {
        return group;
    }

    ScheduledExecutorService attempts() {
        return attempts;
    }

    ScheduledExecutorService windowMonitor() {
        return windowMonitor;
    }

    OutboundSessions sessions() {
        return sessions;
    }

    GatewayMetrics metrics() {
        return metrics;
    }

    void attemptStarted(String carrierId) {
        attemptsByCarrier.computeIfAbsent(carrierId, k -> new AtomicLong()).incrementAndGet();
    }

    /** True on one of the outbound event loops, where sendSubmit must refuse to block. */
    boolean onEventLoop() {
        for (EventExecutor e : group) {
            if (e.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    /** For the log: how many binds each carrier gets. */
    private static Map<String, Integer> bindsPerCarrier(List<CarrierConfig> carriers) {
        Map<String, Integer> out = new java.util.TreeMap<>();
        for (CarrierConfig c : carriers) {
            if (c.connect() != null) {
                out.put(c.id(), c.connect().sessions() * OutboundSessions.bindTypes(c.connect().bind()).length);
            }
        }
        return out;
    }
}
