package io.dlrgate.reporting.message;

import java.time.Instant;

/**
 * A message claimed by a dispatcher: what the submit_sm needs.
 *
 * @param sender the sender id as the send named it; the dispatcher makes source_addr and TON/NPI of it
 */
public record OutboundMessage(
        long id,
        String recipient,
        String content,
        String carrierId,
        Instant validityDeadline,
        int attempt,
        String sender) {
}
