package io.dlrgate.gateway.http;

import io.dlrgate.reporting.report.ReportQueries;
import io.dlrgate.reporting.report.ReportQueries.Suppressed;
import io.dlrgate.reporting.report.ReportQueries.SuppressedCursor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * {@code GET /api/v1/suppressions}: the suppressed list, newest first, usable at 100,000 rows and more.
 * {@code number} keeps the numbers starting with it ({@code 4477} or {@code +4477}: country code first);
 * {@code limit} (1..1000, default 100) rows a page; {@code next} is the link of the page after (keyset: its
 * {@code after} cursor is the last row's time and number), absent on the last page; {@code total} counts the
 * matching numbers. {@code format=csv} streams every matching number as CSV.
 */
final class SuppressedListApi {

    private SuppressedListApi() {
    }

    static void list(RoutingContext ctx, ReportQueries reports, boolean csv) throws Exception {
        String prefix = RequestReader.queryE164Part(ctx, "number");
        if (csv) {
            CsvStream out = CsvStream.start(ctx, "suppressed.csv", "number", "reason", "created_at", "created_by");
            reports.streamSuppressions(prefix, x -> out.row(x.number(), x.reason(), x.createdAt(), x.createdBy()));
            out.end();
            return;
        }
        int limit = RequestReader.queryInt(ctx, "limit", 100, 1, 1000);
        List<Suppressed> rows = reports.suppressions(prefix, cursor(ctx), limit);
        JsonArray items = new JsonArray();
        for (Suppressed x : rows) {
            items.add(new JsonObject().put("number", x.number()).put("reason", x.reason())
                    .put("createdAt", JsonViews.iso(x.createdAt())).put("createdBy", x.createdBy()));
        }
        JsonObject out = new JsonObject().put("items", items).put("limit", limit)
                .put("total", reports.countSuppressions(prefix));
        if (rows.size() == limit) {
            Suppressed last = rows.get(rows.size() - 1);
            out.put("next", ApiServer.nextLink(ctx, "after", last.createdAt() + "," + last.number()));
        }
        ApiServer.json(ctx, 200, out);
    }

    /** The {@code after} cursor, {@code <instant>,<number>} as written in the {@code next} link. */
    private static SuppressedCursor cursor(RoutingContext ctx) {
        String raw = ctx.request().getParam("after");
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        int comma = raw.indexOf(',');
        String number = comma < 0 ? "" : raw.substring(comma + 1);
        try {
            if (number.matches("\\+[0-9]{1,16}")) {
                return new SuppressedCursor(Instant.parse(raw.substring(0, comma)), number);
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw ApiException.badRequest("after", "must be the cursor of a 'next' link (<time>,<number>)");
    }
}
