package io.dlrgate.reporting.replies;

import java.time.Instant;

/**
 * One stored reply as the reports show it.
 *
 * @param messageId  the last message sent to the number before the reply (null: never sent to, unlinked)
 * @param campaignId that message's campaign (null: a single send, or unlinked)
 */
public record ReplyRow(long id, Instant receivedAt, String carrierId, String fromNumber, String toAddress,
                       String text, int dataCoding, ReplyKind kind, Long messageId, Long campaignId) {
}
