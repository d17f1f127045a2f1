package io.dlrgate.gateway.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.testing.GatewayHarness;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/webhooks} with the defaults: https only, no private targets; admin only. */
class WebhooksApiTest {

    static GatewayHarness gw;

    @BeforeAll
    static void up() throws Exception {
        gw = GatewayHarness.start("""
                carriers:
                  - id: acme
                    system_id: acme
                    password: acme-pw
                    prefixes: ["+44"]
                auth:
                  users:
                    - name: vera
                      password: vera-password-1
                      role: viewer
                """);
    }

    @AfterAll
    static void down() {
        gw.close();
    }

    /** Created disabled: nothing is ever sent to these addresses (only 127.0.0.1 may be a test's target). */
    static HttpResponse<String> create(String url) throws Exception {
        return gw.post("/api/v1/webhooks", new JsonObject().put("url", url).put("enabled", false)
                .put("events", new io.vertx.core.json.JsonArray().add("message.final")).encode());
    }

    @Test
    void targetsInsideTheOperatorsNetworkAreRefused() throws Exception {
        for (String url : new String[] {"https://127.0.0.1/hook", "https://localhost:8443/hook",
                "https://10.0.0.7/hook", "https://169.254.169.254/latest"}) {
            HttpResponse<String> r = create(url);
            assertEquals(400, r.statusCode(), url + ": " + r.body());
            assertEquals("url", new JsonObject(r.body()).getString("field"));
            assertTrue(r.body().contains("allow_private"), r.body());
        }
    }

    @Test
    void plainHttpIsRefusedByDefault() throws Exception {
        HttpResponse<String> r = create("http://93.184.216.34/hook");
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("https"), r.body());
    }

    @Test
    void anEndpointIsCreatedWithAGeneratedSecretShownOnce() throws Exception {
        HttpResponse<String> r = create("https://93.184.216.34/hook");
        assertEquals(201, r.statusCode(), r.body());
        JsonObject e = new JsonObject(r.body());
        assertTrue(e.getString("secret").startsWith("whsec_"), r.body());
        JsonObject listed = new JsonObject(gw.get("/api/v1/webhooks").body());
        assertTrue(listed.getJsonArray("items").stream().map(JsonObject.class::cast)
                .noneMatch(o -> o.containsKey("secret")), listed.encode());
        assertEquals(false, e.getBoolean("enabled"));
        assertEquals(200, gw.put("/api/v1/webhooks/" + e.getLong("id"), "{\"events\": [\"number.suppressed\"]}")
                .statusCode());
        assertEquals("[\"number.suppressed\"]", new JsonObject(gw.get("/api/v1/webhooks/" + e.getLong("id")).body())
                .getJsonArray("events").encode());
        assertEquals(200, gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/v1/webhooks/"
                + e.getLong("id"))).header("Authorization", "Bearer " + GatewayHarness.API_KEY).DELETE())
                .statusCode());
        assertEquals(404, gw.get("/api/v1/webhooks/" + e.getLong("id")).statusCode());
    }

    @Test
    void unknownEventTypesAndShortSecretsAreNamed() throws Exception {
        HttpResponse<String> r = gw.post("/api/v1/webhooks", "{\"url\": \"https://93.184.216.34/h\", "
                + "\"enabled\": false, \"events\": [\"message.final\", \"message.lost\"]}");
        assertEquals(400, r.statusCode());
        assertEquals("events[1]", new JsonObject(r.body()).getString("field"));
        r = gw.post("/api/v1/webhooks", "{\"url\": \"https://93.184.216.34/h\", \"events\": [\"message.final\"], "
                + "\"secret\": \"short\", \"enabled\": false}");
        assertEquals(400, r.statusCode());
        assertEquals("secret", new JsonObject(r.body()).getString("field"));
    }

    @Test
    void aViewerMayNotSeeOrManageWebhooks() throws Exception {
        String basic = java.util.Base64.getEncoder().encodeToString("vera:vera-password-1".getBytes());
        HttpResponse<String> r = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/v1/webhooks"))
                .header("Authorization", "Basic " + basic).GET());
        assertEquals(403, r.statusCode());
    }
}
