package io.dlrgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A tiny run of {@code bench roles} on the real PostgreSQL: both roles carry every message, the store equals the
 * simulator's ledger in each, and the figures come out as a table with the ratio. No timing is checked.
 */
class RolesBenchTest {

    @Test
    void aTinyRunPrintsBothRolesAndTheRatio() {
        String admin = System.getenv().getOrDefault("DLRGATE_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:5432/postgres")
                .replaceAll("\\?.*", "");
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            rc = BenchCommand.commandLine().execute("roles", "--messages", "60", "--rounds", "1", "--chunk", "25",
                    "--admin-url", admin);
        } finally {
            System.setOut(saved);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        saved.println(out);
        assertEquals(0, rc, "every report must equal the ledger:\n" + out);
        assertTrue(out.contains("r1 server") && out.contains("r1 client"), out);
        assertTrue(out.matches("(?s).*submits/s \\(first API call -> last submit_sm\\) +\\| +[0-9,]+ \\| +[0-9,]+ \\|.*"),
                out);
        assertTrue(out.matches("(?s).*reports vs ledger +\\| +equal \\| +equal \\|.*"), out);
        assertTrue(out.matches("(?s).*client/server ratio .*submits/s [0-9.]+ %, durable receipts/s [0-9.]+ %.*"), out);
    }
}
