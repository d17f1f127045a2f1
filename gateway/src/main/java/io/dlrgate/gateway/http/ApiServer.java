package io.dlrgate.gateway.http;

import io.dlrgate.config.HttpConfig;
import io.dlrgate.gateway.carriers.CarrierOverview;
import io.dlrgate.config.Tab;
import io.dlrgate.gateway.send.SendRejectedException;
import io.dlrgate.gateway.send.SendService;
import io.dlrgate.gateway.logging.LogRateLimit;
import io.dlrgate.reporting.write.SingleSendCommitter;
import io.dlrgate.reporting.campaign.Campaign;
import io.dlrgate.reporting.campaign.CampaignStore;
import io.dlrgate.reporting.message.MessageStore;
import io.dlrgate.reporting.message.Source;
import io.dlrgate.reporting.links.LinkStore;
import io.dlrgate.reporting.message.MessageView;
import io.dlrgate.reporting.report.CampaignSort;
import io.dlrgate.reporting.report.ContactRow;
import io.dlrgate.reporting.replies.ReplyQueries;
import io.dlrgate.reporting.report.ReportQueries;
import io.dlrgate.reporting.report.SingleSendRow;
import io.dlrgate.reporting.report.TabTimeline;
import io.dlrgate.reporting.report.TimelineBuckets;
import io.dlrgate.gateway.send.LinkRewriter;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.dlrgate.config.WebhooksConfig;
import io.dlrgate.reporting.webhooks.WebhookEndpointStore;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.SSLOptions;
import io.dlrgate.gateway.tls.ReloadingCertificate;
import io.dlrgate.gateway.tls.ServerCertificate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.dlrgate.config.AuthConfig;
import io.dlrgate.config.Role;
import io.dlrgate.gateway.events.TabEvents;
import io.dlrgate.reporting.suppression.SuppressionSettings;
import io.dlrgate.reporting.db.ReportReads;
import io.dlrgate.reporting.db.StoreErrors;
import io.dlrgate.reporting.suppression.SuppressionStore;
import io.dlrgate.reporting.session.LoginSessionStore;
import io.dlrgate.reporting.user.UserStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.handler.StaticHandler;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API (vertx-web). Handlers that touch the store run as blocking handlers on Vert.x's worker pool:
 * JDBC never runs on an event loop.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    /** An overload refuses every request for a while: its lines are rate-limited. */
    private static final LogRateLimit OVERLOAD_LINES = new LogRateLimit();
    /** A campaign send of 100,000 numbers is about 2 MB of JSON; leave room, refuse the absurd. */
    private static final long MAX_BODY_BYTES = 16L * 1024 * 1024;
    private static final long LOGIN_MAX_BODY_BYTES = 16L * 1024;

    /**
     * What the API reads and writes.
     *
     * @param events live tab changes, already registered with the group committer by the caller (who closes it)
     */
    public record Services(SendService send, MessageStore messages, CampaignStore campaigns, ReportQueries reports,
                           LinkStore links, SuppressionStore suppressions, AuthConfig auth, TabEvents events,
                           PrometheusMeterRegistry metrics, Clock clock, SuppressionSettings suppressionSettings,
                           Readiness readiness, LoginSessionStore loginSessions, UserStore users,
                           CarrierOverview carriers, WebhookEndpointStore webhooks,
                           WebhooksConfig webhooksConfig, ReplyQueries replies) {
    }

    private final Vertx vertx;
    private final HttpConfig config;
    private final Services services;
    private final Access access;
    private HttpServer server;
    /** With http.tls: the certificate HTTPS serves; null for plain HTTP. */
    private ReloadingCertificate certificate;

    public ApiServer(Vertx vertx, HttpConfig config, String apiKey, Services services) {
        this.vertx = vertx;
        this.config = config;
        this.services = services;
        this.access = new Access(vertx, apiKey, services.auth(), services.loginSessions(), services.users(),
                services.clock(), services.metrics());
    }

    /** Starts listening; returns the bound port (useful when the config asks for port 0). */
    public int start() throws Exception {
        // No HTTP/2 over cleartext: with it on, Vert.x only sets a connection up after its first bytes (to tell the
        // protocols apart), so a client that sends nothing would escape the connection cap and the head deadline.
        HttpServerOptions options = new HttpServerOptions().setHttp2ClearTextEnabled(false)
                .setIdleTimeout((int) config.idleTimeout().toMillis()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        if (config.tls() != null) {
            certificate = ReloadingCertificate.load("http.tls", config.tls());
            // The connection handler (cap, head deadline) only sees a connection once its handshake is done: until
            // then this deadline, the head's own, is what bounds it.
            options.setSsl(true).setKeyCertOptions(keyCert(certificate.current()))
                    .setSslHandshakeTimeout(config.requestHeaderTimeout().toMillis())
                    .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
        }
        server = vertx.createHttpServer(options)
                .connectionHandler(new ConnectionLimiter(config, services.metrics()))
                .requestHandler(router())
                .listen(config.port(), config.host())
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        if (certificate != null) {
            SSLOptions current = options.getSslOptions();
            // Vert.x swaps the TLS context for new connections; open ones keep theirs.
            // Waits for the swap (on the reloading thread, never an event loop): a failure must reach the reload,
            // which then keeps the old certificate on record, the one still served.
            certificate.onChange(c -> {
                try {
                    server.updateSSLOptions(new SSLOptions(current).setKeyCertOptions(keyCert(c)), true)
                            .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while applying it", e);
                } catch (ExecutionException | TimeoutException e) {
                    throw new IllegalStateException(String.valueOf(e.getCause() != null ? e.getCause() : e), e);
                }
            });
        }
        access.sessions().start();
        log.info("HTTP API on {}://{}:{}/api/v1", scheme(), config.host(), server.actualPort());
        return server.actualPort();
    }

    private static KeyCertOptions keyCert(ServerCertificate c) {
        return KeyCertOptions.wrap(c.keyManagerFactory());
    }

    /** {@code https} with http.tls, else {@code http}. */
    public String scheme() {
        return config.tls() == null ? "http" : "https";
    }

    /** The certificate HTTPS serves, to reload; null for plain HTTP. */
    public ReloadingCertificate tlsCertificate() {
        return certificate;
    }

    public int port() {
        return server.actualPort();
    }

    Router router() {
        Router r = Router.router(vertx);
        r.route().handler(new SecurityHeaders(config));
        r.route().failureHandler(new MalformedRequests());
        // Public: health, readiness, short links, the login, the UI's static files (the UI asks for credentials).
        r.get("/health").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "up")));
        r.get("/ready").blockingHandler(services.readiness(), false);
        r.get("/l/:code").blockingHandler(guard(this::redirect), false);
        // Off the event loop: a scrape runs every gauge (session windows, the pool, /proc/self/fd).
        r.get("/metrics").handler(access.metricsAccess()).blockingHandler(this::metrics, false);
        r.route("/api/*").handler(new JsonContentType());
        // BodyHandler.create(false): no file uploads. With the default, a multipart body sent to any /api path was
        // saved under ./file-uploads and kept, even when the request was then refused (a viewer could fill the disk).
        r.post("/api/v1/login").handler(BodyHandler.create(false).setBodyLimit(LOGIN_MAX_BODY_BYTES));
        r.post("/api/v1/login").handler(guard(access::login));
        r.post("/api/v1/logout").handler(access::logout);

        r.route("/api/*").handler(access.authenticate());
        r.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));

        api(r, HttpMethod.GET, "/api/v1/me", Role.VIEWER, ctx -> {
            Access.Principal p = ctx.get(Access.PRINCIPAL);
            json(ctx, 200, new JsonObject().put("name", p.name()).put("role", p.role().configName()));
        });
        // Not a blocking handler: nothing of it blocks, and its answer waits for the group commit, not a worker.
        r.route(HttpMethod.POST, "/api/v1/messages").handler(access.require(Role.SENDER)).handler(this::sendSingle);
        api(r, HttpMethod.GET, "/api/v1/messages/:id", Role.VIEWER, this::getMessage);
        api(r, HttpMethod.POST, "/api/v1/campaigns", Role.SENDER, this::createCampaign);
        api(r, HttpMethod.GET, "/api/v1/campaigns", Role.VIEWER, this::listCampaigns);
        api(r, HttpMethod.GET, "/api/v1/campaigns/:id", Role.VIEWER, this::getCampaign);
        api(r, HttpMethod.PUT, "/api/v1/campaigns/:id", Role.SENDER, this::updateCampaign);
        api(r, HttpMethod.POST, "/api/v1/campaigns/:id/sends", Role.SENDER, this::sendCampaign);
        api(r, HttpMethod.GET, "/api/v1/campaigns/:id/report", Role.VIEWER, this::report);
        api(r, HttpMethod.GET, "/api/v1/campaigns/:id/report/:tab", Role.VIEWER, this::reportTab);
        api(r, HttpMethod.GET, "/api/v1/campaigns/:id/timeline", Role.VIEWER, this::timeline);
        api(r, HttpMethod.GET, "/api/v1/single-sends", Role.VIEWER, this::singleSends);
        // Not blocking: the freshness is the last probe's, held in memory.
        r.get("/api/v1/reports/freshness").handler(access.require(Role.VIEWER))
                .handler(ctx -> json(ctx, 200, freshness(new JsonObject())));
        api(r, HttpMethod.GET, "/api/v1/single-sends/:id", Role.VIEWER, this::singleSend);
        api(r, HttpMethod.GET, "/api/v1/carriers", Role.VIEWER, ctx -> CarriersApi.list(ctx, services.carriers()));
        api(r, HttpMethod.GET, "/api/v1/settings", Role.VIEWER, this::getSettings);
        api(r, HttpMethod.PUT, "/api/v1/settings", Role.ADMIN, this::putSettings);
        api(r, HttpMethod.GET, "/api/v1/replies", Role.VIEWER,
                ctx -> RepliesApi.list(ctx, services.replies(), csv(ctx)));
        api(r, HttpMethod.GET, "/api/v1/suppressions", Role.VIEWER, this::listSuppressions);
        api(r, HttpMethod.POST, "/api/v1/suppressions", Role.ADMIN, this::addSuppression);
        api(r, HttpMethod.DELETE, "/api/v1/suppressions/:number", Role.ADMIN, this::removeSuppression);
        WebhooksApi webhooks = new WebhooksApi(services.webhooks(), services.webhooksConfig(), services.clock());
        api(r, HttpMethod.POST, "/api/v1/webhooks", Role.ADMIN, webhooks::create);
        api(r, HttpMethod.GET, "/api/v1/webhooks", Role.ADMIN, webhooks::list);
        api(r, HttpMethod.GET, "/api/v1/webhooks/:id", Role.ADMIN, webhooks::get);
        api(r, HttpMethod.PUT, "/api/v1/webhooks/:id", Role.ADMIN, webhooks::update);
        api(r, HttpMethod.DELETE, "/api/v1/webhooks/:id", Role.ADMIN, webhooks::delete);
        api(r, HttpMethod.POST, "/api/v1/webhooks/:id/replay", Role.ADMIN, webhooks::replay);
        r.get("/api/v1/events").handler(access.require(Role.VIEWER)).handler(access.sessions().streams().tracker())
                .handler(new EventStream(vertx));
        r.route("/api/*").last().handler(ctx -> json(ctx, 404,
                new JsonObject().put("error", "no such endpoint: " + ctx.request().method() + " " + ctx.request().path())));

        r.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false).setIndexPage("index.html")
                .setDefaultContentEncoding("UTF-8"));
        r.errorHandler(413, ctx -> json(ctx, 413, new JsonObject().put("error", "request body larger than "
                + (ctx.request().path().equals("/api/v1/login") ? LOGIN_MAX_BODY_BYTES : MAX_BODY_BYTES) + " bytes")));
        r.errorHandler(405, ctx -> json(ctx, 405, new JsonObject().put("error", "method not allowed")));
        return r;
    }

    /**
     * An API route: role check on the event loop, then the handler on a worker (JDBC never on an event loop). The
     * handler runs on that one worker thread, which is where its report reads are recorded, so the freshness it
     * reports is that of its own reads.
     */
    private void api(Router r, HttpMethod method, String path, Role role, ApiHandler h) {
        r.route(method, path).handler(access.require(role)).blockingHandler(guard(ctx -> {
            try (ReportReads.Request reads = services.reports().request()) {
                h.handle(ctx);
            }
        }), false);
    }

    /** After {@link Access#metricsAccess()}. */
    private void metrics(RoutingContext ctx) {
        // OpenMetrics when the scraper asks for it (Prometheus does, for exemplars and _created), else 0.0.4 text.
        String accept = ctx.request().getHeader("Accept");
        String type = accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS : PROMETHEUS_TEXT;
        ctx.response().putHeader("Content-Type", type).end(services.metrics().scrape(type));
    }

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    @FunctionalInterface
    private interface ApiHandler {
        void handle(RoutingContext ctx) throws Exception;
    }

    /** Turns the exceptions handlers throw into the right status with a JSON message. */
    private static Handler<RoutingContext> guard(ApiHandler h) {
        return ctx -> {
            try {
                h.handle(ctx);
            } catch (Exception e) {
                fail(ctx, e);
            }
        };
    }

    /** Answers a request that failed with {@code e}: the right status with a JSON message. */
    private static void fail(RoutingContext ctx, Throwable e) {
        if (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof ApiException a) {
            json(ctx, a.status(), error(a.getMessage(), a.field()));
        } else if (e instanceof SendRejectedException r) {
            json(ctx, 400, error(r.getMessage(), r.field()));
        } else if (e instanceof SingleSendCommitter.Busy) {
            // Not stored, nothing to undo: the client may send it again.
            OVERLOAD_LINES.warn(log, "{} {}: {}", ctx.request().method(), ctx.request().path(), e.getMessage());
            ctx.response().putHeader("Retry-After", "1");
            json(ctx, 503, error("the gateway could not store the message now (" + e.getMessage() + "); nothing was "
                    + "queued, send it again later", null).put("reason", "busy"));
        } else if (StoreErrors.isRefusedData(e)) {
            // The database refused a value of the request (too long for an index, out of range): the same
            // request can never succeed, so not a 503, and not the database's own wording either.
            log.warn("{} {} refused by the store: {}", ctx.request().method(), ctx.request().path(), e.toString());
            json(ctx, 400, error("a value of this request cannot be stored (too long or out of range)", null));
        } else {
            log.error("{} {} failed", ctx.request().method(), ctx.request().path(), e);
            // Not e.getMessage(): during a database outage that is the pool's internal status text.
            json(ctx, 503, error("the gateway could not complete the request; try again later", null)
                    .put("reason", e.getClass().getSimpleName()));
        }
    }

    private static JsonObject error(String message, String field) {
        JsonObject o = new JsonObject().put("error", message);
        if (field != null) {
            o.put("field", field);
        }
        return o;
    }

    /**
     * {@code POST /api/v1/messages}, on the event loop: the request is checked at once (nothing here blocks), the
     * message joins the next group commit of single sends, and the answer goes out once it is committed (on this
     * request's context), or says why it was not stored.
     */
    private void sendSingle(RoutingContext ctx) {
        Context context = vertx.getOrCreateContext();
        CompletableFuture<SendService.SingleSendResult> stored;
        try {
            RequestReader in = RequestReader.of(ctx);
            String to = in.requiredString("to");
            String content = in.requiredString("content");
            String sourceName = in.optionalString("source");
            Source source = Source.API;
            if (sourceName != null) {
                source = Source.fromName(sourceName).filter(s -> s != Source.CAMPAIGN).orElseThrow(() ->
                        ApiException.badRequest("source", "must be one of ui, api, program; got '" + sourceName + "'"));
            }
            stored = services.send().sendSingle(to, content, source, in.optionalDuration("validity"),
                    in.optionalString("defaultCountry"), in.optionalString("from"));
        } catch (RuntimeException e) {
            fail(ctx, e);
            return;
        }
        stored.whenComplete((r, e) -> context.runOnContext(v -> {
            if (e == null) {
                answerSingle(ctx, r);
            } else if (e.getCause() instanceof SQLException sql && !StoreErrors.isRefusedData(sql)) {
                // The database did not take the batch (the committer logged it once for the batch): nothing of it
                // was stored, and the client is told to send it again.
                ctx.response().putHeader("Retry-After", "1");
                json(ctx, 503, error("the message was not stored: the database is unavailable; nothing was queued, "
                        + "send it again later", null).put("reason", sql.getClass().getSimpleName()));
            } else {
                fail(ctx, e);
            }
        }));
    }

    private static void answerSingle(RoutingContext ctx, SendService.SingleSendResult r) {
        JsonObject out = new JsonObject()
                .put("to", r.recipient())
                .put("from", r.sender())
                .put("country", r.country())
                .put("carrier", r.carrierId())
                .put("validityDeadline", JsonViews.iso(r.validityDeadline()));
        if (r.suppressed()) {
            // Listed in Single sends under "Suppressed" with this id.
            json(ctx, 200, out.put("status", "skipped").put("reason", "suppressed").put("skipped", 1)
                    .put("id", r.messageId()));
        } else {
            json(ctx, 202, out.put("status", "queued").put("id", r.messageId()).put("skipped", 0));
        }
    }

    private static final java.util.regex.Pattern CODE = java.util.regex.Pattern.compile(
            "[A-Za-z0-9_-]{" + LinkStore.CODE_LENGTH + "}");

    /** A short link: records the click (time, user agent) and answers 302 to the original URL; 404 if unknown. */
    private void redirect(RoutingContext ctx) throws Exception {
        String code = ctx.pathParam("code");
        java.util.Optional<LinkStore.Target> t = !CODE.matcher(code).matches()
                ? java.util.Optional.empty()
                : services.links().click(code, ctx.request().getHeader("User-Agent"));
        if (t.isEmpty()) {
            ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("This link does not exist.\n");
            return;
        }
        ctx.response().setStatusCode(302).putHeader("Location", RedirectLocation.of(t.get().url()))
                .putHeader("Cache-Control", "no-store").end();
    }

    private void getMessage(RoutingContext ctx) throws Exception {
        long id = RequestReader.pathId(ctx, "id");
        json(ctx, 200, JsonViews.message(services.messages().find(id)
                .orElseThrow(() -> ApiException.notFound("message " + id)), services.messages().parts(id)));
    }

    private void createCampaign(RoutingContext ctx) throws Exception {
        RequestReader in = RequestReader.of(ctx);
        String name = in.requiredString("name");
        String content = in.requiredString("content");
        String createdBy = in.requiredString("createdBy");
        Boolean tracking = in.optionalBoolean("linkTracking");
        String from = campaignSender(in);
        Campaign c = services.campaigns().create(name, content, createdBy, tracking != null && tracking, from);
        ctx.response().putHeader("Location", "/api/v1/campaigns/" + c.id());
        json(ctx, 201, campaignJson(c));
    }

    /** A campaign's {@code from}, checked for its form (carriers are checked at each send); null when not given. */
    private String campaignSender(RequestReader in) {
        String from = in.optionalString("from");
        return from == null ? null : services.send().sender(from).text();
    }

    private JsonObject campaignJson(Campaign c) {
        return JsonViews.campaign(c, campaignFrom(c));
    }

    /** Whom the campaign's next send goes out from: its own sender, else {@code send.default_sender}. */
    private String campaignFrom(Campaign c) {
        return c.sender() != null ? c.sender() : services.send().sender(null).text();
    }

    private static final List<String> FORMATS = List.of("json", "csv");
    private static final List<String> ORDERS = List.of("asc", "desc");

    private static boolean csv(RoutingContext ctx) {
        return "csv".equals(RequestReader.queryChoice(ctx, "format", FORMATS));
    }

    /** The campaign list: figures per campaign, sortable, paged, searchable by name; {@code format=csv} for all. */
    private void listCampaigns(RoutingContext ctx) throws Exception {
        String search = RequestReader.queryText(ctx, "search", 200);
        String sortKey = ctx.request().getParam("sort");
        CampaignSort sort = sortKey == null ? CampaignSort.LAST_SENT : CampaignSort.fromKey(sortKey).orElseThrow(() ->
                ApiException.badRequest("sort", "must be one of " + CampaignSort.keys() + "; got '" + sortKey + "'"));
        String order = RequestReader.queryChoice(ctx, "order", ORDERS);
        boolean desc = order == null ? sort != CampaignSort.NAME && sort != CampaignSort.LAST_MODIFIED_BY
                : order.equals("desc");
        int limit = RequestReader.queryInt(ctx, "limit", 50, 1, 500);
        int offset = RequestReader.queryInt(ctx, "offset", 0, 0, 10_000_000);
        if (csv(ctx)) {
            CsvStream out = CsvStream.start(ctx, "campaigns.csv", "id", "name", "last_modified_by", "sent",
                    "delivered", "total_clicks", "unique_clicks", "last_sent_at", "link_tracking", "delivery_rate");
            services.reports().streamCampaigns(search, sort, desc, c -> out.row(c.id(), c.name(), c.lastModifiedBy(),
                    c.sent(), c.delivered(), c.totalClicks(), c.uniqueClicks(), c.lastSentAt(), c.linkTracking(),
                    JsonViews.rate(c.delivered(), c.sent())));
            out.end();
            return;
        }
        JsonArray items = new JsonArray();
        services.reports().campaigns(search, sort, desc, limit, offset)
                .forEach(c -> items.add(JsonViews.campaignSummary(c)));
        json(ctx, 200, freshness(new JsonObject().put("items", items)
                .put("total", services.reports().campaignCount(search)).put("limit", limit).put("offset", offset)
                .put("sort", sort.key()).put("order", desc ? "desc" : "asc")));
    }

    private void getCampaign(RoutingContext ctx) throws Exception {
        long id = RequestReader.pathId(ctx, "id");
        json(ctx, 200, campaignJson(services.campaigns().find(id)
                .orElseThrow(() -> ApiException.notFound("campaign " + id))));
    }

    private void updateCampaign(RoutingContext ctx) throws Exception {
        long id = RequestReader.pathId(ctx, "id");
        RequestReader in = RequestReader.of(ctx);
        String modifiedBy = in.requiredString("modifiedBy");
        String name = in.optionalString("name");
        String content = in.optionalString("content");
        if (name != null && name.isBlank()) {
            throw ApiException.badRequest("name", "must not be empty");
        }
        if (content != null && content.isEmpty()) {
            throw ApiException.badRequest("content", "must not be empty");
        }
        Campaign c = services.campaigns().update(id, name, content, in.optionalBoolean("linkTracking"),
                campaignSender(in), modifiedBy).orElseThrow(() -> ApiException.notFound("campaign " + id));
        json(ctx, 200, campaignJson(c));
    }

    private void sendCampaign(RoutingContext ctx) throws Exception {
        long id = RequestReader.pathId(ctx, "id");
        RequestReader in = RequestReader.of(ctx);
        List<String> contacts = in.requiredStringList("contacts");
        String sentBy = in.requiredString("sentBy");
        SendService.CampaignSendResult r = services.send()
                .sendCampaign(id, contacts, sentBy, in.optionalDuration("validity"), in.optionalString("defaultCountry"))
                .orElseThrow(() -> ApiException.notFound("campaign " + id));
        json(ctx, 202, new JsonObject()
                .put("sendId", r.send().id())
                .put("campaignId", id)
                .put("from", r.sender())
                .put("requested", r.send().requested())
                .put("queued", r.send().queued())
                .put("skipped", r.send().skippedSuppressed())
                .put("duplicates", r.send().duplicates())
                .put("invalid", r.send().rejected())
                .put("suppressed", new JsonArray(r.suppressedNumbers()))
                .put("invalidNumbers", JsonViews.refusedNumbers(r.invalid())));
        services.events().queued(id, r.send().queued());
    }

    private void report(RoutingContext ctx) throws Exception {
        long id = RequestReader.pathId(ctx, "id");
        Campaign c = services.campaigns().find(id).orElseThrow(() -> ApiException.notFound("campaign " + id));
        var counts = services.reports().tabCounts(id);
        long sent = counts.values().stream().mapToLong(Long::longValue).sum();
        JsonObject out = new JsonObject().put("campaignId", id)
                .put("name", c.name())
                .put("lastModifiedBy", c.lastModifiedBy())
                .put("lastSentAt", JsonViews.iso(c.lastSentAt()))
                .put("linkTracking", c.linkTracking())
                .put("from", campaignFrom(c))
                .put("sent", sent)
                .put("uniqueSends", services.reports().uniqueRecipients(id))
                .put("sends", services.reports().sendCount(id))
                .put("optOuts", services.replies().optOuts(id))
                .put("tabs", JsonViews.tabCounts(counts))
                .put("parts", JsonViews.partFigures(services.reports().partFigures(id)))
                .put("rates", JsonViews.tabRates(counts, sent))
                .put("deliveryRate", JsonViews.rate(counts.get(Tab.DELIVERED), sent))
                .put("sentContent", sentContent(c, services.reports().lastSentContent(id)));
        JsonArray audienceBySend = new JsonArray();
        out.put("audience", JsonViews.audience(services.campaigns().sends(id), audienceBySend))
                .put("audienceBySend", audienceBySend);
        JsonArray links = new JsonArray();
        long total = 0;
        long unique = 0;
        for (LinkStore.LinkStats l : services.links().stats(id)) {
            links.add(JsonViews.link(l));
            total += l.totalClicks();
            unique += l.uniqueClicks();
        }
        out.put("links", links).put("totalClicks", total).put("uniqueClicks", unique);
        json(ctx, 200, freshness(out));
    }

    /**
     * Adds where the report was read and how far behind ({@link JsonViews#freshness}): with a read replica
     * ({@code database.read_url}) a report may miss the last seconds of writes, and the UI says so.
     */
    private JsonObject freshness(JsonObject report) {
        return report.put("freshness", JsonViews.freshness(services.reports().freshness()));
    }

    /** What was sent; with link tracking on, each recipient's own short-link code is masked (a click is theirs). */
    private static String sentContent(Campaign c, String sent) {
        return sent != null && c.linkTracking() ? LinkRewriter.withoutCodes(sent) : sent;
    }

    /** The campaign's five tabs over time since its first send, in buckets of {@code bucket} (or a round width). */
    private void timeline(RoutingContext ctx) throws Exception {
        long id = RequestReader.pathId(ctx, "id");
        Duration asked = RequestReader.queryDuration(ctx, "bucket");
        services.campaigns().find(id).orElseThrow(() -> ApiException.notFound("campaign " + id));
        Instant start = services.reports().firstSentAt(id);
        if (start == null) {
            json(ctx, 200, JsonViews.timeline(id, new TabTimeline(null, asked == null ? Duration.ofSeconds(1) : asked,
                    List.of())));
            return;
        }
        Duration span = Duration.between(start, services.clock().instant());
        Duration bucket = asked == null ? TimelineBuckets.auto(span) : asked;
        TimelineBuckets.refusal(span, bucket).ifPresent(why -> {
            throw ApiException.badRequest("bucket", why);
        });
        json(ctx, 200, freshness(JsonViews.timeline(id, services.reports().timeline(id, start, bucket,
                (int) TimelineBuckets.count(span, bucket)))));
    }

    private static Tab tabParam(RoutingContext ctx) {
        String slug = ctx.pathParam("tab");
        return Tab.fromSlug(slug).filter(t -> t.slug().equals(slug)).orElseThrow(() -> ApiException.badRequest("tab",
                "must be one of delivered, pending, soft-bounces, hard-bounces, deleted; got '" + slug + "'"));
    }

    private void reportTab(RoutingContext ctx) throws Exception {
        long id = RequestReader.pathId(ctx, "id");
        Tab tab = tabParam(ctx);
        int limit = RequestReader.queryInt(ctx, "limit", 100, 1, 1000);
        long after = RequestReader.queryLong(ctx, "after", 0);
        String number = RequestReader.queryNumberPart(ctx, "number");
        boolean csv = csv(ctx);
        services.campaigns().find(id).orElseThrow(() -> ApiException.notFound("campaign " + id));
        // Whether each failure counts toward suppression, and the rule that says why one did not.
        SuppressionSettings.Values rules = services.suppressionSettings().get();
        if (csv) {
            CsvStream out = CsvStream.start(ctx, "campaign-" + id + "-" + tab.slug() + ".csv", "number", "country",
                    "tab", "stat", "error", "error_class", "cause", "sent_at", "final_at", "message_id", "carrier",
                    "counts_toward_suppression", "sender");
            services.reports().streamTab(id, tab, number, r -> out.row(r.recipient(), r.country(), r.tab().slug(),
                    r.stat(), r.error(), r.errorClass(), r.cause(), r.sentAt(), r.finalAt(), r.messageId(),
                    r.carrier(), rules.countsTowardSuppression(r.tab(), r.errorClass(), r.cause()), r.sender()));
            out.end();
            return;
        }
        List<ContactRow> rows = services.reports().tabPage(id, tab, number, after, limit);
        JsonArray items = new JsonArray();
        rows.forEach(row -> items.add(JsonViews.contact(row, rules)));
        JsonObject out = new JsonObject().put("campaignId", id).put("tab", tab.slug()).put("items", items)
                .put("limit", limit).put("total", services.reports().tabTotal(id, tab, number))
                .put("suppressionRule", rules.rule());
        if (rows.size() == limit) {
            out.put("next", "/api/v1/campaigns/" + id + "/report/" + tab.slug() + "?after="
                    + rows.get(rows.size() - 1).messageId() + "&limit=" + limit
                    + (number == null ? "" : "&number=" + java.net.URLEncoder.encode(number,
                    java.nio.charset.StandardCharsets.UTF_8)));
        }
        json(ctx, 200, freshness(out));
    }

    private static final List<String> SINGLE_SOURCES = List.of("ui", "api", "program");

    /** Single sends, newest first: filter by tab, source, date range and number; {@code format=csv} for all. */
    private void singleSends(RoutingContext ctx) throws Exception {
        String tab = ctx.request().getParam("tab");
        if (tab != null && !tab.equals(SingleSendRow.SUPPRESSED) && Tab.fromSlug(tab).filter(t -> t.slug().equals(tab))
                .isEmpty()) {
            throw ApiException.badRequest("tab", "must be one of delivered, pending, soft-bounces, hard-bounces, "
                    + "deleted, suppressed; got '" + tab + "'");
        }
        String sourceName = RequestReader.queryChoice(ctx, "source", SINGLE_SOURCES);
        Source source = sourceName == null ? null : Source.fromName(sourceName).orElseThrow();
        java.time.Instant from = RequestReader.queryInstant(ctx, "from", false);
        java.time.Instant to = RequestReader.queryInstant(ctx, "to", true);
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiException.badRequest("to", "must be after from");
        }
        String number = RequestReader.queryNumberPart(ctx, "number");
        int limit = RequestReader.queryInt(ctx, "limit", 50, 1, 500);
        long before = RequestReader.queryLong(ctx, "before", 0);
        if (before != 0 && !services.reports().isSingleSend(before)) {
            // A cursor is the id of the last single send of the page before; any other id is a client's mistake.
            throw ApiException.badRequest("before", "no single send has id " + before
                    + " (use the 'next' link of the page before)");
        }
        ReportQueries.SingleSendFilter f = new ReportQueries.SingleSendFilter(tab, source, from, to, number);
        if (csv(ctx)) {
            CsvStream out = CsvStream.start(ctx, "single-sends.csv", "id", "number", "country", "created_at",
                    "sent_at", "content_start", "tab", "stat", "source", "sender");
            services.reports().streamSingleSends(f, r -> out.row(r.id(), r.recipient(), r.country(), r.createdAt(),
                    r.sentAt(), r.contentStart(), r.tabSlug(), r.stat(), r.source().dbName(), r.sender()));
            out.end();
            return;
        }
        List<SingleSendRow> rows = services.reports().singleSends(f, before == 0 ? null : before, limit);
        JsonArray items = new JsonArray();
        rows.forEach(row -> items.add(JsonViews.singleSend(row)));
        JsonObject out = new JsonObject().put("items", items).put("limit", limit);
        if (rows.size() == limit) {
            out.put("next", nextLink(ctx, "before", String.valueOf(rows.get(rows.size() - 1).id())));
        }
        json(ctx, 200, freshness(out));
    }

    /** The link of the next page: this request's path and query with the cursor parameter set to {@code cursor}. */
    static String nextLink(RoutingContext ctx, String cursorParam, String cursor) {
        io.vertx.core.MultiMap q = io.vertx.core.MultiMap.caseInsensitiveMultiMap().addAll(ctx.queryParams());
        q.set(cursorParam, cursor);
        StringBuilder next = new StringBuilder(ctx.request().path()).append('?');
        q.forEach(e -> next.append(java.net.URLEncoder.encode(e.getKey(), java.nio.charset.StandardCharsets.UTF_8))
                .append('=').append(java.net.URLEncoder.encode(e.getValue(), java.nio.charset.StandardCharsets.UTF_8))
                .append('&'));
        next.setLength(next.length() - 1);
        return next.toString();
    }

    /** One single send with its full content, for the preview: a message, or a send skipped as suppressed. */
    private void singleSend(RoutingContext ctx) throws Exception {
        long id = RequestReader.pathId(ctx, "id");
        java.util.Optional<MessageView> m = services.messages().find(id).filter(v -> v.campaignId() == null);
        if (m.isPresent()) {
            json(ctx, 200, JsonViews.message(m.get(), services.messages().parts(id)).put("number",
                    m.get().recipient()));
            return;
        }
        json(ctx, 200, JsonViews.skippedSingleSend(services.reports().skippedSingleSend(id)
                .orElseThrow(() -> ApiException.notFound("single send " + id))));
    }

    // ------------------------------------------------------------------ settings and suppressions (admin)

    private void getSettings(RoutingContext ctx) throws Exception {
        SuppressionSettingsApi.get(ctx, services.suppressionSettings());
    }

    private void putSettings(RoutingContext ctx) throws Exception {
        SuppressionSettingsApi.put(ctx, services.suppressionSettings());
    }

    private void listSuppressions(RoutingContext ctx) throws Exception {
        SuppressedListApi.list(ctx, services.reports(), csv(ctx));
    }

    private void addSuppression(RoutingContext ctx) throws Exception {
        RequestReader in = RequestReader.of(ctx);
        String raw = in.requiredString("number");
        String reason = in.optionalString("reason");
        String e164;
        try {
            e164 = io.dlrgate.gateway.send.PhoneNumbers.normalise(raw).e164();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("number", e.getMessage());
        }
        Access.Principal p = ctx.get(Access.PRINCIPAL);
        boolean added = services.suppressions().add(e164, reason == null || reason.isBlank() ? "manual" : reason,
                p.name());
        json(ctx, added ? 201 : 200, new JsonObject().put("number", e164).put("added", added));
    }

    private void removeSuppression(RoutingContext ctx) throws Exception {
        String raw = ctx.pathParam("number");
        String e164;
        try {
            e164 = io.dlrgate.gateway.send.PhoneNumbers.normalise(raw).e164();
        } catch (IllegalArgumentException e) {
            // An invalid contact counted toward suppression (countInvalidNumbers) is listed as it was written.
            if (services.suppressions().remove(raw.trim())) {
                json(ctx, 200, new JsonObject().put("number", raw.trim()).put("removed", true));
                return;
            }
            throw ApiException.badRequest("number", e.getMessage());
        }
        if (!services.suppressions().remove(e164)) {
            throw ApiException.notFound("suppressed number " + e164);
        }
        json(ctx, 200, new JsonObject().put("number", e164).put("removed", true));
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    @Override
    public void close() {
        access.sessions().close();
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }
}
