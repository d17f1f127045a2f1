package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The same key twice in one mapping: YAML parsers keep the last silently; we refuse. */
class DuplicateKeyTest {

    @Test
    void sameKeyTwiceInASection() {
        ConfigException e = fails("smpp:\n  port: 2775\n  host: 127.0.0.1\n  port: 2776\n");
        assertEquals("dlrgate.yaml: smpp.port: duplicate key \"port\" (first given on line 2) (line 4)",
                e.getMessage());
    }

    @Test
    void sameKeyTwiceInACarrier() {
        ConfigException e = fails("carriers:\n  - id: a\n    system_id: a\n    password: p\n    id: b\n");
        assertEquals("carriers[0].id", e.keyPath());
    }
}
