package io.dlrgate.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The README's commands exist under the names it uses: serve, demo, sim (with its own subcommands); bench is a jar
 * of its own, which the help points to.
 */
class DlrgateMainTest {

    static String help(String... args) {
        CommandLine cl = DlrgateMain.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        int code = cl.execute(args);
        assertEquals(0, code, out.toString());
        return out.toString();
    }

    @Test
    void topLevelListsEveryCommand() {
        String h = help("--help");
        for (String c : new String[] {"serve", "demo", "sim"}) {
            assertTrue(h.contains("\n  " + c + " "), c + " missing from:\n" + h);
        }
        assertTrue(h.contains("./dlrgate bench --help"), "the benchmarks are not pointed to:\n" + h);
    }

    @Test
    void simHasItsSubcommands() {
        String sim = help("sim", "--help");
        for (String c : new String[] {"carrier", "load", "run", "verify"}) {
            assertTrue(sim.contains("  " + c + " "), c + " missing from:\n" + sim);
        }
        String verify = help("sim", "verify", "--help");
        assertTrue(verify.contains("--gateway-url"), verify);
        assertTrue(verify.startsWith("Usage: dlrgate sim verify"), "usage names the command as typed:\n" + verify);
    }
}
