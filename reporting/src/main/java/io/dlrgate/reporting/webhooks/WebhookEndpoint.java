package io.dlrgate.reporting.webhooks;

import java.time.Instant;
import java.util.List;

/**
 * An endpoint as stored, with its delivery counts.
 *
 * @param events         the wire names of the event types it subscribes to
 * @param campaignId     only this campaign's message events; null: all
 * @param disabledReason why the gateway disabled it (a 410 from the receiver), or null
 */
public record WebhookEndpoint(long id, String url, List<String> events, Long campaignId, String secret,
                              boolean enabled, String disabledReason, Instant createdAt, Instant updatedAt,
                              long deliveredTotal, long failedTotal, String lastError, Instant lastErrorAt,
                              Instant lastSuccessAt) {
}
