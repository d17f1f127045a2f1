package io.dlrgate.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.Role;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.reporting.user.UserStore;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Access: each role (and the API key, and nobody, and wrong credentials) against each kind of endpoint: reports,
 * sends, settings and suppressions, live events, public links and health, metrics. Denials are counted.
 */
class AccessTest {

    static GatewayHarness gw;
    static long campaign;
    static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void up() throws Exception {
        gw = GatewayHarness.start("""
                auth:
                  metrics: authenticated
                  users:
                    - {name: vic, password: viewer-pass, role: viewer}
                    - {name: sam, password: sender-pass, role: sender}
                    - {name: ada, password: admin-pass, role: admin}
                carriers:
                  - {id: acme, system_id: acme, password: acme-pw, prefixes: ["+44"]}
                """);
        campaign = new JsonObject(gw.post("/api/v1/campaigns", new JsonObject().put("name", "A").put("content", "hi")
                .put("createdBy", "t").encode()).body()).getLong("id");
    }

    @AfterAll
    static void down() {
        gw.close();
    }

    /** A request kind: method, path, body. */
    record Call(String kind, String method, String path, String body) {
    }

    static final List<Call> CALLS = List.of(
            new Call("report", "GET", "/api/v1/campaigns", null),
            new Call("report", "GET", "/api/v1/campaigns/CAMPAIGN/report", null),
            new Call("report", "GET", "/api/v1/campaigns/CAMPAIGN/report/pending?format=csv", null),
            new Call("report", "GET", "/api/v1/single-sends", null),
            new Call("report", "GET", "/api/v1/settings", null),
            new Call("send", "POST", "/api/v1/messages", "{\"to\":\"+447700900123\",\"content\":\"x\"}"),
            new Call("send", "POST", "/api/v1/campaigns", "{\"name\":\"n\",\"content\":\"c\",\"createdBy\":\"x\"}"),
            new Call("send", "POST", "/api/v1/campaigns/CAMPAIGN/sends", "{\"contacts\":[\"+447700900124\"],\"sentBy\":\"x\"}"),
            new Call("admin", "PUT", "/api/v1/settings", "{\"suppressHardBounces\":true}"),
            new Call("admin", "POST", "/api/v1/suppressions", "{\"number\":\"+447700900777\"}"));

    static HttpResponse<String> call(Call c, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.baseUrl()
                + c.path().replace("CAMPAIGN", String.valueOf(campaign)))).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        b.header("Content-Type", "application/json");
        b.method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(c.body()));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static boolean ok(int status) {
        return status >= 200 && status < 300;
    }

    @Test
    void eachRoleAgainstEachEndpointKind() throws Exception {
        Map<String, String> who = new LinkedHashMap<>();
        who.put("viewer", basic("vic", "viewer-pass"));
        who.put("sender", basic("sam", "sender-pass"));
        who.put("admin", basic("ada", "admin-pass"));
        who.put("apikey", "Bearer " + GatewayHarness.API_KEY);
        Map<String, List<String>> allowed = Map.of(
                "viewer", List.of("report"),
                "sender", List.of("report", "send"),
                "admin", List.of("report", "send", "admin"),
                "apikey", List.of("report", "send", "admin"));
        for (var w : who.entrySet()) {
            for (Call c : CALLS) {
                HttpResponse<String> r = call(c, w.getValue());
                String what = w.getKey() + " " + c.method() + " " + c.path() + " -> " + r.statusCode() + " " + r.body();
                if (allowed.get(w.getKey()).contains(c.kind())) {
                    assertTrue(ok(r.statusCode()), what);
                } else {
                    assertEquals(403, r.statusCode(), what);
                    assertTrue(new JsonObject(r.body()).getString("error").contains("needs the role"), what);
                }
            }
        }
    }

    /** Whoever holds the API key can always log into the web UI, as admin, so nobody is ever locked out. */
    @Test
    void theApiKeyLogsIntoTheWebUiAsAdmin() throws Exception {
        String cookie = Logins.cookie(gw.baseUrl(), "admin", GatewayHarness.API_KEY);
        JsonObject me = new JsonObject(Logins.me(gw.baseUrl(), cookie).body());
        assertEquals("admin", me.getString("name"), me.encode());
        assertEquals("admin", me.getString("role"), me.encode());
        HttpResponse<String> settings = http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/v1/settings"))
                .header("Cookie", cookie).header(Access.CSRF_HEADER, "dlrgate").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"suppressHardBounces\":true}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, settings.statusCode(), "an admin call on the key's session: " + settings.body());
        assertEquals(200, call(CALLS.get(0), basic("admin", GatewayHarness.API_KEY)).statusCode(), "Basic admin:key");
        assertEquals(401, Logins.login(gw.baseUrl(), "ada", GatewayHarness.API_KEY).statusCode(),
                "the key logs in as admin only");
    }

    /** A user kept in the store logs in (web UI and Basic) with its own password only, with its own role. */
    @Test
    void aStoredUserLogsInWithItsPasswordOnly() throws Exception {
        new UserStore(gw.gateway().database().dataSource(), Clock.systemUTC()).put("stella", Role.VIEWER, "stored-pass-1");
        assertEquals(401, Logins.login(gw.baseUrl(), "stella", "stored-pass-2").statusCode(), "a wrong password");
        String cookie = Logins.cookie(gw.baseUrl(), "stella", "stored-pass-1");
        JsonObject me = new JsonObject(Logins.me(gw.baseUrl(), cookie).body());
        assertEquals("stella", me.getString("name"), me.encode());
        assertEquals("viewer", me.getString("role"), me.encode());
        assertEquals(200, call(CALLS.get(0), basic("stella", "stored-pass-1")).statusCode(), "Basic");
        assertEquals(403, call(CALLS.get(CALLS.size() - 1), basic("stella", "stored-pass-1")).statusCode(), "a viewer");
    }

    /**
     * No credentials on every kind of call; each kind of wrong credentials once (they are refused before any route,
     * and each wrong one is answered late and counts toward the address's lockout: see LoginThrottleTest).
     */
    @Test
    void noOrWrongCredentialsAre401AndCounted() throws Exception {
        double before = denied("unauthorized");
        int n = 0;
        for (Call c : CALLS) {
            HttpResponse<String> r = call(c, null);
            assertEquals(401, r.statusCode(), c + " without credentials -> " + r.body());
            n++;
        }
        String[] wrong = {basic("vic", "wrong-pass"), basic("nobody", "viewer-pass"), "Bearer wrong-key", "Basic !!!",
                "Digest x"};
        for (int i = 0; i < wrong.length; i++) {
            Call c = CALLS.get(i % CALLS.size());
            HttpResponse<String> r = call(c, wrong[i]);
            assertEquals(401, r.statusCode(), c + " with " + wrong[i] + " -> " + r.body());
            n++;
        }
        assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/v1/events")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
        n++;
        assertEquals(before + n, denied("unauthorized"), 0.0);
    }

    @Test
    void forbiddenIsCounted() throws Exception {
        double before = denied("forbidden");
        assertEquals(403, call(CALLS.get(5), basic("vic", "viewer-pass")).statusCode());
        assertEquals(before + 1, denied("forbidden"), 0.0);
    }

    @Test
    void publicEndpointsAndMetrics() throws Exception {
        assertEquals(200, get("/health", null).statusCode());
        assertEquals(404, get("/l/AAAAAAAAAAAAAAAAAAAAAA", null).statusCode(), "short links need no credentials");
        assertEquals(200, get("/", null).statusCode(), "the UI page itself is public; its data is not");
        assertEquals(401, get("/metrics", null).statusCode(), "auth.metrics: authenticated");
        HttpResponse<String> m = get("/metrics", basic("vic", "viewer-pass"));
        assertEquals(200, m.statusCode());
        assertTrue(m.body().contains("dlrgate_http_access_denied_total"), m.body());
    }

    @Test
    void sessionCookieLoginAndCsrfHeader() throws Exception {
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/v1/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"sam\",\"password\":\"nope-nope\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, bad.statusCode());
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/v1/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"sam\",\"password\":\"sender-pass\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, login.statusCode(), login.body());
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie.toLowerCase().contains("httponly") && setCookie.contains("SameSite=Strict"), setCookie);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        HttpResponse<String> me = http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/v1/me"))
                .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("sender", new JsonObject(me.body()).getString("role"));
        String body = "{\"to\":\"+447700900125\",\"content\":\"x\"}";
        HttpResponse<String> noHeader = http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/v1/messages"))
                .header("Cookie", cookie).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, noHeader.statusCode(), "a cookie alone does not send: " + noHeader.body());
        HttpResponse<String> withHeader = http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/v1/messages"))
                .header("Cookie", cookie).header("X-Requested-With", "dlrgate").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, withHeader.statusCode(), withHeader.body());
        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/v1/me"))
                .header("Cookie", "dlrgate_session=forged").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, forged.statusCode());
    }

    static HttpResponse<String> get(String path, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.baseUrl() + path));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static double denied(String result) throws Exception {
        String body = get("/metrics", "Bearer " + GatewayHarness.API_KEY).body();
        for (String line : body.split("\n")) {
            if (line.startsWith("dlrgate_http_access_denied_total{") && line.contains("result=\"" + result + "\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
