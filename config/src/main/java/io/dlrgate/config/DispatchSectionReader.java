package io.dlrgate.config;

import io.dlrgate.config.yaml.Durations;

import java.time.Duration;
import java.util.List;

/** Reads {@code dispatch}: how submits go out (timeouts, attempts, batches, the longest validity). */
final class DispatchSectionReader {
    static final List<String> KEYS = List.of("submit_timeout", "window_wait", "max_submit_attempts",
            "throttle_retries", "batch_size", "idle_poll", "max_validity", "max_parts");

    private final ReadContext ctx;

    DispatchSectionReader(ReadContext ctx) {
        this.ctx = ctx;
    }

    DispatchConfig read(ConfigSection s, SmppServerConfig smpp) {
        // The SMPP layer gives up on every request after request_expiry: a longer submit wait would be a lie.
        Duration defaultSubmitTimeout = Duration.ofSeconds(10);
        if (smpp.requestExpiry().compareTo(defaultSubmitTimeout) < 0) {
            defaultSubmitTimeout = smpp.requestExpiry();
        }
        Duration submitTimeout = s.duration("submit_timeout", defaultSubmitTimeout);
        if (submitTimeout.compareTo(smpp.requestExpiry()) > 0) {
            ctx.problem(s.keyPath("submit_timeout"), s.lineOf("submit_timeout"), "must be at most smpp.request_expiry ("
                    + Durations.format(smpp.requestExpiry()) + "), got " + Durations.format(submitTimeout));
        }
        Duration windowWait = s.duration("window_wait", Duration.ofSeconds(10));
        int maxAttempts = s.integer("max_submit_attempts", 3, 1, 100);
        int throttleRetries = s.integer("throttle_retries", 10, 0, 1_000);
        int batchSize = s.integer("batch_size", 500, 1, 100_000);
        Duration idlePoll = s.duration("idle_poll", Duration.ofMillis(200));
        Duration maxValidity = s.duration("max_validity", Duration.ofHours(72));
        if (maxValidity.compareTo(Duration.ofDays(365)) > 0) {
            ctx.problem(s.keyPath("max_validity"), s.lineOf("max_validity"),
                    "must be at most 365d, got " + Durations.format(maxValidity));
        }
        // 255: what an 8-bit total in a UDH or sar_total_segments can count.
        int maxParts = s.integer("max_parts", DispatchConfig.DEFAULT_MAX_PARTS, 1, 255);
        s.checkUnknownKeys();
        return new DispatchConfig(submitTimeout, windowWait, maxAttempts, throttleRetries, batchSize, idlePoll,
                maxValidity, maxParts);
    }
}
