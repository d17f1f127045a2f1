package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every problem is reported at once, in file order, one per line of the message. */
class MultipleProblemsTest {

    @Test
    void allProblemsInFileOrder() {
        ConfigException e = fails("smpp:\n"
                + "  port: 70000\n"
                + "  prot: 1\n"
                + "database:\n"
                + "  pool_size: 0\n"
                + "carriers:\n"
                + "  - id: alpha\n"
                + "    system_id: alpha\n"
                + "    window_size: 0\n"
                + "  - id: beta\n"
                + "    system_id: alpha\n"
                + "    password: pw\n"
                + "    prefixes: [\"44\"]\n");
        assertEquals(List.of("smpp.port", "smpp.prot", "database.pool_size", "carriers[0].password",
                        "carriers[0].window_size", "carriers[1].system_id", "carriers[1].prefixes[0]"),
                e.problems().stream().map(ConfigException.Problem::keyPath).toList());
        String[] lines = e.getMessage().split("\n");
        assertEquals(7, lines.length);
        assertEquals("dlrgate.yaml: smpp.port: must be between 0 and 65535, got 70000 (line 2)", lines[0]);
        for (String l : lines) {
            assertEquals(true, l.startsWith("dlrgate.yaml: "), l);
        }
    }
}
