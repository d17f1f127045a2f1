package io.dlrgate.reporting.campaign;

import java.time.Instant;

/**
 * One send of a campaign to a list of contacts, with what happened to the list at the door: each requested contact
 * is in exactly one count (queued, skipped as suppressed, a duplicate, or rejected as invalid and filed as a Hard
 * bounce).
 */
public record CampaignSend(
        long id,
        long campaignId,
        String sentBy,
        Instant sentAt,
        int requested,
        int queued,
        int skippedSuppressed,
        int duplicates,
        int rejected) {
}
