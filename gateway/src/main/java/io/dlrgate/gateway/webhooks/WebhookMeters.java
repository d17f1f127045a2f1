package io.dlrgate.gateway.webhooks;

import io.dlrgate.reporting.webhooks.WebhookEndpointStore.Backlog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The webhook meters: {@code dlrgate_webhook_backlog{endpoint}}, {@code dlrgate_webhook_oldest_undelivered_seconds
 * {endpoint}}, {@code dlrgate_webhook_dead_letters{endpoint}}, {@code dlrgate_webhook_deliveries_total{endpoint,
 * outcome}} (one per request: delivered, failed, gone), {@code dlrgate_webhook_delivery_seconds}, and
 * {@code dlrgate_webhook_yielding} / {@code dlrgate_webhook_yield_seconds_total} (delivery held back while receipt
 * intake is saturated). The endpoint
 * label is the endpoint's id: bounded by the endpoints an admin creates.
 */
final class WebhookMeters {

    static final String DELIVERED = "delivered";
    static final String FAILED = "failed";
    static final String GONE = "gone";

    private final MeterRegistry registry;
    private final Timer seconds;
    private final MultiGauge backlog;
    private final MultiGauge oldest;
    private final MultiGauge dead;
    private final AtomicInteger yielding = new AtomicInteger();
    private final Counter yieldSeconds;

    WebhookMeters(MeterRegistry registry) {
        this.registry = registry;
        this.seconds = Timer.builder("dlrgate_webhook_delivery_seconds")
                .description("Time a webhook request took, from sending it to its answer (or failure)")
                // A few fixed buckets around the default 5 s timeout, not Micrometer's ~70 percentile buckets:
                // bounded series, and bucket bounds a reader (and the label checks) can take in at a glance.
                .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
                        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
                        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30))
                .register(registry);
        this.backlog = MultiGauge.builder("dlrgate_webhook_backlog")
                .description("Events waiting to be delivered to an endpoint").register(registry);
        this.oldest = MultiGauge.builder("dlrgate_webhook_oldest_undelivered_seconds")
                .description("Age of the oldest event not yet delivered to an endpoint (0: none)").register(registry);
        this.dead = MultiGauge.builder("dlrgate_webhook_dead_letters")
                .description("Events dead-lettered for an endpoint (retried for webhooks.max_age), replayable")
                .register(registry);
        Gauge.builder("dlrgate_webhook_yielding", yielding, AtomicInteger::get)
                .description("1 while webhook delivery yields to saturated receipt intake (events wait in the "
                        + "outbox, at most webhooks.yield_to_intake), else 0").register(registry);
        this.yieldSeconds = Counter.builder("dlrgate_webhook_yield_seconds")
                .description("Time webhook delivery spent yielding to saturated receipt intake")
                .baseUnit("seconds").register(registry);
    }

    void yielding(boolean on) {
        yielding.set(on ? 1 : 0);
    }

    void yielded(long nanos) {
        yieldSeconds.increment(nanos / 1e9);
    }

    void request(long endpointId, String outcome, long nanos) {
        Counter.builder("dlrgate_webhook_deliveries_total")
                .description("Webhook requests by endpoint and outcome (delivered, failed, gone)")
                .tags("endpoint", Long.toString(endpointId), "outcome", outcome).register(registry).increment();
        seconds.record(Duration.ofNanos(nanos));
    }

    /** Sets the gauges of every endpoint (0 for those with nothing waiting); endpoints removed disappear. */
    void backlogs(Set<Long> endpoints, Map<Long, Backlog> backlogs, Instant now) {
        List<MultiGauge.Row<?>> count = new ArrayList<>();
        List<MultiGauge.Row<?>> age = new ArrayList<>();
        List<MultiGauge.Row<?>> deadRows = new ArrayList<>();
        for (Long id : endpoints) {
            Backlog b = backlogs.getOrDefault(id, Backlog.EMPTY);
            Tags tags = Tags.of("endpoint", Long.toString(id));
            count.add(MultiGauge.Row.of(tags, b.undelivered()));
            age.add(MultiGauge.Row.of(tags, b.oldestUndelivered() == null ? 0
                    : Math.max(0, Duration.between(b.oldestUndelivered(), now).toMillis() / 1000.0)));
            deadRows.add(MultiGauge.Row.of(tags, b.dead()));
        }
        backlog.register(count, true);
        oldest.register(age, true);
        dead.register(deadRows, true);
    }
}
