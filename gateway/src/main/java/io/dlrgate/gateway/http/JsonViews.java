package io.dlrgate.gateway.http;

import io.dlrgate.config.Tab;
import io.dlrgate.reporting.campaign.Campaign;
import io.dlrgate.reporting.message.MessageView;
import io.dlrgate.reporting.report.ContactRow;
import io.dlrgate.reporting.report.TabTimeline;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;

/** How the API writes the store's records as JSON: camelCase, ISO-8601 instants, tab slugs. */
final class JsonViews {

    private JsonViews() {
    }

    static JsonObject message(MessageView m) {
        return new JsonObject()
                .put("id", m.id())
                .put("campaignId", m.campaignId())
                .put("source", m.source().dbName())
                .put("to", m.recipient())
                .put("country", m.country())
                .put("content", m.content())
                .put("carrier", m.carrierId())
                .put("dispatchState", m.dispatchState())
                .put("submitAttempts", m.submitAttempts())
                .put("carrierMessageId", m.carrierMessageId())
                .put("submitStatus", m.submitStatus())
                .put("tab", m.tab().slug())
                .put("stat", m.lastStat())
                .put("error", m.error())
                .put("errorClass", m.errorClass())
                .put("finalBy", m.finalBy())
                .put("createdAt", iso(m.createdAt()))
                .put("sentAt", iso(m.sentAt()))
                .put("finalAt", iso(m.finalAt()))
                .put("validityDeadline", iso(m.validityDeadline()));
    }

    static JsonObject campaign(Campaign c) {
        return new JsonObject()
                .put("id", c.id())
                .put("name", c.name())
                .put("content", c.content())
                .put("createdBy", c.createdBy())
                .put("createdAt", iso(c.createdAt()))
                .put("lastModifiedBy", c.lastModifiedBy())
                .put("lastModifiedAt", iso(c.lastModifiedAt()))
                .put("linkTracking", c.linkTracking())
                .put("lastSentAt", iso(c.lastSentAt()));
    }

    static JsonObject contact(ContactRow r) {
        return new JsonObject()
                .put("messageId", r.messageId())
                .put("number", r.recipient())
                .put("country", r.country())
                .put("tab", r.tab().slug())
                .put("stat", r.stat())
                .put("error", r.error())
                .put("errorClass", r.errorClass())
                .put("cause", r.cause())
                .put("carrier", r.carrier())
                .put("sentAt", iso(r.sentAt()))
                .put("finalAt", iso(r.finalAt()));
    }

    static JsonObject tabCounts(Map<Tab, Long> counts) {
        JsonObject o = new JsonObject();
        for (Tab t : Tab.values()) {
            o.put(t.slug(), counts.getOrDefault(t, 0L));
        }
        return o;
    }

    /** Each tab's share of {@code sent} (a fraction, 0 to 1), keyed like {@link #tabCounts}; null when none sent. */
    static JsonObject tabRates(Map<Tab, Long> counts, long sent) {
        JsonObject o = new JsonObject();
        for (Tab t : Tab.values()) {
            o.put(t.slug(), rate(counts.getOrDefault(t, 0L), sent));
        }
        return o;
    }

    /** {@code part} as a fraction of {@code sent}; null when nothing was sent (a rate of nothing is not 0). */
    static Double rate(long part, long sent) {
        return sent == 0 ? null : (double) part / sent;
    }

    /** A campaign's tabs over time: each bucket's end and the tabs' counts then. */
    static JsonObject timeline(long campaignId, TabTimeline t) {
        JsonArray buckets = new JsonArray();
        t.buckets().forEach(b -> buckets.add(new JsonObject().put("end", iso(b.end())).put("tabs", tabCounts(b.counts()))));
        return new JsonObject().put("campaignId", campaignId).put("start", iso(t.start()))
                .put("bucket", t.bucket().toString()).put("bucketSeconds", t.bucket().toSeconds())
                .put("buckets", buckets);
    }

    static JsonObject campaignSummary(io.dlrgate.reporting.report.CampaignSummary c) {
        return new JsonObject()
                .put("id", c.id())
                .put("name", c.name())
                .put("createdBy", c.createdBy())
                .put("lastModifiedBy", c.lastModifiedBy())
                .put("lastModifiedAt", iso(c.lastModifiedAt()))
                .put("linkTracking", c.linkTracking())
                .put("sent", c.sent())
                .put("delivered", c.delivered())
                .put("deliveryRate", rate(c.delivered(), c.sent()))
                .put("totalClicks", c.totalClicks())
                .put("uniqueClicks", c.uniqueClicks())
                .put("lastSentAt", iso(c.lastSentAt()));
    }

    static JsonObject singleSend(io.dlrgate.reporting.report.SingleSendRow r) {
        return new JsonObject()
                .put("id", r.id())
                .put("number", r.recipient())
                .put("country", r.country())
                .put("createdAt", iso(r.createdAt()))
                .put("sentAt", iso(r.sentAt()))
                .put("contentStart", r.contentStart())
                .put("tab", r.tab().slug())
                .put("stat", r.stat())
                .put("source", r.source().dbName());
    }

    static JsonObject link(io.dlrgate.reporting.links.LinkStore.LinkStats l) {
        return new JsonObject()
                .put("id", l.linkId())
                .put("url", l.url())
                .put("totalClicks", l.totalClicks())
                .put("uniqueClicks", l.uniqueClicks());
    }

    static String iso(Instant i) {
        return i == null ? null : i.toString();
    }
}
