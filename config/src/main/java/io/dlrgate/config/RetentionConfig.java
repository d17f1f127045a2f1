package io.dlrgate.config;

import java.time.Duration;
import java.util.Optional;

/**
 * How long messages and the receipt log are kept, and how far ahead their monthly partitions are created. Retention
 * drops whole months (partitions), never single rows; campaign counters, the suppressed list and bounce counts are
 * kept whatever the retention.
 *
 * @param messages         how long after its month ended a month of messages (and of receipts) is dropped; null: kept
 *                         forever ({@code retention.messages: off})
 * @param partitionsAhead  months created ahead of the current one
 */
public record RetentionConfig(Duration messages, int partitionsAhead) {

    public static final Duration DEFAULT_MESSAGES = Duration.ofDays(400);
    public static final int DEFAULT_PARTITIONS_AHEAD = 2;

    /** Every key at its default. */
    public static RetentionConfig defaults() {
        return new RetentionConfig(DEFAULT_MESSAGES, DEFAULT_PARTITIONS_AHEAD);
    }

    /** The retention of messages and receipts; empty when they are kept forever. */
    public Optional<Duration> messagesRetention() {
        return Optional.ofNullable(messages);
    }
}
