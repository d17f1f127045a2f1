package io.dlrgate.reporting.webhooks;

import java.util.Set;

/** What one enabled endpoint wants: its event types, and optionally only one campaign's messages. */
record Subscription(long endpointId, Set<EventType> events, Long campaignId) {

    boolean wants(WebhookEvent e) {
        return events.contains(e.type()) && (campaignId == null || campaignId.equals(e.campaignId()));
    }
}
