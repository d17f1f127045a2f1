package io.dlrgate.reporting.message;

import io.dlrgate.reporting.counters.ReportCounters;
import java.time.Instant;

/**
 * A message about to be queued: validated, normalised to E.164, routed to a carrier, deadline computed.
 *
 * @param campaignId     the campaign, or {@code null} for a single send
 * @param campaignSendId the campaign send, or {@code null} for a single send
 */
public record NewMessage(
        Long campaignId,
        Long campaignSendId,
        Source source,
        String recipient,
        String country,
        String content,
        String carrierId,
        Instant validityDeadline) {

    public NewMessage withCampaignSend(long sendId) {
        return new NewMessage(campaignId, sendId, source, recipient, country, content, carrierId, validityDeadline);
    }

    /** What the report counters count of it once queued. */
    public ReportCounters.Queued counted() {
        return new ReportCounters.Queued(campaignId, carrierId, recipient);
    }
}
