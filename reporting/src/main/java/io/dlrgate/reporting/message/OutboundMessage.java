package io.dlrgate.reporting.message;

import java.time.Instant;
import java.util.Set;

/**
 * A message claimed by a dispatcher: what the submit_sm needs.
 *
 * @param sender the sender id as the send named it; the dispatcher makes source_addr and TON/NPI of it
 * @param partsAccepted the parts of a message sent as concatenated parts that a carrier already accepted (an earlier
 *                      attempt): only the others are sent again
 */
public record OutboundMessage(
        long id,
        String recipient,
        String content,
        String carrierId,
        Instant validityDeadline,
        int attempt,
        String sender,
        Set<Integer> partsAccepted) {

    public OutboundMessage {
        partsAccepted = partsAccepted == null ? Set.of() : Set.copyOf(partsAccepted);
    }

    /** A message none of whose parts was accepted yet. */
    public OutboundMessage(long id, String recipient, String content, String carrierId, Instant validityDeadline,
                           int attempt, String sender) {
        this(id, recipient, content, carrierId, validityDeadline, attempt, sender, Set.of());
    }
}
