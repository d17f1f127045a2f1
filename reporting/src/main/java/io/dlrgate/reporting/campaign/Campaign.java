package io.dlrgate.reporting.campaign;

import java.time.Instant;

/**
 * A campaign: content sent to lists of contacts, possibly many times.
 *
 * @param sender the sender id its sends go out from; {@code null}: the configured default at the time of each send
 */
public record Campaign(
        long id,
        String name,
        String content,
        String createdBy,
        Instant createdAt,
        String lastModifiedBy,
        Instant lastModifiedAt,
        boolean linkTracking,
        Instant lastSentAt,
        String sender) {
}
