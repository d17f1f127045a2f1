package io.dlrgate.gateway.http;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Logging in and using the session cookie over real HTTP, as the web UI does. */
public final class Logins {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * A gateway config with the users ada (admin, admin-pass) and vic (viewer, viewer-pass) and one carrier.
     *
     * @param authKeys more {@code auth:} keys, each line indented by two spaces, or ""
     */
    static String config(String authKeys) {
        return "auth:\n" + authKeys + """
                  users:
                    - {name: ada, password: admin-pass, role: admin}
                    - {name: vic, password: viewer-pass, role: viewer}
                carriers:
                  - {id: acme, system_id: acme, password: acme-pw, prefixes: ["+44"]}
                """;
    }

    private Logins() {
    }

    static HttpResponse<String> login(String baseUrl, String name, String password) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/login"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body(name, password))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code dlrgate_session=...} from a successful login. */
    static String cookie(String baseUrl, String name, String password) throws Exception {
        HttpResponse<String> r = login(baseUrl, name, password);
        if (r.statusCode() != 200) {
            throw new AssertionError("login as " + name + " answered " + r.statusCode() + ": " + r.body());
        }
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    /** {@code GET /api/v1/me} on the cookie. */
    static HttpResponse<String> me(String baseUrl, String cookie) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/me")).header("Cookie", cookie)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> logout(String baseUrl, String cookie) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/logout")).header("Cookie", cookie)
                .header("X-Requested-With", "dlrgate").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A login sent from another loopback address (e.g. {@code 127.0.0.2}: all of 127/8 is loopback on Linux) to the
     * gateway at 127.0.0.1; the status code of the answer.
     */
    public static int loginFrom(String sourceAddress, int port, String name, String password) throws Exception {
        byte[] body = body(name, password).getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(sourceAddress, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json"
                    + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream statusLine = new ByteArrayOutputStream();
            for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                statusLine.write(c);
            }
            return Integer.parseInt(statusLine.toString(StandardCharsets.US_ASCII).split(" ")[1]); // HTTP/1.1 200 OK
        }
    }

    private static String body(String name, String password) {
        return new JsonObject().put("name", name).put("password", password).encode();
    }
}
