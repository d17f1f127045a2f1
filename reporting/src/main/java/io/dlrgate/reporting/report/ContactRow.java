package io.dlrgate.reporting.report;

import io.dlrgate.config.Tab;
import java.time.Instant;

/**
 * One contact's line in a campaign report tab.
 *
 * @param errorClass what kind of failure the error is ({@link ErrorClass}), {@code null} when there is none
 */
public record ContactRow(
        long messageId,
        String recipient,
        String country,
        Tab tab,
        String stat,
        String error,
        String errorClass,
        Instant sentAt,
        Instant finalAt) {
}
