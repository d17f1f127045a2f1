package io.dlrgate.reporting.report;

import java.time.Instant;

/**
 * One line of the campaign list.
 *
 * @param sent         messages sent (queued to a carrier) over all the campaign's sends; the five tabs add up to it
 * @param totalClicks  every click on the campaign's short links; {@code null} when link tracking is off
 * @param uniqueClicks distinct recipients per link, summed over the campaign's links; {@code null} when off
 */
public record CampaignSummary(
        long id,
        String name,
        String createdBy,
        String lastModifiedBy,
        Instant lastModifiedAt,
        boolean linkTracking,
        long sent,
        long delivered,
        Long totalClicks,
        Long uniqueClicks,
        Instant lastSentAt) {
}
