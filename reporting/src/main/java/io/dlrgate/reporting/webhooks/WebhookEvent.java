package io.dlrgate.reporting.webhooks;

import io.dlrgate.config.Tab;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One delivery event, as the transaction that made the change writes it to the outbox (once per matching endpoint,
 * with the same {@code eventId}). Fields that do not apply to a type are null.
 *
 * @param eventId  stable: the same for every endpoint, every retry and every replay
 * @param orderKey the events of one key are delivered in the order they were written: the message id, or for a
 *                 number's event a hash of the number
 * @param tab      the tab the message is in after the change (its slug)
 * @param cause    for {@code message.final} why it is final (the reports' vocabulary), for {@code number.suppressed}
 *                 why the number was suppressed
 */
public record WebhookEvent(UUID eventId, EventType type, Instant occurredAt, long orderKey, Long messageId,
                           Long campaignId, String number, String tab, String stat, String err, String errorClass,
                           String cause) {

    public WebhookEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }

    public static WebhookEvent queued(long messageId, Long campaignId, String number, Instant at) {
        return message(EventType.QUEUED, messageId, campaignId, number, Tab.PENDING, null, null, null, null, at);
    }

    public static WebhookEvent submitted(long messageId, Long campaignId, String number, Instant at) {
        return message(EventType.SUBMITTED, messageId, campaignId, number, Tab.PENDING, null, null, null, null, at);
    }

    public static WebhookEvent tabChanged(long messageId, Long campaignId, String number, Tab tab, String stat,
                                          String err, String errorClass, Instant at) {
        return message(EventType.TAB_CHANGED, messageId, campaignId, number, tab, stat, err, errorClass, null, at);
    }

    public static WebhookEvent finalized(long messageId, Long campaignId, String number, Tab tab, String stat,
                                         String err, String errorClass, String cause, Instant at) {
        return message(EventType.FINAL, messageId, campaignId, number, tab, stat, err, errorClass, cause, at);
    }

    /** The cause of a {@code number.suppressed} event from the hard-bounce count (a carrier's or the send's). */
    public static final String SUPPRESSED_BY_HARD_BOUNCES = "hard-bounces";

    public static WebhookEvent suppressed(String number, String reason, Instant at) {
        return new WebhookEvent(UUID.randomUUID(), EventType.NUMBER_SUPPRESSED, at, number.hashCode(), null, null,
                number, null, null, null, null, reason);
    }

    private static WebhookEvent message(EventType type, long messageId, Long campaignId, String number, Tab tab,
                                        String stat, String err, String errorClass, String cause, Instant at) {
        return new WebhookEvent(UUID.randomUUID(), type, at, messageId, messageId, campaignId, number,
                tab == null ? null : tab.slug(), stat, err, errorClass, cause);
    }
}
