package io.dlrgate.gateway.testing;

import io.dlrgate.config.ConfigLoader;
import io.dlrgate.config.GatewayConfig;
import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.reporting.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * A real gateway for tests: its own fresh PostgreSQL database, SMPP and HTTP on free loopback ports, a fixed
 * API key, and the carriers the test describes in YAML. Talk to it with {@link #post}/{@link #get} and bind
 * {@link TestCarrier}s to {@link #smppPort()}.
 */
public final class GatewayHarness implements AutoCloseable {

    public static final String API_KEY = "test-key-0123456789";

    private final TestDatabase db;
    private final Gateway gateway;
    private HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private GatewayHarness(TestDatabase db, Gateway gateway) {
        this.db = db;
        this.gateway = gateway;
    }

    /**
     * @param carriersYaml the {@code carriers:} list and any other top-level sections, as YAML; smpp, http and
     *                     database sections are supplied here
     */
    public static GatewayHarness start(String carriersYaml) throws Exception {
        return start(carriersYaml, "", Clock.systemUTC());
    }

    public static GatewayHarness start(String carriersYaml, String extraSmppYaml, Clock clock) throws Exception {
        return start(carriersYaml, extraSmppYaml, "", clock);
    }

    /** @param extraHttpYaml more keys of the {@code http:} section, each line indented by two spaces */
    public static GatewayHarness start(String carriersYaml, String extraSmppYaml, String extraHttpYaml, Clock clock)
            throws Exception {
        return start(carriersYaml, extraSmppYaml, extraHttpYaml, db -> "", clock);
    }

    /**
     * @param extraDatabaseYaml more keys of the {@code database:} section for the test's own database (such as a
     *                          read replica's URL of it), each line indented by two spaces
     */
    public static GatewayHarness start(String carriersYaml, String extraSmppYaml, String extraHttpYaml,
                                       java.util.function.Function<TestDatabase, String> extraDatabaseYaml,
                                       Clock clock) throws Exception {
        TestDatabase db = TestDatabase.create();
        String yaml = "smpp:\n  host: 127.0.0.1\n  port: 0\n" + extraSmppYaml
                + "http:\n  host: 127.0.0.1\n  port: 0\n  api_key: " + API_KEY + "\n" + extraHttpYaml
                + "database:\n  url: \"" + db.url() + "\"\n  pool_size: 8\n" + extraDatabaseYaml.apply(db)
                + carriersYaml;
        try {
            GatewayConfig config = ConfigLoader.fromYaml(yaml, "test.yaml", Map.of());
            return new GatewayHarness(db, Gateway.start(config, clock));
        } catch (Exception | Error e) {
            db.close();
            throw e;
        }
    }

    public Gateway gateway() {
        return gateway;
    }

    public TestDatabase db() {
        return db;
    }

    public int smppPort() {
        return gateway.smppPort();
    }

    public String baseUrl() {
        return gateway.httpScheme() + "://127.0.0.1:" + gateway.httpPort();
    }

    /** Sends the requests of {@link #send} and friends with this client (one that trusts a test CA, for HTTPS). */
    public GatewayHarness withClient(HttpClient client) {
        this.http = client;
        return this;
    }

    public HttpResponse<String> post(String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Authorization", "Bearer " + API_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /**
     * Sends a single message through the API ({@code validity}: an ISO-8601 duration, or null for the carrier's
     * default) and returns its id; fails unless the gateway took it (202).
     */
    public long sendSingle(String to, String content, String validity) throws Exception {
        io.vertx.core.json.JsonObject body = new io.vertx.core.json.JsonObject().put("to", to).put("content", content);
        if (validity != null) {
            body.put("validity", validity);
        }
        HttpResponse<String> r = post("/api/v1/messages", body.encode());
        if (r.statusCode() != 202) {
            throw new AssertionError("POST /api/v1/messages answered " + r.statusCode() + ": " + r.body());
        }
        return new io.vertx.core.json.JsonObject(r.body()).getLong("id");
    }

    public HttpResponse<String> put(String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Authorization", "Bearer " + API_KEY)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Authorization", "Bearer " + API_KEY).GET());
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends "hello" to the number through the API and waits (up to 30 s) until a carrier accepted it: a message that
     * went to the number, for what replies are linked to.
     *
     * @return the message's id
     */
    public long sendAndAwaitSubmitted(String to) throws Exception {
        HttpResponse<String> r = post("/api/v1/messages", "{\"to\": \"" + to + "\", \"content\": \"hello\"}");
        if (r.statusCode() != 202) {
            throw new AssertionError("send to " + to + " answered " + r.statusCode() + ": " + r.body());
        }
        long id = new io.vertx.core.json.JsonObject(r.body()).getLong("id");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (count("select count(*) from messages where id = " + id + " and dispatch_state = 'submitted'") != 1) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("message " + id + " to " + to + " not submitted within 30 s");
            }
            Thread.sleep(20);
        }
        return id;
    }

    /** A single number from a SQL query against the gateway's store. */
    public long count(String sql) throws Exception {
        return db.count(sql);
    }

    @Override
    public void close() {
        try {
            gateway.close();
        } finally {
            db.close();
        }
    }
}
