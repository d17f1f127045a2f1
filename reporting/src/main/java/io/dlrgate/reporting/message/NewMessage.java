package io.dlrgate.reporting.message;

import io.dlrgate.reporting.counters.ReportCounters;
import java.time.Instant;

/**
 * A message about to be queued: validated, normalised to E.164, routed to a carrier, deadline computed.
 *
 * @param campaignId     the campaign, or {@code null} for a single send
 * @param campaignSendId the campaign send, or {@code null} for a single send
 * @param sender         the sender id it goes out from ({@code Acme}, {@code 60123}, {@code +447700900123})
 */
public record NewMessage(
        Long campaignId,
        Long campaignSendId,
        Source source,
        String recipient,
        String country,
        String content,
        String carrierId,
        Instant validityDeadline,
        String sender) {

    /** What was sent from before sender ids existed; what a message of the stores' own tests is sent from. */
    public static final String DEFAULT_SENDER = "DLRGATE";

    /** A message from {@link #DEFAULT_SENDER}. */
    public NewMessage(Long campaignId, Long campaignSendId, Source source, String recipient, String country,
                      String content, String carrierId, Instant validityDeadline) {
        this(campaignId, campaignSendId, source, recipient, country, content, carrierId, validityDeadline,
                DEFAULT_SENDER);
    }

    public NewMessage withCampaignSend(long sendId) {
        return new NewMessage(campaignId, sendId, source, recipient, country, content, carrierId, validityDeadline,
                sender);
    }

    /** What the report counters count of it once queued. */
    public ReportCounters.Queued counted() {
        return new ReportCounters.Queued(campaignId, carrierId, recipient);
    }
}
