package io.dlrgate.reporting.report;

import java.time.Instant;

/** One contact's line in a campaign report tab. */
public record ContactRow(
        long messageId,
        String recipient,
        String country,
        String stat,
        String error,
        Instant sentAt,
        Instant finalAt) {
}
