package io.dlrgate.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.testing.GatewayHarness;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway that refuses the bind (wrong password, unknown system_id) or is not there at all ends the run with
 * one line naming the reason and exit code 3, instead of binding again and again until --max-seconds.
 */
class UnusableGatewayTest {
    static GatewayHarness gw;

    @BeforeAll
    static void startGateway() throws Exception {
        gw = GatewayHarness.start("carriers:\n  - id: alpha\n    system_id: alpha\n    password: alpha-pw\n"
                + "    prefixes: [\"+44\"]\n");
    }

    @AfterAll
    static void stopGateway() {
        gw.close();
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = SimCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static Path scenario(Path dir, String systemId, String password) throws Exception {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, "name: s\ncarriers:\n  - id: alpha\n    system_id: " + systemId + "\n    password: "
                + password + "\n    prefixes: [\"+44\"]\nrules:\n  - outcome: DELIVRD\n");
        return file;
    }

    private static void assertOneLine(Run r, String expected) {
        assertEquals(GatewayUnusable.EXIT, r.exit(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: ") && r.err().contains(expected), r.err());
    }

    @Test
    void runWithAWrongPasswordEndsWithOneLine(@TempDir Path dir) throws Exception {
        Run r = run("run", scenario(dir, "alpha", "wrong-pw").toString(), "--smpp-port",
                String.valueOf(gw.smppPort()), "--max-seconds", "30");
        assertOneLine(r, "refused system_id alpha");
    }

    @Test
    void runWithAnUnknownSystemIdEndsWithOneLine(@TempDir Path dir) throws Exception {
        Run r = run("run", scenario(dir, "nobody", "whatever").toString(), "--smpp-port",
                String.valueOf(gw.smppPort()), "--max-seconds", "30");
        assertOneLine(r, "refused system_id nobody");
    }

    @Test
    void carrierWithAWrongPasswordEndsWithOneLine() {
        Run r = run("carrier", "--port", String.valueOf(gw.smppPort()), "--system-id", "alpha", "--password",
                "wrong-pw", "--max-seconds", "30", "--stats-every", "0");
        assertOneLine(r, "refused system_id alpha");
    }

    @Test
    void runAgainstAPortNobodyListensOnEndsWithOneLine(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Run r = run("run", scenario(dir, "alpha", "alpha-pw").toString(), "--smpp-port", String.valueOf(port),
                "--max-seconds", "30");
        assertOneLine(r, "no gateway reachable at 127.0.0.1:" + port);
    }

    @Test
    void carrierAgainstAPortNobodyListensOnEndsWithOneLine() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Run r = run("carrier", "--port", String.valueOf(port), "--max-seconds", "30", "--stats-every", "0");
        assertOneLine(r, "no gateway reachable at 127.0.0.1:" + port);
    }
}
