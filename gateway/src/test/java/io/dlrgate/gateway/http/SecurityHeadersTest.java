package io.dlrgate.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.testing.GatewayHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Browser protections on every response, and a session cookie that is Secure whenever the user is on HTTPS. */
class SecurityHeadersTest {

    static final String USERS = """
            auth:
              users:
                - {name: ada, password: admin-pass, role: admin}
            carriers:
              - {id: alpha, system_id: alpha, password: alpha-pw, prefixes: ["+44"]}
            """;
    static GatewayHarness gw;
    static final HttpClient noRedirects = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void up() throws Exception {
        gw = GatewayHarness.start(USERS);
    }

    @AfterAll
    static void down() {
        gw.close();
    }

    static HttpResponse<String> anonymous(GatewayHarness g, String method, String path, String json)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(g.baseUrl() + path));
        b = json == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        return noRedirects.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyUiAndApiResponseCarriesThem() throws Exception {
        List<HttpResponse<String>> responses = List.of(
                anonymous(gw, "GET", "/", null),
                anonymous(gw, "GET", "/app.js", null),
                anonymous(gw, "GET", "/no-such-file", null),
                anonymous(gw, "GET", "/health", null),
                anonymous(gw, "GET", "/api/v1/campaigns", null),              // 401
                anonymous(gw, "GET", "/l/AAAAAAAAAAAAAAAAAAAAAA", null),      // 404
                anonymous(gw, "POST", "/api/v1/login", "{\"name\":\"ada\",\"password\":\"wrong-pass\"}"),
                gw.get("/api/v1/campaigns"),
                gw.get("/api/v1/nope"));
        for (HttpResponse<String> r : responses) {
            String what = r.request().method() + " " + r.uri().getPath() + " -> " + r.statusCode();
            assertEquals("default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
                    r.headers().firstValue("Content-Security-Policy").orElse(null), what);
            assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElse(null), what);
            assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null), what);
        }
        String page = responses.get(0).body();
        assertFalse(page.matches("(?s).*<script(?![^>]*\\bsrc=)[^>]*>.*"), "the UI has an inline script");
        assertFalse(page.matches("(?s).*\\son[a-z]+\\s*=.*"), "the UI has an inline event handler");
    }

    static String sessionCookie(GatewayHarness g, String forwardedProto) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(g.baseUrl() + "/api/v1/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"ada\",\"password\":\"admin-pass\"}"));
        if (forwardedProto != null) {
            b.header("X-Forwarded-Proto", forwardedProto);
        }
        HttpResponse<String> r = noRedirects.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(Access.COOKIE + "="))
                .findFirst().orElseThrow();
    }

    @Test
    void theSessionCookieIsSecureWhenTheUserIsOnHttps() throws Exception {
        assertFalse(sessionCookie(gw, null).contains("Secure"), "plain HTTP on an http base URL: not Secure");
        assertTrue(sessionCookie(gw, "https").contains("Secure"), "behind a TLS proxy that says so");
        try (GatewayHarness https = GatewayHarness.start(USERS, "",
                "  public_base_url: https://sms.example.com\n", Clock.systemUTC())) {
            assertTrue(sessionCookie(https, null).contains("Secure"), "public_base_url is https");
        }
    }
}
