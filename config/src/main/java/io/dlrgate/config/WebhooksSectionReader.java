package io.dlrgate.config;

import io.dlrgate.config.yaml.Durations;

import java.time.Duration;
import java.util.List;

/** Reads {@code webhooks}: how delivery events are pushed to the endpoints managed through the API. */
final class WebhooksSectionReader {
    static final List<String> KEYS = List.of("allow_http", "allow_private", "max_batch", "timeout", "retry_initial",
            "max_age", "concurrency", "yield_to_intake");

    private final ReadContext ctx;

    WebhooksSectionReader(ReadContext ctx) {
        this.ctx = ctx;
    }

    WebhooksConfig read(ConfigSection s) {
        boolean allowHttp = s.bool("allow_http", false);
        boolean allowPrivate = s.bool("allow_private", false);
        int maxBatch = s.integer("max_batch", WebhooksConfig.DEFAULT_MAX_BATCH, 1, 1_000);
        Duration timeout = within(s, "timeout", WebhooksConfig.DEFAULT_TIMEOUT, Duration.ofMillis(100),
                Duration.ofMinutes(2));
        Duration retryInitial = within(s, "retry_initial", WebhooksConfig.DEFAULT_RETRY_INITIAL,
                Duration.ofMillis(10), Duration.ofHours(1));
        Duration maxAge = within(s, "max_age", WebhooksConfig.DEFAULT_MAX_AGE, Duration.ofMinutes(1),
                Duration.ofDays(30));
        if (maxAge.compareTo(retryInitial) < 0) {
            ctx.problem(s.keyPath("max_age"), s.lineOf("max_age"), "must be at least retry_initial ("
                    + Durations.format(retryInitial) + "), got " + Durations.format(maxAge));
            maxAge = WebhooksConfig.DEFAULT_MAX_AGE;
        }
        int concurrency = s.integer("concurrency", WebhooksConfig.DEFAULT_CONCURRENCY, 1, 64);
        // 0 turns it off; otherwise at least a second (the worker looks once a second) and at most an hour.
        Duration yieldToIntake = s.duration("yield_to_intake", WebhooksConfig.DEFAULT_YIELD_TO_INTAKE, true);
        if (!yieldToIntake.isZero() && (yieldToIntake.compareTo(Duration.ofSeconds(1)) < 0
                || yieldToIntake.compareTo(Duration.ofHours(1)) > 0)) {
            ctx.problem(s.keyPath("yield_to_intake"), s.lineOf("yield_to_intake"), "must be 0 (never yield) or "
                    + "between 1s and 1h, got " + Durations.format(yieldToIntake));
            yieldToIntake = WebhooksConfig.DEFAULT_YIELD_TO_INTAKE;
        }
        s.checkUnknownKeys();
        return new WebhooksConfig(allowHttp, allowPrivate, maxBatch, timeout, retryInitial, maxAge, concurrency,
                yieldToIntake);
    }

    private Duration within(ConfigSection s, String key, Duration def, Duration min, Duration max) {
        Duration d = s.duration(key, def);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            ctx.problem(s.keyPath(key), s.lineOf(key), "must be between " + Durations.format(min) + " and "
                    + Durations.format(max) + ", got " + Durations.format(d));
            return def;
        }
        return d;
    }
}
