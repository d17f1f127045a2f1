package io.dlrgate.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.testing.JvmProcess;
import io.dlrgate.reporting.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dlrgate demo} as a user runs it (the real command line, in a JVM of its own) on a config of its own
 * ({@code --config}, against the test database), settling and exiting by itself.
 */
class DemoCommandTest {

    static TestDatabase db;
    static String classPath;

    @TempDir
    Path dir;

    @BeforeAll
    static void database(@TempDir Path cp) throws Exception {
        db = TestDatabase.create();
        classPath = JvmProcess.snapshotClassPath(cp);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    /** The demo's three prefixes, one carrier each, on free ports, with the API key in the file. */
    Path config() throws Exception {
        Path file = dir.resolve("demo.yaml");
        Files.writeString(file, "smpp:\n  host: 127.0.0.1\n  port: 0\n"
                + "http:\n  host: 127.0.0.1\n  port: 0\n  api_key: demo-key-0123456789\n"
                + "database:\n  url: \"" + db.url() + "\"\n  pool_size: 4\n"
                + "carriers:\n"
                + "  - {id: alpha, system_id: alpha, password: a-pw, prefixes: [\"+44\"]}\n"
                + "  - {id: bravo, system_id: bravo, password: b-pw, prefixes: [\"+33\"]}\n"
                + "  - {id: charlie, system_id: charlie, password: c-pw, prefixes: [\"+1\"]}\n");
        return file;
    }

    /** Runs the demo to its end and returns its output. */
    String demoUntilSettled() throws Exception {
        try (JvmProcess p = JvmProcess.start(classPath, DlrgateMain.class, List.of("-Xmx256m"),
                List.of("demo", "--config", config().toString(), "--contacts", "30", "--exit-when-settled"),
                dir.resolve("demo.log"))) {
            assertEquals(0, ServeCommandTest.exitOf(p), p.tail(60));
            return ServeCommandTest.output(p);
        }
    }

    @Test
    void demoRunsOnTheConfigItIsGivenAndExitsWithoutPressCtrlC() throws Exception {
        String out = demoUntilSettled();
        assertTrue(out.contains("API key: from the config (http.api_key)"), "not the given config's key:\n" + out);
        assertTrue(out.contains("\"delivered\""), "no report printed:\n" + out);
        assertFalse(out.contains("Press Ctrl-C"), "a demo that exits by itself says Press Ctrl-C:\n" + out);
        assertFalse(ServeCommandTest.STACK_TRACE.matcher(out).find(), "a stack trace:\n" + out);
    }

    /**
     * The banner's last line names the web UI and the demo user's password, and that login works at once: a
     * report is read on its session. The second run on the same store prints a new password.
     */
    @Test
    void theBannerCredentialsLogIntoTheWebUi() throws Exception {
        Path config = config();
        String first = null;
        for (int run = 0; run < 2; run++) {
            try (JvmProcess p = JvmProcess.start(classPath, DlrgateMain.class, List.of("-Xmx256m"),
                    List.of("demo", "--config", config.toString(), "--contacts", "30"), dir.resolve("ui-" + run + ".log"))) {
                String line = p.awaitLine("Web UI: ", Duration.ofSeconds(90));
                Matcher m = Pattern.compile("Web UI: (http://127\\.0\\.0\\.1:\\d+)/  log in as demo / (\\S+)").matcher(line);
                assertTrue(m.matches(), "not the banner's web UI line: " + line);
                String base = m.group(1);
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/login"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                                "{\"name\":\"demo\",\"password\":\"" + m.group(2) + "\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, login.statusCode(), login.body());
                String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
                HttpResponse<String> campaigns = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/campaigns"))
                        .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, campaigns.statusCode(), campaigns.body());
                assertTrue(campaigns.body().contains("Winter sale"), campaigns.body());
                assertFalse(m.group(2).equals(first), "the rerun printed the same password");
                first = m.group(2);
            }
        }
    }
}
