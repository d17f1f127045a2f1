package io.dlrgate.gateway.ui;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A minimal W3C WebDriver client over Java's HttpClient, driving Debian's chromedriver and headless Chromium on
 * 127.0.0.1. Enough for the report UI test: navigate, find, click, type, read text, run a script, screenshot.
 */
final class WebDriver implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

    private final Process driver;
    private final Path profile;
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String session;

    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    WebDriver(Path logDir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.createDirectories(logDir);
        profile = Files.createTempDirectory("dlrgate-chromium-");
        driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
                .redirectErrorStream(true).redirectOutput(logDir.resolve("chromedriver.log").toFile()).start();
        base = "http://127.0.0.1:" + port;
        for (int i = 0; i < 100; i++) {
            try {
                if (call("GET", "/status", null).getJsonObject("value").getBoolean("ready", false)) {
                    break;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        JsonObject caps = new JsonObject().put("capabilities", new JsonObject().put("alwaysMatch", new JsonObject()
                .put("browserName", "chrome")
                .put("goog:chromeOptions", new JsonObject().put("binary", CHROMIUM.toString()).put("args", new JsonArray(List.of(
                        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                        "--window-size=1280,900", "--user-data-dir=" + profile))))));
        session = call("POST", "/session", caps).getJsonObject("value").getString("sessionId");
    }

    private JsonObject call(String method, String path, JsonObject body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.encode()));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonObject out = new JsonObject(r.body());
        if (r.statusCode() >= 400) {
            throw new WebDriverException(r.statusCode() + " " + out.getJsonObject("value").getString("error") + ": "
                    + out.getJsonObject("value").getString("message"));
        }
        return out;
    }

    static final class WebDriverException extends RuntimeException {
        WebDriverException(String m) {
            super(m);
        }
    }

    private String s(String path) {
        return "/session/" + session + path;
    }

    void open(String url) throws Exception {
        call("POST", s("/url"), new JsonObject().put("url", url));
    }

    /** The element matching the CSS selector, or null. */
    String find(String css) throws Exception {
        JsonArray found = call("POST", s("/elements"), new JsonObject().put("using", "css selector").put("value", css))
                .getJsonArray("value");
        return found.isEmpty() ? null : found.getJsonObject(0).getString(ELEMENT);
    }

    /** Waits (bounded) for an element to exist. */
    String await(String css, Duration limit) throws Exception {
        String[] id = new String[1];
        waitFor("element " + css, limit, () -> {
            try {
                id[0] = find(css);
                return id[0] != null;
            } catch (Exception e) {
                return false;
            }
        });
        return id[0];
    }

    void click(String css) throws Exception {
        call("POST", s("/element/" + await(css, Duration.ofSeconds(10)) + "/click"), new JsonObject());
    }

    void type(String css, String text) throws Exception {
        call("POST", s("/element/" + await(css, Duration.ofSeconds(10)) + "/value"), new JsonObject().put("text", text));
    }

    String text(String css) throws Exception {
        String id = find(css);
        return id == null ? null : call("GET", s("/element/" + id + "/text"), null).getString("value");
    }

    Object script(String js) throws Exception {
        return call("POST", s("/execute/sync"), new JsonObject().put("script", js).put("args", new JsonArray()))
                .getValue("value");
    }

    /** Waits (bounded) until the element's text equals {@code expected}; returns the last text seen. */
    String awaitText(String css, String expected, Duration limit) throws Exception {
        String[] last = new String[1];
        try {
            waitFor(css + " to read '" + expected + "'", limit, () -> {
                try {
                    last[0] = text(css);
                    return expected.equals(last[0]);
                } catch (Exception e) {
                    return false;
                }
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (last text: '" + last[0] + "')");
        }
        return last[0];
    }

    void screenshot(Path file) throws Exception {
        String png = call("GET", s("/screenshot"), null).getString("value");
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(png));
    }

    static void waitFor(String what, Duration limit, Supplier<Boolean> check) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        for (int i = 0; i < 10_000; i++) {
            if (check.get()) {
                return;
            }
            if (System.nanoTime() > end) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    @Override
    public void close() {
        try {
            if (session != null) {
                call("DELETE", s(""), null);
            }
        } catch (Exception e) {
            // the browser may already be gone
        }
        driver.destroy();
        try {
            if (!driver.waitFor(5, TimeUnit.SECONDS)) {
                driver.destroyForcibly();
            }
        } catch (InterruptedException e) {
            driver.destroyForcibly();
        }
        try (var walk = Files.walk(profile)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
