package io.dlrgate.gateway.webhooks;

import io.dlrgate.reporting.replies.ReplyKind;
import io.dlrgate.reporting.webhooks.OutboxLanes.Pending;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.StringJoiner;

/** The body of one request, {@code {"events": [...]}}, and its {@code Dlrgate-Event-Ids} header. */
final class WebhookPayload {

    private WebhookPayload() {
    }

    static Buffer body(List<Pending> batch) {
        JsonArray events = new JsonArray();
        for (Pending p : batch) {
            JsonObject e = new JsonObject()
                    .put("eventId", p.eventId().toString())
                    .put("type", p.type())
                    .put("occurredAt", p.occurredAt().toString());
            putIfSet(e, "messageId", p.messageId());
            putIfSet(e, "campaignId", p.campaignId());
            putIfSet(e, "number", p.number());
            putIfSet(e, "tab", p.tab());
            putIfSet(e, "stat", p.stat());
            putIfSet(e, "err", p.err());
            putIfSet(e, "errorClass", p.errorClass());
            putIfSet(e, "cause", p.cause());
            if (p.reply() != null) {
                e.put("replyId", p.reply().replyId())
                        .put("to", p.reply().to())
                        .put("text", p.reply().text())
                        .put("kind", p.reply().kind())
                        .put("optOut", ReplyKind.OPT_OUT.dbName().equals(p.reply().kind()));
            }
            events.add(e);
        }
        return new JsonObject().put("events", events).toBuffer();
    }

    static String eventIds(List<Pending> batch) {
        StringJoiner j = new StringJoiner(",");
        for (Pending p : batch) {
            j.add(p.eventId().toString());
        }
        return j.toString();
    }

    private static void putIfSet(JsonObject o, String key, Object value) {
        if (value != null) {
            o.put(key, value);
        }
    }
}
