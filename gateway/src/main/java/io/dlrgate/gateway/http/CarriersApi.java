package io.dlrgate.gateway.http;

import io.dlrgate.gateway.carriers.CarrierOverview;
import io.dlrgate.gateway.carriers.CarrierOverview.CarrierView;
import io.dlrgate.gateway.carriers.CarrierOverview.SessionView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Locale;

/**
 * {@code GET /api/v1/carriers}: every configured carrier, its bound sessions in both directions, its effective
 * submit rate and its last minute of traffic. See docs/reference/http-api.md for the fields.
 */
final class CarriersApi {

    private CarriersApi() {
    }

    static void list(RoutingContext ctx, CarrierOverview overview) {
        JsonArray carriers = new JsonArray();
        for (CarrierView c : overview.carriers()) {
            carriers.add(view(c));
        }
        ApiServer.json(ctx, 200, new JsonObject().put("carriers", carriers));
    }

    static JsonObject view(CarrierView c) {
        JsonArray sessions = new JsonArray();
        for (SessionView s : c.sessions()) {
            sessions.add(new JsonObject()
                    .put("id", s.id())
                    .put("direction", s.direction().name().toLowerCase(Locale.ROOT))
                    .put("bindType", s.bindType().configName())
                    .put("remoteAddress", s.remoteAddress() == null ? null
                            : s.remoteAddress().getAddress().getHostAddress() + ":" + s.remoteAddress().getPort())
                    .put("upSince", text(s.upSince()))
                    .put("windowInUse", s.windowInUse())
                    .put("windowSize", s.windowSize()));
        }
        return new JsonObject()
                .put("id", c.id())
                .put("prefixes", new JsonArray(c.prefixes()))
                .put("windowSize", c.windowSize())
                .put("maxSubmitRate", c.maxSubmitRate())
                .put("effectiveSubmitRate", round(c.effectiveSubmitRate()))
                .put("inbound", c.inboundConfigured())
                .put("outbound", c.outboundConfigured())
                .put("bound", !c.sessions().isEmpty())
                .put("downSince", text(c.downSince()))
                .put("sessions", sessions)
                .put("submitsPerSecond", round(c.lastMinute().submitsPerSecond()))
                .put("receiptsPerSecond", round(c.lastMinute().receiptsPerSecond()))
                .put("submitsLastMinute", c.lastMinute().submitsLastMinute())
                .put("receiptsLastMinute", c.lastMinute().receiptsLastMinute());
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    /** Two decimals: rates for people, not for further arithmetic. */
    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
