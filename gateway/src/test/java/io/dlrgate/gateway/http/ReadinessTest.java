package io.dlrgate.gateway.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.ConfigLoader;
import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.gateway.testing.TcpProxy;
import io.dlrgate.reporting.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /ready} follows the database and the SMPP listener while {@code /health} (liveness) stays up; during a
 * database outage API errors say what happened in a few words, never in the pool's own status text.
 */
class ReadinessTest {

    static final String API_KEY = "ready-key-0123456789";

    TestDatabase db;
    TcpProxy proxy;
    Gateway gateway;
    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void tearDown() {
        if (gateway != null) {
            gateway.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (db != null) {
            db.close();
        }
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort() + path))
                .header("Authorization", "Bearer " + API_KEY).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readyFollowsTheDatabaseAndTheSmppListenerAndOutageErrorsLeakNoPoolText() throws Exception {
        db = TestDatabase.create();
        proxy = TcpProxy.inFrontOf(db.url());
        gateway = Gateway.start(ConfigLoader.fromYaml("smpp:\n  host: 127.0.0.1\n  port: 0\n"
                + "http:\n  host: 127.0.0.1\n  port: 0\n  api_key: " + API_KEY + "\n"
                + "database:\n  url: \"" + proxy.jdbcUrl(db.url()) + "\"\n  pool_size: 4\n"
                + "carriers:\n  - {id: acme, system_id: acme, password: acme-pw, prefixes: [\"+44\"]}\n",
                "ready.yaml", Map.of()), Clock.systemUTC());
        assertEquals(200, get("/ready").statusCode());

        proxy.cut();
        HttpResponse<String> notReady = get("/ready");
        assertEquals(503, notReady.statusCode(), notReady.body());
        assertTrue(new JsonObject(notReady.body()).getString("reason").contains("database"), notReady.body());
        assertEquals(200, get("/health").statusCode(), "liveness does not depend on the database");
        HttpResponse<String> api = get("/api/v1/campaigns");
        assertEquals(503, api.statusCode(), api.body());
        System.out.println("an API request during the outage: " + api.body());
        JsonObject error = new JsonObject(api.body());
        assertEquals("the gateway could not complete the request; try again later", error.getString("error"));
        assertTrue(error.getString("reason").matches("[A-Za-z]+Exception"), api.body());
        assertFalse(api.body().contains("dlrgate-store") || api.body().contains("total="),
                "the pool's own text leaked: " + api.body());

        proxy.restore();
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/ready").statusCode() == 200);

        gateway.smpp().stop();
        HttpResponse<String> noListener = get("/ready");
        assertEquals(503, noListener.statusCode(), noListener.body());
        assertTrue(new JsonObject(noListener.body()).getString("reason").contains("SMPP"), noListener.body());
    }
}
