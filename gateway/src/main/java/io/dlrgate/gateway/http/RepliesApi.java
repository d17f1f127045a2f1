package io.dlrgate.gateway.http;

import io.dlrgate.reporting.replies.ReplyQueries;
import io.dlrgate.reporting.replies.ReplyRow;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code GET /api/v1/replies}: recipients' replies, newest first. {@code campaignId} keeps the replies to that
 * campaign's messages; {@code number} the replies from that number ({@code 4477...} or {@code +4477...}, the whole
 * number); {@code limit} (1..1000, default 100) rows a page; {@code next} is the link of the page after (keyset:
 * {@code before} the last row's id), absent on the last page; {@code total} counts the matching replies.
 * {@code format=csv} streams every matching reply as CSV (cells a spreadsheet would run as a formula are
 * neutralised by {@link CsvStream}, as in every export).
 */
final class RepliesApi {

    private RepliesApi() {
    }

    static void list(RoutingContext ctx, ReplyQueries replies, boolean csv) throws Exception {
        ReplyQueries.Filter f = filter(ctx);
        if (csv) {
            CsvStream out = CsvStream.start(ctx, "replies.csv", "received_at", "from", "to", "text", "kind",
                    "carrier", "data_coding", "campaign_id", "message_id");
            replies.stream(f, r -> out.row(r.receivedAt(), r.fromNumber(), r.toAddress(), r.text(),
                    r.kind().dbName(), r.carrierId(), r.dataCoding(), r.campaignId(), r.messageId()));
            out.end();
            return;
        }
        int limit = RequestReader.queryInt(ctx, "limit", 100, 1, 1000);
        long before = RequestReader.queryLong(ctx, "before", 0);
        List<ReplyRow> rows = replies.page(f, before == 0 ? null : before, limit);
        JsonArray items = new JsonArray();
        for (ReplyRow r : rows) {
            items.add(json(r));
        }
        JsonObject out = new JsonObject().put("items", items).put("limit", limit).put("total", replies.count(f));
        if (rows.size() == limit) {
            out.put("next", ApiServer.nextLink(ctx, "before", Long.toString(rows.get(rows.size() - 1).id())));
        }
        ApiServer.json(ctx, 200, out);
    }

    static JsonObject json(ReplyRow r) {
        return new JsonObject().put("id", r.id()).put("receivedAt", JsonViews.iso(r.receivedAt()))
                .put("from", r.fromNumber()).put("to", r.toAddress()).put("text", r.text())
                .put("kind", r.kind().dbName()).put("carrier", r.carrierId()).put("dataCoding", r.dataCoding())
                .put("campaignId", r.campaignId()).put("messageId", r.messageId());
    }

    private static ReplyQueries.Filter filter(RoutingContext ctx) {
        long campaign = RequestReader.queryLong(ctx, "campaignId", 0);
        return new ReplyQueries.Filter(campaign == 0 ? null : campaign, RequestReader.queryE164Part(ctx, "number"));
    }
}
