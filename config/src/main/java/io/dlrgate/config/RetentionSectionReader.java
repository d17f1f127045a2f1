package io.dlrgate.config;

import io.dlrgate.config.yaml.Durations;
import io.dlrgate.config.yaml.YamlTree.Scalar;

import java.time.Duration;
import java.util.List;

/** Reads {@code retention}: how long messages and receipts are kept, and the partitions made ahead. */
final class RetentionSectionReader {
    static final List<String> KEYS = List.of("messages", "partitions_ahead");

    /** Shorter would drop the month before the current one while its messages are still being delivered. */
    static final Duration MIN_MESSAGES = Duration.ofDays(31);
    private static final String OFF = "off";

    private final ReadContext ctx;

    RetentionSectionReader(ReadContext ctx) {
        this.ctx = ctx;
    }

    /**
     * @param dispatch for {@code max_validity}, and {@code expiry} for its grace: a month is dropped
     *                 {@code messages} after it ended, so a shorter retention than a message may live would drop
     *                 messages still queued or pending (the store also refuses to drop a month that holds any)
     */
    RetentionConfig read(ConfigSection s, DispatchConfig dispatch, ExpiryConfig expiry) {
        Duration messages = RetentionConfig.DEFAULT_MESSAGES;
        if (s.get("messages") instanceof Scalar sc && OFF.equals(sc.text().trim())) {
            messages = null;
        } else {
            messages = s.duration("messages", RetentionConfig.DEFAULT_MESSAGES);
            if (messages.compareTo(MIN_MESSAGES) < 0) {
                ctx.problem(s.keyPath("messages"), s.lineOf("messages"), "must be at least "
                        + Durations.format(MIN_MESSAGES) + " (or off), got " + Durations.format(messages));
                messages = RetentionConfig.DEFAULT_MESSAGES;
            } else if (messages.compareTo(dispatch.maxValidity().plus(expiry.grace())) < 0) {
                ctx.problem(s.keyPath("messages"), s.lineOf("messages"), "must be at least dispatch.max_validity + "
                        + "expiry.grace (" + Durations.format(dispatch.maxValidity()) + " + "
                        + Durations.format(expiry.grace()) + "): a month is dropped that long after it ended, and "
                        + "its messages may live that long; got " + Durations.format(messages));
                messages = RetentionConfig.DEFAULT_MESSAGES;
            }
        }
        int ahead = s.integer("partitions_ahead", RetentionConfig.DEFAULT_PARTITIONS_AHEAD, 1, 24);
        s.checkUnknownKeys();
        return new RetentionConfig(messages, ahead);
    }
}
