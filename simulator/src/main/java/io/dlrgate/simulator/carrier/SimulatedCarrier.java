package io.dlrgate.simulator.carrier;

import com.cloudhopper.smpp.PduAsyncResponse;
import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.SmppSession;
import com.cloudhopper.smpp.impl.DefaultSmppClient;
import com.cloudhopper.smpp.impl.DefaultSmppSessionHandler;
import com.cloudhopper.smpp.pdu.BaseSm;
import com.cloudhopper.smpp.pdu.EnquireLink;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.pdu.SubmitSmResp;
import com.cloudhopper.smpp.type.SmppChannelException;
import com.cloudhopper.smpp.type.SmppTimeoutException;
import io.dlrgate.simulator.outcome.Decision;
import io.dlrgate.simulator.outcome.OutcomePolicy;
import io.dlrgate.simulator.outcome.SubmitView;
import io.dlrgate.simulator.outcome.WeightedOutcomePolicy;
import io.dlrgate.simulator.receipt.ReceiptFields;
import io.dlrgate.simulator.receipt.ReceiptWriter;
import io.netty.channel.nio.NioEventLoopGroup;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated carrier: an SMPP client that binds to the gateway, answers its submit_sm with its own message ids
 * and sends delivery receipts back after a delay, with outcomes decided by an {@link OutcomePolicy}.
 *
 * <p>Threads: PDUs arrive on Netty event-loop threads, where only non-blocking work happens (deciding, queueing).
 * Responses are written by a small responder pool; each bind has its own thread that binds, re-binds with
 * back-off when the bind drops, and writes receipts from the shared ready queue (so the session window limits
 * what is in flight). A receipt answered with a retryable status (0x58 by default) goes back to the queue after
 * a back-off; a receipt in flight on a session that dies, or whose answer times out, is sent again. A receipt is
 * never dropped; the ledger records what became of each.
 */
public final class SimulatedCarrier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SimulatedCarrier.class);

    private final SimCarrierSettings config;
    private final OutcomePolicy policy;
    private final Clock clock;
    private final ReceiptWriter writer;
    private final MessageIdGenerator ids;
    private final Ledger ledger = new Ledger();
    private final Object decideLock = new Object();
    private long sequence;

    private final LinkedBlockingDeque<Pending> ready = new LinkedBlockingDeque<>();
    private final List<Slot> slots = new ArrayList<>();

    private final AtomicLong submitsReceived = new AtomicLong();
    private final AtomicLong submitsRejected = new AtomicLong();
    private final AtomicLong receiptsPlanned = new AtomicLong();
    private final AtomicLong receiptsSent = new AtomicLong();
    private final AtomicLong receiptsAcknowledged = new AtomicLong();
    private final AtomicLong throttledRetries = new AtomicLong();
    private final AtomicLong receiptsRefused = new AtomicLong();
    private final AtomicLong receiptsRequeued = new AtomicLong();
    private final AtomicLong receiptsAbandoned = new AtomicLong();
    private final AtomicLong binds = new AtomicLong();
    private final AtomicLong bindFailures = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong receiptsFirst = new AtomicLong();
    private final AtomicLong noiseReceipts = new AtomicLong();
    private final AtomicLong enquireLinksIgnored = new AtomicLong();
    private final AtomicLong readPauses = new AtomicLong();

    private volatile CarrierFaults faults = CarrierFaults.NONE;
    /** While true the binds stay down: dropped, and not re-bound until {@link #restore()}. */
    private volatile boolean heldDown;

    private volatile boolean running;
    private NioEventLoopGroup group;
    private ScheduledExecutorService scheduler;
    private ExecutorService responders;
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
        this.writer = new ReceiptWriter(config.dialect());
        this.ids = new MessageIdGenerator(config.idFormat(), config.idStart(), config.idWidth(), config.seed());
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
        responders = Executors.newFixedThreadPool(2, daemonThreads(config.name() + "-resp"));
        client = new DefaultSmppClient(group, scheduler);
        int n = 0;
        for (int s = 0; s < config.sessions(); s++) {
            for (SmppBindType type : config.bindTypes()) {
                Slot slot = new Slot(config.name() + "-" + (++n) + "-" + type.name().toLowerCase(java.util.Locale.ROOT),
                        type);
                slots.add(slot);
            }
        }
        for (Slot slot : slots) {
            Thread t = new Thread(slot::run, slot.name);
            t.setDaemon(true);
            slot.thread = t;
            t.start();
        }
    }

    /** Waits until every bind is bound. */
    public boolean awaitBound(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (boundSessions() == slots.size() && !slots.isEmpty()) {
                return true;
            }
            Thread.sleep(10);
        }
        return boundSessions() == slots.size() && !slots.isEmpty();
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
        for (Slot s : slots) {
            SmppSession session = s.current;
            if (session != null && session.isBound() && !s.dead) {
                n++;
            }
        }
        return n;
    }

    /** Closes every bind as if the network dropped it; the binds come back after the back-off. */
    public void dropBinds() {
        for (Slot s : slots) {
            s.dead = true;
            SmppSession session = s.current;
            if (session != null) {
                session.close();
            }
        }
    }

    public CarrierStats stats() {
        return new CarrierStats(submitsReceived.get(), submitsRejected.get(), receiptsPlanned.get(),
                receiptsSent.get(), receiptsAcknowledged.get(), throttledRetries.get(), receiptsRefused.get(),
                receiptsRequeued.get(), receiptsAbandoned.get(), binds.get(), bindFailures.get(), reconnects.get(),
                boundSessions(), receiptsFirst.get(), noiseReceipts.get(), enquireLinksIgnored.get(), readPauses.get(),
                heldDown);
    }

    /** Unbinds and stops every thread. Receipts not acknowledged yet stay as they are in the ledger. */
    public void stop() {
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
        }
        for (Slot s : slots) {
            if (s.thread != null) {
                s.thread.interrupt();
            }
        }
        for (Slot s : slots) {
            try {
                if (s.thread != null) {
                    s.thread.join(5_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        responders.shutdown();
        scheduler.shutdownNow();
        // no quiet period: the client's destroy() would otherwise wait Netty's default two seconds
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        client.destroy();
    }

    @Override
    public void close() {
        stop();
    }

    // ---------------------------------------------------------------- submits

    private void onSubmit(Slot slot, CompletableFuture<SmppSession> sessionFuture, SubmitSm submit) {
        submitsReceived.incrementAndGet();
        Ledger.Tracked tracked;
        Decision decision;
        synchronized (decideLock) {
            long seq = ++sequence;
            SubmitView view = new SubmitView(seq, config.systemId(), address(submit.getSourceAddress()),
                    address(submit.getDestAddress()), SmppSessions.text(submit), clock.instant());
            try {
                decision = policy.decide(view);
            } catch (RuntimeException e) {
                log.error("{}: outcome policy failed for submit #{}, answering ESME_RSYSERR", config.name(), seq, e);
                decision = Decision.reject(SmppConstants.STATUS_SYSERR);
            }
            MessageIdGenerator.IssuedId id = decision.submitStatus() == 0 ? ids.next() : null;
            tracked = ledger.add(view, id, decision);
        }
        if (decision.submitStatus() != 0) {
            submitsRejected.incrementAndGet();
        }
        // counted before the submit_sm_resp goes out, so nobody sees a settled carrier with receipts on the way
        receiptsPlanned.addAndGet(tracked.receipts.size());
        SubmitSmResp resp = submit.createResponse();
        resp.setCommandStatus(decision.submitStatus());
        if (tracked.id != null) {
            resp.setMessageId(tracked.id.text());
        }
        if (decision.receiptsFirst() && tracked.id != null && !tracked.receipts.isEmpty()) {
            // fault: the receipts go out first; the answer follows once they are answered (or after a while)
            receiptsFirst.incrementAndGet();
            scheduleReceipts(tracked);
            tracked.receiptsAnswered.completeOnTimeout(null, faults.receiptsFirstWaitMillis(), TimeUnit.MILLISECONDS)
                    .thenRun(() -> respond(slot, sessionFuture, resp, null, null));
            return;
        }
        respond(slot, sessionFuture, resp, () -> scheduleReceipts(tracked), () -> abandon(tracked));
    }

    /**
     * An id this carrier never issues, derived from an issued one: decimal and zero-padded ids plus 5*10^18
     * ({@link IdStarts} hands out at most 16 digits, so no run, earlier or later, issues it), hex ids with bit 62
     * flipped, UUIDs with their high half scrambled.
     */
    static final long UNKNOWN_ID_OFFSET = 5_000_000_000_000_000_000L;

    static MessageIdGenerator.IssuedId unknownId(IdFormat format, MessageIdGenerator.IssuedId issued) {
        if (issued.numeric() == null) {
            java.util.UUID u = java.util.UUID.fromString(issued.text());
            return new MessageIdGenerator.IssuedId(new java.util.UUID(u.getMostSignificantBits() ^ 0x5A5A5A5A00000000L,
                    u.getLeastSignificantBits()).toString(), null);
        }
        long n = issued.numeric();
        return switch (format) {
            case HEX -> {
                long v = n ^ 0x4000000000000000L;
                yield new MessageIdGenerator.IssuedId(Long.toHexString(v).toUpperCase(java.util.Locale.ROOT), v);
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

    private void scheduleReceipts(Ledger.Tracked tracked) {
        List<Pending> chain = new ArrayList<>(tracked.receipts.size());
        for (Ledger.TrackedReceipt r : tracked.receipts) {
            chain.add(new Pending(tracked, r, chain));
        }
        for (Pending p : chain) {
            Ledger.TrackedReceipt r = p.receipt;
            MessageIdGenerator.IssuedId id = r.plan.kind() == io.dlrgate.simulator.outcome.PlannedReceipt.Kind.UNKNOWN_ID
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
    private void releaseInOrder(List<Pending> chain) {
        synchronized (chain) {
            for (Pending p : chain) {
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

    private void abandon(Ledger.Tracked tracked) {
        for (Ledger.TrackedReceipt r : tracked.receipts) {
            r.state = Ledger.ReceiptState.ABANDONED;
            receiptsAbandoned.incrementAndGet();
        }
        tracked.checkAnswered();
    }

    /** Writes a response off the event loop; then runs {@code written} or {@code failed}. */
    private void respond(Slot slot, CompletableFuture<SmppSession> sessionFuture, PduResponse resp, Runnable written,
                         Runnable failed) {
        try {
            responders.execute(() -> {
                try {
                    SmppSession session = sessionFuture.get(5, TimeUnit.SECONDS);
                    session.sendResponsePdu(resp);
                    if (written != null) {
                        written.run();
                    }
                } catch (Exception e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    log.warn("{}: could not write {}: {}", slot.name, resp.getName(), e.toString());
                    if (failed != null) {
                        failed.run();
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            if (failed != null) {
                failed.run();
            }
        }
    }

    private static String address(com.cloudhopper.smpp.type.Address a) {
        return a == null || a.getAddress() == null ? "" : a.getAddress();
    }

    // ---------------------------------------------------------------- receipts

    /** A receipt waiting to be sent or in flight. {@code token} is non-zero while an attempt is in flight. */
    private static final class Pending {
        final Ledger.Tracked tracked;
        final Ledger.TrackedReceipt receipt;
        /** All receipts of the message, in plan order (see releaseInOrder); guarded by itself. */
        final List<Pending> chain;
        volatile ReceiptFields fields;
        boolean due;
        boolean released;
        final AtomicLong token = new AtomicLong();
        final AtomicInteger attempt = new AtomicInteger();

        Pending(Ledger.Tracked tracked, Ledger.TrackedReceipt receipt, List<Pending> chain) {
            this.tracked = tracked;
            this.receipt = receipt;
            this.chain = chain;
        }

        long begin() {
            long t = attempt.incrementAndGet();
            token.set(t);
            return t;
        }

        /** Ends the attempt; false when it was ended already (stale answer, expiry, requeue). */
        boolean end(long t) {
            return token.compareAndSet(t, 0);
        }
    }

    private record InFlight(Pending pending, long token) {
    }

    private void onReceiptResponse(PduAsyncResponse async) {
        Object ref = async.getRequest().getReferenceObject();
        if (!(ref instanceof InFlight f)) {
            return;
        }
        if (!f.pending.end(f.token)) {
            return;
        }
        for (Slot s : slots) {
            s.inFlight.remove(f.pending);
        }
        Ledger.TrackedReceipt r = f.pending.receipt;
        int status = async.getResponse().getCommandStatus();
        r.lastStatus = status;
        if (status == SmppConstants.STATUS_OK) {
            r.state = Ledger.ReceiptState.ACKNOWLEDGED;
            receiptsAcknowledged.incrementAndGet();
        } else if (config.retryStatuses().contains(status)) {
            int n = r.throttled.incrementAndGet();
            throttledRetries.incrementAndGet();
            long backoff = backoff(config.retryMinMillis(), config.retryMaxMillis(), n);
            try {
                scheduler.schedule(() -> ready.add(f.pending), backoff, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                // carrier stopping: the receipt stays SENT in the ledger
            }
        } else {
            r.state = Ledger.ReceiptState.REFUSED;
            receiptsRefused.incrementAndGet();
            if (r.plan.kind().isNoise()) {
                log.debug("{}: {} for {} refused with status 0x{} (as a gateway should)", config.name(),
                        r.plan.kind(), f.pending.tracked.id.text(), Integer.toHexString(status));
            } else {
                log.warn("{}: receipt for {} refused with status 0x{}", config.name(), f.pending.tracked.id.text(),
                        Integer.toHexString(status));
            }
        }
        f.pending.tracked.checkAnswered();
        releaseInOrder(f.pending.chain);
    }

    /** Puts an in-flight attempt back at the head of the queue, if it is still in flight. */
    private void requeue(InFlight f) {
        if (f.pending.end(f.token)) {
            receiptsRequeued.incrementAndGet();
            ready.addFirst(f.pending);
        }
    }

    static long backoff(long min, long max, int attempt) {
        long b = min;
        for (int i = 1; i < attempt && b < max; i++) {
            b = Math.max(1, b * 2);
        }
        return Math.min(b, max);
    }

    // ---------------------------------------------------------------- binds

    private final class Slot {
        final String name;
        final SmppBindType type;
        final Map<Pending, InFlight> inFlight = new ConcurrentHashMap<>();
        volatile Thread thread;
        volatile SmppSession current;
        volatile boolean dead;
        private boolean everBound;

        Slot(String name, SmppBindType type) {
            this.name = name;
            this.type = type;
        }

        boolean transmits() {
            return type != SmppBindType.RECEIVER;
        }

        boolean receives() {
            return type != SmppBindType.TRANSMITTER;
        }

        void run() {
            long backoffMillis = config.reconnectMinMillis();
            while (running) {
                if (heldDown) {
                    if (!sleep(50)) {
                        break;
                    }
                    continue;
                }
                dead = false;
                Handler handler = new Handler(this);
                SmppSession session;
                try {
                    session = client.bind(SmppSessions.configuration(name, config.host(), config.port(), type,
                            config.systemId(), config.password(), config.windowSize(),
                            config.requestTimeoutMillis()), handler);
                } catch (InterruptedException e) {
                    break;
                } catch (Exception e) {
                    bindFailures.incrementAndGet();
                    log.info("{}: bind to {}:{} failed ({}), retrying in {} ms", name, config.host(), config.port(),
                            e.getMessage(), backoffMillis);
                    if (!sleep(backoffMillis)) {
                        break;
                    }
                    backoffMillis = Math.min(config.reconnectMaxMillis(), backoffMillis * 2);
                    continue;
                }
                binds.incrementAndGet();
                if (everBound) {
                    reconnects.incrementAndGet();
                }
                everBound = true;
                backoffMillis = config.reconnectMinMillis();
                current = session;
                handler.session.complete(session);
                log.info("{}: bound as {} to {}:{}", name, type, config.host(), config.port());
                try {
                    serve(session);
                } finally {
                    current = null;
                    for (InFlight f : new ArrayList<>(inFlight.values())) {
                        requeue(f);
                    }
                    inFlight.clear();
                    if (running) {
                        log.info("{}: bind lost, re-binding in {} ms", name, backoffMillis);
                        session.destroy();
                    } else {
                        try {
                            session.unbind(2_000);
                        } catch (RuntimeException e) {
                            log.debug("{}: unbind failed: {}", name, e.toString());
                        }
                        session.destroy();
                    }
                }
                if (running && !sleep(backoffMillis)) {
                    break;
                }
            }
        }

        private void serve(SmppSession session) {
            long lastActivity = System.nanoTime();
            long nextPause = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(faults.slowReadEveryMillis());
            while (running && !dead && !heldDown && session.isBound()) {
                CarrierFaults fs = faults;
                if (fs.slowReadPauseMillis() > 0 && System.nanoTime() >= nextPause
                        && session instanceof com.cloudhopper.smpp.impl.DefaultSmppSession ds) {
                    // fault: stop reading the socket for a while (the gateway's writes back up in TCP buffers)
                    nextPause = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(fs.slowReadEveryMillis());
                    io.netty.channel.Channel ch = ds.getChannel();
                    ch.config().setAutoRead(false);
                    readPauses.incrementAndGet();
                    try {
                        scheduler.schedule(() -> {
                            ch.config().setAutoRead(true);
                        }, fs.slowReadPauseMillis(), TimeUnit.MILLISECONDS);
                    } catch (java.util.concurrent.RejectedExecutionException stopping) {
                        ch.config().setAutoRead(true);
                    }
                }
                Pending p = null;
                try {
                    if (transmits()) {
                        p = ready.poll(50, TimeUnit.MILLISECONDS);
                    } else {
                        Thread.sleep(50);
                    }
                } catch (InterruptedException e) {
                    if (p != null) {
                        ready.addFirst(p);
                    }
                    return;
                }
                if (p != null) {
                    if (!send(session, p)) {
                        return;
                    }
                    lastActivity = System.nanoTime();
                } else if (config.enquireLinkMillis() > 0
                        && System.nanoTime() - lastActivity > TimeUnit.MILLISECONDS.toNanos(config.enquireLinkMillis())) {
                    lastActivity = System.nanoTime();
                    try {
                        session.enquireLink(new EnquireLink(), 10_000);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        log.info("{}: enquire_link failed ({}), dropping the bind", name, e.toString());
                        return;
                    }
                }
            }
        }

        /** Sends one receipt; false when the session is unusable. */
        private boolean send(SmppSession session, Pending p) {
            long token = p.begin();
            InFlight f = new InFlight(p, token);
            io.dlrgate.simulator.outcome.PlannedReceipt.Kind kind = p.receipt.plan.kind();
            boolean malformed = kind.isNoise() && kind != io.dlrgate.simulator.outcome.PlannedReceipt.Kind.UNKNOWN_ID;
            BaseSm<?> pdu = malformed ? writer.malformed(p.fields, kind) : writer.pdu(p.fields, p.receipt.plan.intermediate());
            if (kind.isNoise() && p.receipt.attempts.get() == 0) {
                noiseReceipts.incrementAndGet();
            }
            pdu.setReferenceObject(f);
            inFlight.put(p, f);
            p.receipt.attempts.incrementAndGet();
            if (p.receipt.state == Ledger.ReceiptState.PLANNED) {
                p.receipt.state = Ledger.ReceiptState.SENT;
            }
            try {
                session.sendRequestPdu(pdu, config.requestTimeoutMillis(), false);
                receiptsSent.incrementAndGet();
                return true;
            } catch (SmppTimeoutException e) {
                inFlight.remove(p);
                requeue(f);
                return true;
            } catch (InterruptedException e) {
                inFlight.remove(p);
                requeue(f);
                Thread.currentThread().interrupt();
                return false;
            } catch (SmppChannelException e) {
                inFlight.remove(p);
                requeue(f);
                log.info("{}: channel failed while sending a receipt: {}", name, e.getMessage());
                return false;
            } catch (Exception e) {
                inFlight.remove(p);
                requeue(f);
                log.warn("{}: could not send a receipt: {}", name, e.toString());
                return false;
            }
        }

        private boolean sleep(long millis) {
            try {
                Thread.sleep(millis);
                return true;
            } catch (InterruptedException e) {
                return false;
            }
        }
    }

    /** Session callbacks, on Netty event-loop threads: never block here. */
    private final class Handler extends DefaultSmppSessionHandler {
        private final Slot slot;
        /** This bind's session, known once bind() returns (a PDU may arrive a moment before). */
        final CompletableFuture<SmppSession> session = new CompletableFuture<>();

        Handler(Slot slot) {
            super(log);
            this.slot = slot;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public PduResponse firePduRequestReceived(PduRequest request) {
            switch (request.getCommandId()) {
                case SmppConstants.CMD_ID_SUBMIT_SM -> {
                    if (slot.receives()) {
                        onSubmit(slot, session, (SubmitSm) request);
                    } else {
                        PduResponse resp = request.createResponse();
                        resp.setCommandStatus(SmppConstants.STATUS_INVBNDSTS);
                        respond(slot, session, resp, null, null);
                    }
                }
                case SmppConstants.CMD_ID_ENQUIRE_LINK -> {
                    if (faults.ignoreEnquireLinks()) {
                        enquireLinksIgnored.incrementAndGet(); // fault: no enquire_link_resp
                    } else {
                        respond(slot, session, request.createResponse(), null, null);
                    }
                }
                case SmppConstants.CMD_ID_UNBIND -> respond(slot, session, request.createResponse(),
                        () -> slot.dead = true, () -> slot.dead = true);
                default -> {
                    PduResponse resp = request.createResponse();
                    resp.setCommandStatus(SmppConstants.STATUS_INVCMDID);
                    respond(slot, session, resp, null, null);
                }
            }
            return null; // answered off the event loop
        }

        @Override
        public void fireExpectedPduResponseReceived(PduAsyncResponse response) {
            onReceiptResponse(response);
        }

        @Override
        @SuppressWarnings("rawtypes")
        public void firePduRequestExpired(PduRequest request) {
            if (request.getReferenceObject() instanceof InFlight f) {
                slot.inFlight.remove(f.pending);
                log.info("{}: no answer to a receipt within {} ms, sending it again", slot.name,
                        config.requestTimeoutMillis());
                requeue(f);
            }
        }

        @Override
        public void fireChannelUnexpectedlyClosed() {
            slot.dead = true;
        }
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
