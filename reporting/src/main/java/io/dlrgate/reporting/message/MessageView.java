package io.dlrgate.reporting.message;

import io.dlrgate.config.Tab;
import java.time.Instant;

/**
 * One message as the API shows it.
 *
 * <p>{@code errorClass}: {@code permanent} or {@code transient} once the message failed (bounce classification),
 * else null. {@code sender}: the sender id it was sent from.
 */
public record MessageView(
        long id,
        Long campaignId,
        Source source,
        String recipient,
        String country,
        String content,
        String carrierId,
        String dispatchState,
        int submitAttempts,
        String carrierMessageId,
        Integer submitStatus,
        Tab tab,
        String lastStat,
        String error,
        String finalBy,
        Instant createdAt,
        Instant sentAt,
        Instant finalAt,
        Instant validityDeadline,
        String errorClass,
        String sender) {
}
