package io.dlrgate.gateway.webhooks;

import io.dlrgate.config.WebhooksConfig;
import io.dlrgate.gateway.logging.LogRateLimit;
import io.dlrgate.reporting.logging.LogText;
import io.dlrgate.reporting.webhooks.OutboxLanes;
import io.dlrgate.reporting.webhooks.OutboxLanes.Lane;
import io.dlrgate.reporting.webhooks.OutboxLanes.Pending;
import io.dlrgate.reporting.webhooks.WebhookEndpoint;
import io.dlrgate.reporting.webhooks.WebhookEndpointStore;
import io.dlrgate.reporting.write.CommitListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the webhook outbox: for every enabled endpoint, {@code webhooks.concurrency} lanes, each sending its
 * events in order, up to {@code webhooks.max_batch} a request, signed. A lane whose request failed (non-2xx, timeout,
 * connection error, a refused target) waits with exponential backoff and jitter from {@code webhooks.retry_initial},
 * doubling, before it tries the same events again; other lanes and other endpoints go on. Events retried for
 * {@code webhooks.max_age} are dead-lettered. A 410 disables the endpoint.
 *
 * <p>Lanes are claimed in the store with a lease ({@link OutboxLanes}), never owned in memory only: several gateway
 * processes share the work, and the lanes of one that died are taken over when their leases run out. Events are
 * marked delivered only after the receiver's 2xx, so a crash between the two sends them again: at least once.
 *
 * <p>Threads: one worker thread does all the store work and decides; the requests run on Vert.x's HTTP client
 * (pooled keep-alive connections, redirects not followed; the status decides, response bodies are read up to
 * 64 KiB and dropped, never buffered), whose answers
 * come back to the worker thread through a queue.
 *
 * <p>Yielding to intake ({@code webhooks.yield_to_intake}): while the group commit is saturated
 * ({@link IntakePressure}: its writers busy, or its batches large; looked at once a second), delivery and receipt intake compete for the same CPU, and
 * every event sent costs receipts taken. Then the worker sends nothing new: the events wait in the outbox, durable,
 * and go once intake calms down, in full batches. Never for ever: once the oldest waiting event is
 * {@code yield_to_intake} old, the worker sends the events at least that old even while intake stays saturated, so
 * under a sustained peak delivery keeps pace with intake, that much late. Batches are cut before the first event too
 * young, so one message's events still go in order.
 */
public final class WebhookWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookWorker.class);
    private static final LogRateLimit LINES = new LogRateLimit();
    /** Apart from the failures' lines: a flood of those must not hide when delivery yields. */
    private static final LogRateLimit YIELD_LINES = new LogRateLimit();
    /** How long the worker waits for answers before it looks at the outbox again. */
    private static final long TICK_MS = 100;
    /** Lanes are looked at this often even when this process wrote nothing (other processes, retries due). */
    private static final long POLL_EVERY_MS = 1_000;
    /** The endpoints (and the outbox's cache of them) are re-read this often, and the backlog gauges set. */
    private static final long REFRESH_EVERY_MS = 5_000;
    /** How often the worker decides whether to yield to intake (and, yielding, looks for events past the bound). */
    private static final long YIELD_CHECK_EVERY_MS = 1_000;
    /** The longest wait between two attempts of a lane, however many failed before. */
    static final Duration MAX_RETRY_DELAY = Duration.ofHours(1);

    private record LaneKey(long endpointId, int lane) {
    }

    /** What became of one request; exactly one per request, from its answer or from its deadline. */
    private record Result(Lane lane, WebhookEndpoint endpoint, List<Pending> batch, int status, String error,
                          long nanos, Instant sentAt) {
        boolean delivered() {
            return error == null && status >= 200 && status < 300;
        }
    }

    private final Vertx vertx;
    private final WebhooksConfig config;
    private final WebhookEndpointStore endpoints;
    private final OutboxLanes lanes;
    private final Clock clock;
    private final WebhookMeters meters;
    private final String owner = "gateway-" + UUID.randomUUID();
    private final Duration lease;
    private final HttpClient client;
    private final Context context;
    private final LinkedBlockingQueue<Result> results = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    /** Null when no one tells it (tests): {@link #intakeSaturated} decides alone. */
    private final IntakePressure pressure;
    private final LongPredicate intakeSaturated;

    // Worker thread only:
    private final Map<LaneKey, Lane> busy = new HashMap<>();
    private Map<Long, WebhookEndpoint> enabled = Map.of();
    private final Set<Long> lanesMade = new HashSet<>();
    private long lastWritten = -1;
    private long nextPollNanos;
    private long nextRefreshNanos;
    private boolean yielding;
    private long lastYieldCheckNanos;
    private long nextYieldCheckNanos;

    /**
     * @param intakeWriters   the group committer's lanes; the committer must be told {@link #intakeListener()}
     * @param intakeBatchSize the group committer's largest batch ({@code receipts.batch_size})
     */
    public WebhookWorker(Vertx vertx, WebhooksConfig config, WebhookEndpointStore endpoints, OutboxLanes lanes,
                         Clock clock, MeterRegistry registry, int intakeWriters, int intakeBatchSize) {
        this(vertx, config, endpoints, lanes, clock, registry, new IntakePressure(intakeWriters, intakeBatchSize,
                System.nanoTime()), null);
    }

    /** With {@code intakeSaturated} deciding whether intake is saturated (tests). */
    WebhookWorker(Vertx vertx, WebhooksConfig config, WebhookEndpointStore endpoints, OutboxLanes lanes,
                  Clock clock, MeterRegistry registry, LongPredicate intakeSaturated) {
        this(vertx, config, endpoints, lanes, clock, registry, null, intakeSaturated);
    }

    private WebhookWorker(Vertx vertx, WebhooksConfig config, WebhookEndpointStore endpoints, OutboxLanes lanes,
                          Clock clock, MeterRegistry registry, IntakePressure pressure, LongPredicate saturated) {
        this.pressure = pressure;
        this.intakeSaturated = pressure != null ? pressure::saturated : saturated;
        this.vertx = vertx;
        this.config = config;
        this.endpoints = endpoints;
        this.lanes = lanes;
        this.clock = clock;
        this.meters = new WebhookMeters(registry);
        // Long enough that a request in flight (its timeout) never outlives the lease it is sent under.
        this.lease = config.timeout().multipliedBy(3).plusSeconds(10);
        int timeoutMs = (int) config.timeout().toMillis();
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true)
                .setMaxPoolSize(config.concurrency())
                .setConnectTimeout(timeoutMs)
                .setIdleTimeout(timeoutMs).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setTryUseCompression(false));
        this.context = vertx.getOrCreateContext();
        this.thread = new Thread(this::run, "dlrgate-webhooks");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** What the group committer tells, for the worker to know when intake is saturated. */
    public CommitListener intakeListener() {
        if (pressure == null) {
            throw new IllegalStateException("this worker is told about intake by its test");
        }
        return pressure;
    }

    /** The process's lease owner name (tests). */
    String owner() {
        return owner;
    }

    private void run() {
        while (running) {
            try {
                Result r = results.poll(TICK_MS, TimeUnit.MILLISECONDS);
                while (r != null && running) {
                    handle(r);
                    // Lanes going straight on through a backlog answer faster than they are handled: without this,
                    // the decisions below (yield to intake, refresh) waited for the whole backlog to drain.
                    if (due(nextYieldCheckNanos) || due(nextRefreshNanos)) {
                        break;
                    }
                    r = results.poll();
                }
                if (!running) {
                    break;
                }
                long now = System.nanoTime();
                if (now - nextRefreshNanos >= 0) {
                    refresh();
                    nextRefreshNanos = now + TimeUnit.MILLISECONDS.toNanos(REFRESH_EVERY_MS);
                }
                if (now - nextYieldCheckNanos >= 0) {
                    decideYield(now);
                    nextYieldCheckNanos = now + TimeUnit.MILLISECONDS.toNanos(YIELD_CHECK_EVERY_MS);
                }
                long written = endpoints.outbox().written();
                if (yielding) {
                    // Only a look once a second for events past the bound, not one per write: intake has the CPU.
                    if (now - nextPollNanos >= 0) {
                        nextPollNanos = now + TimeUnit.MILLISECONDS.toNanos(YIELD_CHECK_EVERY_MS);
                        if (somethingPastTheBound()) {
                            claimAndSend();
                        }
                    }
                } else if (written != lastWritten || now - nextPollNanos >= 0) {
                    lastWritten = written;
                    nextPollNanos = now + TimeUnit.MILLISECONDS.toNanos(POLL_EVERY_MS);
                    claimAndSend();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException | RuntimeException e) {
                // The store is away (or a bug): leases run out, nothing is marked delivered; try again shortly.
                LINES.warn(log, "webhook delivery paused, will retry: {}", LogText.escape(e.toString(), 300));
                nextPollNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(POLL_EVERY_MS);
            }
        }
    }

    private static boolean due(long deadlineNanos) {
        return System.nanoTime() - deadlineNanos >= 0;
    }

    /** Yields while intake is saturated (and {@code yield_to_intake} is not zero); counts the time yielded. */
    private void decideYield(long now) {
        boolean saturated = intakeSaturated.test(now);
        if (pressure != null && log.isDebugEnabled()) {
            log.debug("group-commit writers busy {} of the last look's time, {} receipts a batch: {}",
                    String.format("%.2f", pressure.lastShare()), String.format("%.0f", pressure.lastBatchSize()),
                    saturated ? "saturated" : "not saturated");
        }
        if (yielding && lastYieldCheckNanos != 0) {
            meters.yielded(now - lastYieldCheckNanos);
        }
        lastYieldCheckNanos = now;
        // With no endpoint enabled there is nothing to hold back (and nothing to say about it).
        boolean yield = saturated && !config.yieldToIntake().isZero() && !enabled.isEmpty();
        if (yield != yielding) {
            yielding = yield;
            meters.yielding(yield);
            YIELD_LINES.info(log, yield ? "receipt intake is saturated: webhook events wait in the outbox (at most {} "
                    + "before they are sent regardless)" : "receipt intake calmed down: webhook delivery resumes{}",
                    yield ? config.yieldToIntake() : "");
        }
    }

    /** Yielding: the events enqueued before this may go all the same; null when not yielding. */
    private Instant yieldCutoff() {
        return yielding ? clock.instant().minus(config.yieldToIntake()) : null;
    }

    /** Yielding: whether the head of some endpoint's backlog waited {@code yield_to_intake} already. */
    private boolean somethingPastTheBound() throws SQLException {
        if (enabled.isEmpty()) {
            return false;
        }
        Instant oldest = lanes.oldestWaiting(List.copyOf(enabled.keySet()));
        return oldest != null && !oldest.isAfter(yieldCutoff());
    }

    /** The batch up to its first event enqueued after {@code cutoff} (null: all of it), so order is kept. */
    static List<Pending> enqueuedBy(List<Pending> batch, Instant cutoff) {
        if (cutoff == null) {
            return batch;
        }
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i).enqueuedAt().isAfter(cutoff)) {
                return batch.subList(0, i);
            }
        }
        return batch;
    }

    /** Re-reads the endpoints, makes their lanes, sets the backlog gauges. */
    private void refresh() throws SQLException {
        endpoints.reloadOutbox();
        Map<Long, WebhookEndpoint> now = new LinkedHashMap<>();
        List<Long> all = new ArrayList<>();
        for (WebhookEndpoint e : endpoints.list()) {
            all.add(e.id());
            if (e.enabled()) {
                now.put(e.id(), e);
            }
        }
        enabled = now;
        List<Long> missing = new ArrayList<>();
        for (Long id : now.keySet()) {
            if (!lanesMade.contains(id)) {
                missing.add(id);
            }
        }
        lanes.ensureLanes(missing, config.concurrency());
        lanesMade.addAll(missing);
        meters.backlogs(new java.util.LinkedHashSet<>(all), endpoints.backlogs(), clock.instant());
    }

    private void claimAndSend() throws SQLException {
        if (enabled.isEmpty()) {
            return;
        }
        List<Lane> claimed = lanes.claim(List.copyOf(enabled.keySet()), config.concurrency(), owner, lease,
                clock.instant());
        for (Lane lane : claimed) {
            if (!busy.containsKey(new LaneKey(lane.endpointId(), lane.lane()))) {
                sendNext(lane);
            }
        }
    }

    /** Sends the lane's next batch, or gives the lane up when there is none (or its endpoint is no longer on). */
    private void sendNext(Lane lane) throws SQLException {
        LaneKey key = new LaneKey(lane.endpointId(), lane.lane());
        WebhookEndpoint endpoint = enabled.get(lane.endpointId());
        List<Pending> batch = endpoint == null ? List.of()
                : enqueuedBy(lanes.next(lane, config.concurrency(), config.maxBatch()), yieldCutoff());
        if (batch.isEmpty()) {
            busy.remove(key);
            lanes.release(lane, owner);
            return;
        }
        busy.put(key, lane);
        send(lane, endpoint, batch);
    }

    private void send(Lane lane, WebhookEndpoint endpoint, List<Pending> batch) {
        long t0 = System.nanoTime();
        WebhookTarget target;
        try {
            target = WebhookTarget.resolve(endpoint.url(), config.allowHttp(), config.allowPrivate());
        } catch (WebhookTarget.RefusedException e) {
            results.add(new Result(lane, endpoint, batch, 0, "refused: url " + e.getMessage(), 0, clock.instant()));
            return;
        }
        Buffer body = WebhookPayload.body(batch);
        Instant sentAt = clock.instant();
        long unix = sentAt.getEpochSecond();
        long timeoutMs = config.timeout().toMillis();
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(target.port(), target.address().getHostAddress()))
                .setHost(target.host()).setPort(target.port()).setURI(target.requestUri())
                .setSsl(target.https())
                .setFollowRedirects(false)
                .setIdleTimeout(timeoutMs)
                .putHeader("User-Agent", "dlrgate-webhooks")
                .putHeader("Content-Type", "application/json")
                .putHeader(WebhookSignature.HEADER, WebhookSignature.header(endpoint.secret(), unix, body.getBytes()))
                .putHeader(WebhookSignature.EVENT_IDS_HEADER, WebhookPayload.eventIds(batch));
        // Exactly one result a request: the first of its answer and its deadline.
        AtomicBoolean told = new AtomicBoolean();
        Consumer<Result> tell = r -> {
            if (told.compareAndSet(false, true)) {
                results.add(r);
            }
        };
        // The whole request, body included, within the timeout (the client's own timeouts are per silence).
        long timer = vertx.setTimer(timeoutMs + 50, id -> tell.accept(new Result(lane, endpoint, batch, 0,
                "timed out after " + timeoutMs + " ms", System.nanoTime() - t0, sentAt)));
        // Sent from the client's own event-loop context, so the response's handlers are set in the same turn as
        // its headers arrive, before any of its body: from another thread the body could end first, unread.
        context.runOnContext(v -> client.request(request).compose(req -> req.send(body)).onComplete(ar -> {
                if (ar.failed()) {
                    vertx.cancelTimer(timer);
                    tell.accept(new Result(lane, endpoint, batch, 0, ar.cause().toString(), System.nanoTime() - t0,
                            sentAt));
                    return;
                }
                // The status decides; the body is only read (up to 64 KiB) and dropped.
                int status = ar.result().statusCode();
                DiscardedBody.drain(ar.result(), () -> {
                    vertx.cancelTimer(timer);
                    tell.accept(new Result(lane, endpoint, batch, status, status >= 200 && status < 300 ? null
                            : "HTTP " + status, System.nanoTime() - t0, sentAt));
                });
            }));
    }

    private void handle(Result r) throws SQLException {
        LaneKey key = new LaneKey(r.lane().endpointId(), r.lane().lane());
        Instant now = clock.instant();
        try {
            if (r.delivered()) {
                meters.request(r.endpoint().id(), WebhookMeters.DELIVERED, r.nanos());
                lanes.delivered(r.lane(), r.batch(), owner, lease, now);
                if (r.batch().size() >= config.maxBatch()) {
                    sendNext(new Lane(r.lane().endpointId(), r.lane().lane(), 0)); // a backlog: straight on
                } else {
                    // Caught up: the lane (still leased) waits for the next look, so that under a steady stream
                    // requests carry what gathered meanwhile instead of one event each.
                    busy.remove(key);
                }
                return;
            }
            busy.remove(key);
            if (r.status() == 410) {
                meters.request(r.endpoint().id(), WebhookMeters.GONE, r.nanos());
                log.warn("webhook endpoint {} answered 410 Gone: disabled (enable it again through the API)",
                        r.endpoint().id());
                endpoints.disable(r.endpoint().id(), "the receiver answered 410 Gone at " + now, r.sentAt());
                enabled.remove(r.endpoint().id());
                lanes.release(r.lane(), owner);
                return;
            }
            meters.request(r.endpoint().id(), WebhookMeters.FAILED, r.nanos());
            String error = LogText.escape(r.error(), 300);
            int dead = lanes.failed(r.lane(), r.batch(), error, retryDelay(r.lane().failures()), config.maxAge(), now);
            LINES.warn(log, "webhook delivery to endpoint {} failed ({} events, {} in a row{}): {}",
                    r.endpoint().id(), r.batch().size(), r.lane().failures() + 1,
                    dead > 0 ? ", " + dead + " dead-lettered" : "", error);
            lanes.release(r.lane(), owner);
        } catch (SQLException | RuntimeException e) {
            busy.remove(key);
            throw e;
        }
    }

    /** {@code retry_initial · 2^failures}, at most an hour (and at most max_age), with ±20% jitter. */
    Duration retryDelay(int failuresBefore) {
        Duration cap = MAX_RETRY_DELAY.compareTo(config.maxAge()) < 0 ? MAX_RETRY_DELAY : config.maxAge();
        long base = config.retryInitial().toMillis();
        long millis = failuresBefore >= 30 ? cap.toMillis() : Math.min(cap.toMillis(), base << failuresBefore);
        double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis(Math.max(1, (long) (millis * jitter)));
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Lanes held now (some with a request in flight whose answer nobody will record): another process, or the
        // next start, takes them at once rather than after the lease.
        try {
            lanes.releaseAll(owner);
        } catch (SQLException | RuntimeException e) {
            log.warn("webhook lanes not released (their leases run out instead): {}", e.toString());
        }
        client.close();
    }
}
