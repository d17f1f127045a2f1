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
 * @param reply    for {@code reply.received} the reply itself, else null
 */
public record WebhookEvent(UUID eventId, EventType type, Instant occurredAt, long orderKey, Long messageId,
                           Long campaignId, String number, String tab, String stat, String err, String errorClass,
                           String cause, ReplyDetail reply) {

    /**
     * What a {@code reply.received} event tells of the reply beyond the number and the message it is linked to.
     *
     * @param replyId the reply's id in the Replies view and {@code GET /api/v1/replies}
     * @param to      the address the recipient answered (destination_addr as the carrier wrote it)
     * @param text    the decoded text
     * @param kind    {@code reply}, {@code opt-out} or {@code opt-in} (the text was one of the configured keywords)
     */
    public record ReplyDetail(long replyId, String to, String text, String kind) {
        public ReplyDetail {
            Objects.requireNonNull(kind, "kind");
        }
    }

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
                number, null, null, null, null, reason, null);
    }

    /**
     * A stored reply, linked to the last message sent to its number when there was one. Ordered with the number's
     * other events (a STOP's {@code reply.received} comes before the {@code number.suppressed} it causes).
     */
    public static WebhookEvent replyReceived(String number, Long messageId, Long campaignId, ReplyDetail reply,
                                             Instant at) {
        Objects.requireNonNull(reply, "reply");
        return new WebhookEvent(UUID.randomUUID(), EventType.REPLY_RECEIVED, at, number.hashCode(), messageId,
                campaignId, number, null, null, null, null, null, reply);
    }

    private static WebhookEvent message(EventType type, long messageId, Long campaignId, String number, Tab tab,
                                        String stat, String err, String errorClass, String cause, Instant at) {
        return new WebhookEvent(UUID.randomUUID(), type, at, messageId, messageId, campaignId, number,
                tab == null ? null : tab.slug(), stat, err, errorClass, cause, null);
    }
}
