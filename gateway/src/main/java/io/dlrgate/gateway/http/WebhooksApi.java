package io.dlrgate.gateway.http;

import io.dlrgate.config.WebhooksConfig;
import io.dlrgate.gateway.webhooks.WebhookSignature;
import io.dlrgate.gateway.webhooks.WebhookTarget;
import io.dlrgate.reporting.webhooks.EventType;
import io.dlrgate.reporting.webhooks.WebhookEndpoint;
import io.dlrgate.reporting.webhooks.WebhookEndpointStore;
import io.dlrgate.reporting.webhooks.WebhookEndpointStore.Backlog;
import io.dlrgate.reporting.webhooks.WebhookEndpointStore.ReplayRange;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/webhooks} (admin): the endpoints delivery events are pushed to. {@code POST} creates one (its
 * secret, generated when not given, is in that answer only), {@code GET} lists them with their backlog, oldest
 * undelivered age, counts and last error, {@code PUT /{id}} changes the fields given, {@code DELETE /{id}} removes
 * one with its outbox, {@code POST /{id}/replay} queues a range of its events again. A URL is refused when it is not
 * https (unless {@code webhooks.allow_http}) or resolves to a loopback, link-local or private address (unless
 * {@code webhooks.allow_private}).
 */
final class WebhooksApi {

    private static final int MAX_SECRET = 200;

    private final WebhookEndpointStore store;
    private final WebhooksConfig config;
    private final Clock clock;

    WebhooksApi(WebhookEndpointStore store, WebhooksConfig config, Clock clock) {
        this.store = store;
        this.config = config;
        this.clock = clock;
    }

    void create(RoutingContext ctx) throws Exception {
        RequestReader in = RequestReader.of(ctx);
        String url = checkedUrl(in.requiredString("url"));
        List<String> events = events(in.optionalStringList("events"));
        String secret = secret(in.optionalString("secret"));
        Boolean enabled = in.optionalBoolean("enabled");
        WebhookEndpoint e = store.create(url, events, in.optionalId("campaignId"),
                secret == null ? WebhookSignature.newSecret() : secret, enabled == null || enabled);
        // The one time the secret is shown: the receiver needs it to check signatures.
        ApiServer.json(ctx, 201, view(e, Backlog.EMPTY).put("secret", e.secret()));
    }

    void list(RoutingContext ctx) throws Exception {
        Map<Long, Backlog> backlogs = store.backlogs();
        JsonArray items = new JsonArray();
        for (WebhookEndpoint e : store.list()) {
            items.add(view(e, backlogs.getOrDefault(e.id(), Backlog.EMPTY)));
        }
        ApiServer.json(ctx, 200, new JsonObject().put("items", items).put("eventTypes",
                new JsonArray(EventType.wireNames())));
    }

    void get(RoutingContext ctx) throws Exception {
        WebhookEndpoint e = found(RequestReader.pathId(ctx, "id"));
        ApiServer.json(ctx, 200, view(e, store.backlogs().getOrDefault(e.id(), Backlog.EMPTY)));
    }

    /** Changes the fields given; the others keep their value ({@code campaignId: null} removes the filter). */
    void update(RoutingContext ctx) throws Exception {
        long id = RequestReader.pathId(ctx, "id");
        WebhookEndpoint e = found(id);
        RequestReader in = RequestReader.of(ctx);
        String url = in.has("url") ? checkedUrl(in.requiredString("url")) : e.url();
        List<String> events = in.has("events") ? events(in.optionalStringList("events")) : e.events();
        Long campaignId = in.has("campaignId") ? in.optionalId("campaignId") : e.campaignId();
        Boolean enabled = in.optionalBoolean("enabled");
        String secret = secret(in.optionalString("secret"));
        WebhookEndpoint now = store.update(id, url, events, campaignId, secret, enabled == null ? e.enabled() : enabled)
                .orElseThrow(() -> ApiException.notFound("webhook " + id));
        ApiServer.json(ctx, 200, view(now, store.backlogs().getOrDefault(id, Backlog.EMPTY)));
    }

    void delete(RoutingContext ctx) throws Exception {
        long id = RequestReader.pathId(ctx, "id");
        if (!store.delete(id)) {
            throw ApiException.notFound("webhook " + id);
        }
        ApiServer.json(ctx, 200, new JsonObject().put("id", id).put("deleted", true));
    }

    /** {@code {"from": ISO-8601, "to": ISO-8601}} (either may be left out) or {@code {"campaignId": N}}. */
    void replay(RoutingContext ctx) throws Exception {
        long id = RequestReader.pathId(ctx, "id");
        found(id);
        RequestReader in = RequestReader.of(ctx);
        Instant from = in.optionalInstant("from");
        Instant to = in.optionalInstant("to");
        Long campaignId = in.optionalId("campaignId");
        if (from == null && to == null && campaignId == null) {
            throw ApiException.badRequest(null, "give a time range (from, to) or a campaignId to replay");
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiException.badRequest("to", "must be after from");
        }
        int n = store.replay(id, new ReplayRange(from, to, campaignId));
        ApiServer.json(ctx, 202, new JsonObject().put("id", id).put("queued", n));
    }

    private WebhookEndpoint found(long id) throws Exception {
        return store.find(id).orElseThrow(() -> ApiException.notFound("webhook " + id));
    }

    /** The URL as given, once its form and every address its host resolves to pass (server-side request forgery). */
    private String checkedUrl(String url) {
        try {
            WebhookTarget.resolve(url, config.allowHttp(), config.allowPrivate());
            return url.trim();
        } catch (WebhookTarget.RefusedException e) {
            throw ApiException.badRequest("url", e.getMessage());
        }
    }

    /** The event types given, each once: at least one, all known. */
    private static List<String> events(List<String> given) {
        if (given == null || given.isEmpty()) {
            throw ApiException.badRequest("events", "is required: one or more of "
                    + String.join(", ", EventType.wireNames()));
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (int i = 0; i < given.size(); i++) {
            String t = given.get(i);
            if (EventType.fromWire(t).isEmpty()) {
                throw ApiException.badRequest("events[" + i + "]", "unknown event type '" + t + "'; expected one of "
                        + String.join(", ", EventType.wireNames()));
            }
            out.add(t);
        }
        return List.copyOf(out);
    }

    private static String secret(String given) {
        if (given == null) {
            return null;
        }
        if (given.length() < 16 || given.length() > MAX_SECRET) {
            throw ApiException.badRequest("secret", "must be 16 to " + MAX_SECRET + " characters (leave it out to "
                    + "have one generated)");
        }
        return given;
    }

    /** An endpoint as the API shows it: never its secret (that is shown once, when created). */
    private JsonObject view(WebhookEndpoint e, Backlog b) {
        Instant now = clock.instant();
        JsonObject o = new JsonObject()
                .put("id", e.id())
                .put("url", e.url())
                .put("events", new JsonArray(e.events()))
                .put("campaignId", e.campaignId())
                .put("enabled", e.enabled())
                .put("disabledReason", e.disabledReason())
                .put("createdAt", JsonViews.iso(e.createdAt()))
                .put("updatedAt", JsonViews.iso(e.updatedAt()))
                .put("backlog", b.undelivered())
                .put("oldestUndeliveredSeconds", b.oldestUndelivered() == null ? null
                        : Math.max(0, Duration.between(b.oldestUndelivered(), now).getSeconds()))
                .put("deadLettered", b.dead())
                .put("delivered", e.deliveredTotal())
                .put("failed", e.failedTotal())
                .put("lastError", e.lastError())
                .put("lastErrorAt", JsonViews.iso(e.lastErrorAt()))
                .put("lastSuccessAt", JsonViews.iso(e.lastSuccessAt()));
        return o;
    }
}
