package io.dlrgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The benchmarks the README and docs/explanation/benchmarks.md name exist, under the command they type. */
class BenchCommandTest {

    static String help(String... args) {
        CommandLine cl = BenchCommand.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        assertEquals(0, cl.execute(args), out.toString());
        return out.toString();
    }

    @Test
    void listsEveryBenchmark() {
        String bench = help("--help");
        for (String c : new String[] {"submits", "receipts", "expiry", "metrics", "logins", "roles", "kannel", "singles",
                "instances"}) {
            assertTrue(bench.contains("  " + c + " "), c + " missing from:\n" + bench);
        }
    }

    @Test
    void usageNamesTheCommandAsTyped() {
        String receipts = help("receipts", "--help");
        assertTrue(receipts.startsWith("Usage: dlrgate bench receipts"), receipts);
    }
}
