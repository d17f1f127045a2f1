package io.dlrgate.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.testing.JvmProcess;
import io.dlrgate.reporting.testing.TestDatabase;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dlrgate serve} as a user runs it (the real command line, in a JVM of its own): a taken port is one
 * line and exit 3, a config without carriers is refused with exit 2, and a SIGTERM stops it without a stack trace.
 */
class ServeCommandTest {

    /** A line of a Java stack trace, or the start of a cause. */
    static final Pattern STACK_TRACE = Pattern.compile("(?m)^(\\tat |Caused by: )");
    static TestDatabase db;
    static String classPath;

    @TempDir
    Path dir;
    final List<JvmProcess> processes = new ArrayList<>();

    @BeforeAll
    static void database(@TempDir Path cp) throws Exception {
        db = TestDatabase.create();
        // Other builds may rewrite target/classes while this test runs; the JVMs run on a copy.
        classPath = JvmProcess.snapshotClassPath(cp);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @AfterEach
    void stopAll() {
        processes.forEach(JvmProcess::close);
    }

    Path config(int smppPort, int httpPort, String carriers) throws Exception {
        Path file = dir.resolve("dlrgate.yaml");
        Files.writeString(file, "smpp:\n  host: 127.0.0.1\n  port: " + smppPort + "\n"
                + "http:\n  host: 127.0.0.1\n  port: " + httpPort + "\n  api_key: serve-key-0123456789\n"
                + "database:\n  url: \"" + db.url() + "\"\n  pool_size: 4\n" + carriers);
        return file;
    }

    static final String ONE_CARRIER = "carriers:\n  - {id: acme, system_id: acme, password: acme-pw, prefixes: [\"+44\"]}\n";

    JvmProcess serve(Path config, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("serve", "--config", config.toString()));
        args.addAll(List.of(more));
        JvmProcess p = JvmProcess.start(classPath, DlrgateMain.class, List.of("-Xmx256m"), args,
                dir.resolve("serve-" + processes.size() + ".log"));
        processes.add(p);
        return p;
    }

    static int exitOf(JvmProcess p) throws Exception {
        assertTrue(p.process().waitFor(90, TimeUnit.SECONDS), "still running:\n" + p.tail(40));
        return p.process().exitValue();
    }

    static String output(JvmProcess p) {
        return p.tail(10_000);
    }

    void assertPortInUse(String listener, String key, String env, boolean smppTaken) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            JvmProcess p = serve(config(smppTaken ? port : 0, smppTaken ? 0 : port, ONE_CARRIER));
            assertEquals(3, exitOf(p), output(p));
            String out = output(p);
            String line = "dlrgate: " + listener + " port 127.0.0.1:" + port + " is in use (" + key + " / " + env + ")";
            assertTrue(out.lines().anyMatch(line::equals), "no line '" + line + "' in:\n" + out);
            assertFalse(STACK_TRACE.matcher(out).find(), "a stack trace:\n" + out);
        }
    }

    @Test
    void aTakenHttpPortIsOneLineAndExit3() throws Exception {
        assertPortInUse("HTTP", "http.port", "DLRGATE_HTTP_PORT", false);
    }

    @Test
    void aTakenSmppPortIsOneLineAndExit3() throws Exception {
        assertPortInUse("SMPP", "smpp.port", "DLRGATE_SMPP_PORT", true);
    }

    @Test
    void aConfigWithoutCarriersIsRefusedWithExit2UnlessAllowed() throws Exception {
        Path empty = dir.resolve("empty.yaml");
        Files.writeString(empty, "# nothing here\n");
        JvmProcess refused = serve(empty);
        assertEquals(2, exitOf(refused), output(refused));
        assertTrue(output(refused).contains("the configuration file is empty"), output(refused));
        assertFalse(STACK_TRACE.matcher(output(refused)).find(), output(refused));

        JvmProcess allowed = serve(config(0, 0, ""), "--allow-no-carriers");
        allowed.awaitLine("dlrgate ", Duration.ofSeconds(90)); // the banner: "dlrgate <version> is running"
        allowed.process().destroy();
        assertEquals(143, exitOf(allowed), output(allowed));
    }

    @Test
    void sigtermStopsWithoutAStackTrace() throws Exception {
        JvmProcess p = serve(config(0, 0, ONE_CARRIER));
        p.awaitLine("dlrgate ", Duration.ofSeconds(90));
        p.process().destroy(); // SIGTERM, as Ctrl-C's SIGINT: the shutdown hook runs
        exitOf(p);
        String out = output(p);
        assertTrue(out.contains("SMPP server stopped"), "the stop did not run:\n" + out);
        assertTrue(out.contains("web UI users: none yet; add one: ./dlrgate user add NAME --role admin"),
                "no hint how to add a user:\n" + out);
        assertFalse(STACK_TRACE.matcher(out).find(), "a stack trace:\n" + out);
    }
}
