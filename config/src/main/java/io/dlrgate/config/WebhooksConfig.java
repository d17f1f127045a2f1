package io.dlrgate.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Delivery events pushed to the sender's apps (signed webhooks). The endpoints themselves live in the store and are
 * managed through the API; this is how the gateway delivers to them.
 *
 * @param allowHttp    whether an endpoint may use plain {@code http://} (otherwise https only)
 * @param allowPrivate whether an endpoint may resolve to loopback, link-local or private addresses (otherwise
 *                     refused: no request forgery into the operator's network)
 * @param maxBatch     events per request at most
 * @param timeout      how long one request may take, connecting included
 * @param retryInitial the first retry's delay; it doubles on each failure in a row (with jitter)
 * @param maxAge       how long an event is retried before it is dead-lettered
 * @param concurrency  requests in flight per endpoint at most
 * @param yieldToIntake while the group commit is saturated, delivery waits (the events stay in the outbox) until
 *                      the oldest waiting event is this old, then sends only events at least this old; zero: never
 *                      waits. The longest extra latency an event gets under peak load, in exchange for receipt
 *                      throughput at the peak
 */
public record WebhooksConfig(boolean allowHttp, boolean allowPrivate, int maxBatch, Duration timeout,
                             Duration retryInitial, Duration maxAge, int concurrency, Duration yieldToIntake) {

    public static final int DEFAULT_MAX_BATCH = 100;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RETRY_INITIAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(72);
    public static final int DEFAULT_CONCURRENCY = 4;
    public static final Duration DEFAULT_YIELD_TO_INTAKE = Duration.ofSeconds(60);

    public WebhooksConfig {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(retryInitial, "retryInitial");
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(yieldToIntake, "yieldToIntake");
    }

    /** Every key as it was before {@code yield_to_intake}, which is at its default. */
    public WebhooksConfig(boolean allowHttp, boolean allowPrivate, int maxBatch, Duration timeout,
                          Duration retryInitial, Duration maxAge, int concurrency) {
        this(allowHttp, allowPrivate, maxBatch, timeout, retryInitial, maxAge, concurrency, DEFAULT_YIELD_TO_INTAKE);
    }

    /** The same with another {@code yield_to_intake} (zero: never yield). */
    public WebhooksConfig yieldingToIntake(Duration yield) {
        return new WebhooksConfig(allowHttp, allowPrivate, maxBatch, timeout, retryInitial, maxAge, concurrency, yield);
    }

    /** Every key at its default: https only, public addresses only. */
    public static WebhooksConfig defaults() {
        return new WebhooksConfig(false, false, DEFAULT_MAX_BATCH, DEFAULT_TIMEOUT, DEFAULT_RETRY_INITIAL,
                DEFAULT_MAX_AGE, DEFAULT_CONCURRENCY);
    }

    /** The same with plain http and private addresses allowed (tests and local receivers). */
    public WebhooksConfig allowingLocal() {
        return new WebhooksConfig(true, true, maxBatch, timeout, retryInitial, maxAge, concurrency, yieldToIntake);
    }
}
