package io.dlrgate.reporting.message;

import java.time.Instant;

/** A message claimed by a dispatcher: what the submit_sm needs. */
public record OutboundMessage(
        long id,
        String recipient,
        String content,
        String carrierId,
        Instant validityDeadline,
        int attempt) {
}
