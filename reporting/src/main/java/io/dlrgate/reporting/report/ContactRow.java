package io.dlrgate.reporting.report;

import io.dlrgate.config.Tab;
import java.time.Instant;

/**
 * One contact's line in a campaign report tab.
 *
 * @param errorClass the class stored with the failure ({@code messages.error_class}): permanent, transient, or
 *                   {@code null} when the message has not failed
 * @param cause      why it failed ({@link FailureCause}: submit-rejected, submit-timeout, submit-failed,
 *                   gateway-expiry, receipt), {@code null} for Delivered and Pending
 * @param carrier    the carrier the message was routed to ({@code messages.carrier_id})
 * @param sender     the sender id it was sent from
 * @param parts      its parts counted, when it was sent as concatenated parts; null otherwise
 */
public record ContactRow(
        long messageId,
        String recipient,
        String country,
        Tab tab,
        String stat,
        String error,
        String errorClass,
        String cause,
        Instant sentAt,
        Instant finalAt,
        String carrier,
        String sender,
        io.dlrgate.reporting.message.PartsSummary parts) {
}
