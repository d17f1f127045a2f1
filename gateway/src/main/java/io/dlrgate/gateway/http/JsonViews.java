package io.dlrgate.gateway.http;

import io.dlrgate.config.Tab;
import io.dlrgate.reporting.campaign.Campaign;
import io.dlrgate.reporting.campaign.CampaignSend;
import io.dlrgate.reporting.db.ReportReads;
import io.dlrgate.reporting.message.MessageView;
import io.dlrgate.reporting.message.PartsSummary;
import io.dlrgate.reporting.message.RefusedNumber;
import io.dlrgate.reporting.report.ContactRow;
import io.dlrgate.reporting.report.TabTimeline;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
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
                .put("from", m.sender())
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

    /**
     * A message with its parts, when it was sent as concatenated parts: {@code parts: {total, delivered, failed,
     * deleted, expired, pending}} and {@code reason} in words ("1 of 3 parts failed: UNDELIV err 001").
     */
    static JsonObject message(MessageView m, java.util.Optional<PartsSummary> parts) {
        JsonObject out = message(m);
        parts.ifPresent(p -> out.put("parts", parts(p)).put("reason", p.reason()));
        return out;
    }

    /**
     * Where a report was read and how far behind that is: {@code source} ({@code primary}, {@code replica}, or
     * {@code primary-fallback} when the primary answered for the replica: unreachable, or its pool all in use),
     * {@code lagSeconds}, {@code behind} (over
     * {@link ReportReads#NOTICE_AFTER}) and the {@code notice} the UI shows then, else null.
     */
    static JsonObject freshness(ReportReads.Freshness f) {
        long seconds = f.lag().toSeconds();
        return new JsonObject()
                .put("source", f.source().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
                .put("lagSeconds", f.lag().toMillis() / 1000.0)
                .put("behind", f.behind())
                .put("notice", f.behind() ? "reports are " + seconds + " s behind" : null);
    }

    /** A campaign's parts figure: messages sent as parts, and their parts by state (counts stay per message). */
    static JsonObject partFigures(io.dlrgate.reporting.report.ReportQueries.PartFigures f) {
        return new JsonObject().put("messages", f.messages()).put("total", f.parts()).put("delivered", f.delivered())
                .put("failed", f.failed()).put("deleted", f.deleted()).put("expired", f.expired())
                .put("pending", f.pending());
    }

    static JsonObject parts(PartsSummary p) {
        return new JsonObject().put("total", p.total()).put("delivered", p.delivered()).put("failed", p.failed())
                .put("deleted", p.deleted()).put("expired", p.expired()).put("pending", p.pending());
    }

    /**
     * @param from whom its next send goes out from: its own sender, else {@code send.default_sender}
     *             ({@code fromDefault} says which)
     */
    static JsonObject campaign(Campaign c, String from) {
        return new JsonObject()
                .put("id", c.id())
                .put("name", c.name())
                .put("content", c.content())
                .put("createdBy", c.createdBy())
                .put("createdAt", iso(c.createdAt()))
                .put("lastModifiedBy", c.lastModifiedBy())
                .put("lastModifiedAt", iso(c.lastModifiedAt()))
                .put("linkTracking", c.linkTracking())
                .put("from", from)
                .put("fromDefault", c.sender() == null)
                .put("lastSentAt", iso(c.lastSentAt()));
    }

    /**
     * @param settings the suppression settings in force: say whether the row's failure counts toward suppression
     */
    static JsonObject contact(ContactRow r, io.dlrgate.reporting.suppression.SuppressionSettings.Values settings) {
        JsonObject out = contactFields(r, settings);
        if (r.parts() != null) {
            out.put("parts", parts(r.parts())).put("reason", r.parts().reason());
        }
        return out;
    }

    private static JsonObject contactFields(ContactRow r,
                                            io.dlrgate.reporting.suppression.SuppressionSettings.Values settings) {
        return new JsonObject()
                .put("messageId", r.messageId())
                .put("number", r.recipient())
                .put("country", r.country())
                .put("tab", r.tab().slug())
                .put("stat", r.stat())
                .put("error", r.error())
                .put("errorClass", r.errorClass())
                .put("cause", r.cause())
                .put("countsTowardSuppression", settings.countsTowardSuppression(r.tab(), r.errorClass(), r.cause()))
                .put("carrier", r.carrier())
                .put("from", r.sender())
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
                .put("tab", r.tabSlug())
                .put("stat", r.stat())
                .put("source", r.source().dbName())
                .put("from", r.sender());
    }

    /** A single send skipped as suppressed, shaped like {@link #message} (what it would have been) for the preview. */
    static JsonObject skippedSingleSend(io.dlrgate.reporting.report.ReportQueries.SkippedSingleSend s) {
        return new JsonObject()
                .put("id", s.id())
                .put("campaignId", null)
                .put("source", s.source().dbName())
                .put("to", s.recipient())
                .put("number", s.recipient())
                .put("country", s.country())
                .put("content", s.content())
                .put("from", s.sender())
                .put("carrier", s.carrierId())
                .put("tab", io.dlrgate.reporting.report.SingleSendRow.SUPPRESSED)
                .put("stat", null)
                .put("createdAt", iso(s.createdAt()))
                .put("sentAt", null);
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

    /** Contacts a send filed at once as Hard bounces: number (as read), cause and reason. */
    public static JsonArray refusedNumbers(List<RefusedNumber> refused) {
        JsonArray out = new JsonArray();
        for (RefusedNumber r : refused) {
            out.add(new JsonObject().put("number", r.recipient()).put("cause", r.cause()).put("reason", r.reason()));
        }
        return out;
    }

    /**
     * What happened to the lists of a campaign's sends at the door, in total and per send: every requested contact
     * is in exactly one of queued, suppressed (skipped), duplicates and invalid (filed as Hard bounces).
     */
    public static JsonObject audience(List<CampaignSend> sends, JsonArray perSend) {
        long requested = 0;
        long queued = 0;
        long suppressed = 0;
        long duplicates = 0;
        long invalid = 0;
        for (CampaignSend s : sends) {
            requested += s.requested();
            queued += s.queued();
            suppressed += s.skippedSuppressed();
            duplicates += s.duplicates();
            invalid += s.rejected();
            perSend.add(audienceCounts(s.requested(), s.queued(), s.skippedSuppressed(), s.duplicates(), s.rejected())
                    .put("sendId", s.id()).put("sentAt", iso(s.sentAt())).put("sentBy", s.sentBy()));
        }
        return audienceCounts(requested, queued, suppressed, duplicates, invalid);
    }

    private static JsonObject audienceCounts(long requested, long queued, long suppressed, long duplicates,
                                             long invalid) {
        return new JsonObject().put("requested", requested).put("queued", queued).put("suppressed", suppressed)
                .put("duplicates", duplicates).put("invalid", invalid);
    }
}
