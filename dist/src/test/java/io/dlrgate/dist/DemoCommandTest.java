package io.dlrgate.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.testing.JvmProcess;
import io.dlrgate.reporting.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
}
