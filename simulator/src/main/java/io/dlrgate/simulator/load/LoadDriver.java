package io.dlrgate.simulator.load;

import com.cloudhopper.smpp.PduAsyncResponse;
import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.SmppSession;
import com.cloudhopper.smpp.impl.DefaultSmppClient;
import com.cloudhopper.smpp.impl.DefaultSmppSessionHandler;
import com.cloudhopper.smpp.pdu.BaseSm;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import io.dlrgate.simulator.carrier.SimCarrierSettings;
import io.dlrgate.simulator.carrier.SmppSessions;
import io.dlrgate.simulator.outcome.Stat;
import io.dlrgate.simulator.receipt.ReceiptDialect;
import io.dlrgate.simulator.receipt.ReceiptFields;
import io.dlrgate.simulator.receipt.ReceiptWriter;
import io.netty.channel.nio.NioEventLoopGroup;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receipt-intake benchmark: binds K sessions and sends one receipt per requested message as fast as the
 * gateway acknowledges, with at most {@code window} receipts outstanding per session. Measures the time from
 * writing each receipt to its deliver_sm_resp, retries throttled receipts after a short delay, and stops by
 * itself when every receipt is settled or the time bound is reached. Loopback targets only.
 */
public final class LoadDriver {
    private static final Logger log = LoggerFactory.getLogger(LoadDriver.class);

    /**
     * @param host             gateway host: 127.0.0.1, ::1 or localhost
     * @param port             gateway SMPP port
     * @param systemId         system_id
     * @param password         password
     * @param bindType         TRANSMITTER or TRANSCEIVER
     * @param sessions         K sessions
     * @param window           outstanding receipts per session
     * @param count            receipts to send (ids are reused round-robin when count exceeds the id list)
     * @param maxTime          time bound of the whole run, binding included
     * @param stat             stat of every receipt
     * @param dialect          how receipts are written
     * @param retryDelayMillis back-off before resending a throttled receipt
     * @param requestTimeoutMillis how long an attempt may wait for its answer before it is sent again
     * @param ratePerSecond    cap on receipt PDUs written per second over all sessions; 0 for as fast as acknowledged
     */
    public record Settings(String host, int port, String systemId, String password, SmppBindType bindType,
                           int sessions, int window, long count, Duration maxTime, Stat stat, ReceiptDialect dialect,
                           long retryDelayMillis, long requestTimeoutMillis, long ratePerSecond) {
        public Settings {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(systemId, "systemId");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(bindType, "bindType");
            Objects.requireNonNull(maxTime, "maxTime");
            Objects.requireNonNull(stat, "stat");
            Objects.requireNonNull(dialect, "dialect");
            if (!SmppSessions.isLoopback(host)) {
                throw new IllegalArgumentException("load only targets 127.0.0.1/localhost, not '" + host + "'");
            }
            if (bindType == SmppBindType.RECEIVER) {
                throw new IllegalArgumentException("a receiver bind cannot send receipts: use transmitter or transceiver");
            }
            if (sessions < 1 || window < 1 || count < 1) {
                throw new IllegalArgumentException("sessions, window and count must be >= 1");
            }
            if (maxTime.isNegative() || maxTime.isZero()) {
                throw new IllegalArgumentException("maxTime must be positive");
            }
            if (ratePerSecond < 0) {
                throw new IllegalArgumentException("ratePerSecond must be >= 0 (0: unlimited)");
            }
            if (retryDelayMillis < 0 || requestTimeoutMillis < 100) {
                throw new IllegalArgumentException("retryDelayMillis >= 0 and requestTimeoutMillis >= 100 required");
            }
        }

        /** Defaults: transceiver, 4 sessions, window 50, 10,000 receipts, 60 s, DELIVRD, standard dialect. */
        public static Settings defaults(String host, int port, String systemId, String password) {
            return new Settings(host, port, systemId, password, SmppBindType.TRANSCEIVER, 4, 50, 10_000,
                    Duration.ofSeconds(60), Stat.DELIVRD, ReceiptDialect.STANDARD, 10, 10_000, 0);
        }

        public Settings withSessions(int v) {
            return new Settings(host, port, systemId, password, bindType, v, window, count, maxTime, stat, dialect,
                    retryDelayMillis, requestTimeoutMillis, ratePerSecond);
        }

        public Settings withWindow(int v) {
            return new Settings(host, port, systemId, password, bindType, sessions, v, count, maxTime, stat, dialect,
                    retryDelayMillis, requestTimeoutMillis, ratePerSecond);
        }

        public Settings withCount(long v) {
            return new Settings(host, port, systemId, password, bindType, sessions, window, v, maxTime, stat, dialect,
                    retryDelayMillis, requestTimeoutMillis, ratePerSecond);
        }

        public Settings withMaxTime(Duration v) {
            return new Settings(host, port, systemId, password, bindType, sessions, window, count, v, stat, dialect,
                    retryDelayMillis, requestTimeoutMillis, ratePerSecond);
        }

        public Settings withBindType(SmppBindType v) {
            return new Settings(host, port, systemId, password, v, sessions, window, count, maxTime, stat, dialect,
                    retryDelayMillis, requestTimeoutMillis, ratePerSecond);
        }

        public Settings withStat(Stat v) {
            return new Settings(host, port, systemId, password, bindType, sessions, window, count, maxTime, v, dialect,
                    retryDelayMillis, requestTimeoutMillis, ratePerSecond);
        }

        public Settings withDialect(ReceiptDialect v) {
            return new Settings(host, port, systemId, password, bindType, sessions, window, count, maxTime, stat, v,
                    retryDelayMillis, requestTimeoutMillis, ratePerSecond);
        }

        public Settings withRate(long v) {
            return new Settings(host, port, systemId, password, bindType, sessions, window, count, maxTime, stat,
                    dialect, retryDelayMillis, requestTimeoutMillis, v);
        }

        public Settings withRetryDelayMillis(long v) {
            return new Settings(host, port, systemId, password, bindType, sessions, window, count, maxTime, stat,
                    dialect, v, requestTimeoutMillis, ratePerSecond);
        }
    }

    /** One receipt of the run; {@code sentAt} is the nanoTime of its current attempt. */
    private static final class Job {
        final int index;
        volatile long sentAt;
        final AtomicLong token = new AtomicLong();
        long attempts;

        Job(int index) {
            this.index = index;
        }
    }

    private record Attempt(Job job, long token, Lane lane) {
    }

    private final Settings settings;
    private final List<String> ids;
    private final ReceiptWriter writer;
    private final Set<Integer> retryStatuses;
    private final LatencyRecorder latency = new LatencyRecorder();
    private final ConcurrentLinkedQueue<Job> retries = new ConcurrentLinkedQueue<>();
    private final AtomicLong nextIndex = new AtomicLong();
    private final AtomicLong pdusSent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong lastAnswerNanos = new AtomicLong();
    private final AtomicLong nextSlotNanos = new AtomicLong();
    private final Instant submitDate = Instant.now().minusSeconds(60);
    private volatile boolean stopping;
    private ScheduledExecutorService scheduler;
    private ExecutorService responders;

    /**
     * @param settings the run
     * @param ids      message ids the gateway has already submitted (e.g. {@code carrier.ledger().issuedIds()})
     */
    public LoadDriver(Settings settings, List<String> ids) {
        this.settings = Objects.requireNonNull(settings, "settings");
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("the load needs at least one message id");
        }
        this.ids = List.copyOf(ids);
        this.writer = new ReceiptWriter(settings.dialect());
        this.retryStatuses = SimCarrierSettings.DEFAULT_RETRY_STATUSES;
    }

    /** Asks a running {@link #run()} to stop early (e.g. on Ctrl-C); it returns its report as usual. */
    public void stop() {
        stopping = true;
    }

    /** Binds, sends, waits for the answers, unbinds; returns the figures. */
    public LoadReport run() throws InterruptedException {
        long deadline = System.nanoTime() + settings.maxTime().toNanos();
        NioEventLoopGroup group = new NioEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()));
        scheduler = Executors.newScheduledThreadPool(1, r -> daemon(r, "load-timer"));
        responders = Executors.newSingleThreadExecutor(r -> daemon(r, "load-resp"));
        DefaultSmppClient client = new DefaultSmppClient(group, scheduler);
        List<Lane> lanes = new ArrayList<>();
        try {
            for (int i = 0; i < settings.sessions() && System.nanoTime() < deadline && !stopping; i++) {
                Lane lane = new Lane("load-" + (i + 1));
                try {
                    lane.session = client.bind(SmppSessions.configuration(lane.name, settings.host(), settings.port(),
                            settings.bindType(), settings.systemId(), settings.password(), settings.window(),
                            settings.requestTimeoutMillis()), lane.handler);
                    lanes.add(lane);
                } catch (Exception e) {
                    log.warn("{}: bind failed: {}", lane.name, e.getMessage());
                }
            }
            if (lanes.isEmpty()) {
                throw new IllegalStateException("no session could bind to " + settings.host() + ":" + settings.port());
            }
            long start = System.nanoTime();
            lastAnswerNanos.set(start);
            List<Thread> threads = new ArrayList<>();
            for (Lane lane : lanes) {
                Thread t = new Thread(() -> lane.pump(deadline), lane.name);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            long end = Math.max(lastAnswerNanos.get(), start + 1);
            long settled = acknowledged.get() + refused.get();
            return new LoadReport(lanes.size(), settings.count(), pdusSent.get(), acknowledged.get(), throttled.get(),
                    refused.get(), expired.get(), Math.max(0, settings.count() - settled), (end - start) / 1e9,
                    latency.percentileMicros(50), latency.percentileMicros(99), latency.maxMicros());
        } finally {
            for (Lane lane : lanes) {
                try {
                    lane.session.unbind(1_000);
                } catch (RuntimeException e) {
                    log.debug("unbind failed: {}", e.toString());
                }
                lane.session.destroy();
            }
            responders.shutdown();
            scheduler.shutdownNow();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            client.destroy();
        }
    }

    /** Waits for this send's slot when a rate is set; false when the run must end first. */
    private boolean pace(long deadline) {
        if (settings.ratePerSecond() == 0) {
            return true;
        }
        long interval = 1_000_000_000L / settings.ratePerSecond();
        long now = System.nanoTime();
        long slot = nextSlotNanos.accumulateAndGet(now, (prev, n) -> Math.max(prev, n - interval) + interval) - interval;
        long wait = slot - System.nanoTime();
        if (wait > 0) {
            if (slot > deadline) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
        return !stopping;
    }

    private boolean finished() {
        return acknowledged.get() + refused.get() >= settings.count();
    }

    private ReceiptFields fields(Job job) {
        String id = ids.get(job.index % ids.size());
        Long numeric;
        try {
            numeric = Long.parseUnsignedLong(id);
        } catch (NumberFormatException e) {
            numeric = null;
        }
        return new ReceiptFields(id, numeric, "15550001000", "dlrgate", submitDate, Instant.now(), settings.stat(),
                settings.stat().defaultErr(), "load test message " + job.index);
    }

    private void onAnswer(Attempt a, PduResponse response) {
        long now = System.nanoTime();
        if (!a.job.token.compareAndSet(a.token, 0)) {
            return;
        }
        a.lane.inFlight.remove(a.job);
        a.lane.permits.release();
        latency.recordNanos(now - a.job.sentAt);
        lastAnswerNanos.accumulateAndGet(now, Math::max);
        int status = response.getCommandStatus();
        if (status == SmppConstants.STATUS_OK) {
            acknowledged.incrementAndGet();
        } else if (retryStatuses.contains(status)) {
            throttled.incrementAndGet();
            retryLater(a.job);
        } else {
            refused.incrementAndGet();
        }
    }

    private void onNoAnswer(Attempt a) {
        if (a.job.token.compareAndSet(a.token, 0)) {
            a.lane.inFlight.remove(a.job);
            a.lane.permits.release();
            expired.incrementAndGet();
            retries.add(a.job);
        }
    }

    private void retryLater(Job job) {
        if (settings.retryDelayMillis() == 0) {
            retries.add(job);
            return;
        }
        try {
            scheduler.schedule(() -> retries.add(job), settings.retryDelayMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            retries.add(job);
        }
    }

    /** One session and the thread that keeps its window full. */
    private final class Lane {
        final String name;
        final Semaphore permits = new Semaphore(settings.window());
        final Map<Job, Attempt> inFlight = new ConcurrentHashMap<>();
        final Handler handler = new Handler(this);
        volatile SmppSession session;
        volatile boolean dead;

        Lane(String name) {
            this.name = name;
        }

        void pump(long deadline) {
            while (!finished() && !stopping && !dead && System.nanoTime() < deadline && session.isBound()) {
                try {
                    if (!permits.tryAcquire(20, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                } catch (InterruptedException e) {
                    break;
                }
                Job job = retries.poll();
                if (job == null) {
                    long i = nextIndex.getAndIncrement();
                    if (i >= settings.count()) {
                        nextIndex.decrementAndGet();
                        permits.release();
                        sleepQuietly(1); // wait for answers or retries
                        continue;
                    }
                    job = new Job((int) i);
                }
                if (!pace(deadline)) {
                    retries.add(job);
                    permits.release();
                    break;
                }
                long token = ++job.attempts;
                job.token.set(token);
                Attempt attempt = new Attempt(job, token, this);
                BaseSm<?> pdu = writer.pdu(fields(job), false);
                pdu.setReferenceObject(attempt);
                inFlight.put(job, attempt);
                job.sentAt = System.nanoTime();
                try {
                    session.sendRequestPdu(pdu, settings.requestTimeoutMillis(), false);
                    pdusSent.incrementAndGet();
                } catch (InterruptedException e) {
                    giveBack(attempt);
                    break;
                } catch (Exception e) {
                    giveBack(attempt);
                    log.warn("{}: send failed, session stops: {}", name, e.toString());
                    dead = true;
                }
            }
            // whatever is still in flight when this lane stops goes back for the other lanes
            long waitUntil = Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
            while (!inFlight.isEmpty() && !dead && session.isBound() && System.nanoTime() < waitUntil
                    && !stopping && !finished()) {
                sleepQuietly(1);
            }
            for (Attempt a : new ArrayList<>(inFlight.values())) {
                giveBack(a);
            }
        }

        private void giveBack(Attempt a) {
            if (a.job.token.compareAndSet(a.token, 0)) {
                inFlight.remove(a.job);
                permits.release();
                retries.add(a.job);
            }
        }
    }

    private final class Handler extends DefaultSmppSessionHandler {
        private final Lane lane;

        Handler(Lane lane) {
            super(log);
            this.lane = lane;
        }

        @Override
        public void fireExpectedPduResponseReceived(PduAsyncResponse response) {
            if (response.getRequest().getReferenceObject() instanceof Attempt a) {
                onAnswer(a, response.getResponse());
            }
        }

        @Override
        @SuppressWarnings("rawtypes")
        public void firePduRequestExpired(PduRequest request) {
            if (request.getReferenceObject() instanceof Attempt a) {
                onNoAnswer(a);
            }
        }

        @Override
        @SuppressWarnings("rawtypes")
        public PduResponse firePduRequestReceived(PduRequest request) {
            PduResponse resp = request.createResponse();
            if (request.getCommandId() != SmppConstants.CMD_ID_ENQUIRE_LINK
                    && request.getCommandId() != SmppConstants.CMD_ID_UNBIND) {
                // a load session takes no traffic: refuse submits so the gateway routes them elsewhere
                resp.setCommandStatus(SmppConstants.STATUS_INVBNDSTS);
            }
            if (request.getCommandId() == SmppConstants.CMD_ID_UNBIND) {
                lane.dead = true;
            }
            responders.execute(() -> {
                try {
                    lane.session.sendResponsePdu(resp);
                } catch (Exception e) {
                    log.debug("{}: could not answer {}: {}", lane.name, request.getName(), e.toString());
                }
            });
            return null;
        }

        @Override
        public void fireChannelUnexpectedlyClosed() {
            lane.dead = true;
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
