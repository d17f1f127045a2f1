package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.carrier;
import static io.dlrgate.config.ConfigAssertions.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class UnknownKeyTest {

    @Test
    void misspelledCarrierKeySuggestsTheClosestKnownKey() {
        ConfigException e = fails("carriers:\n" + carrier("alpha") + carrier("beta", "windowsize: 10"));
        ConfigException.Problem p = assertProblem(e, "carriers[1].windowsize", "unknown key", "did you mean window_size?");
        assertEquals("dlrgate.yaml: carriers[1].windowsize: unknown key (did you mean window_size?) (line 8)",
                p.toString());
        assertEquals(1, e.problems().size());
    }

    @Test
    void misspelledTopLevelSection() {
        ConfigException e = fails("carrier:\n" + carrier("alpha"));
        assertProblem(e, "carrier", "unknown key", "did you mean carriers?");
    }

    @Test
    void misspelledKeyInsideASection() {
        ConfigException e = fails("smpp:\n  prot: 2775\n");
        assertProblem(e, "smpp.prot", "did you mean port?");
        ConfigException e2 = fails("database:\n  pool-size: 5\n");
        assertProblem(e2, "database.pool-size", "did you mean pool_size?");
        ConfigException e3 = fails("receipts:\n  stat_maping: {}\n");
        assertProblem(e3, "receipts.stat_maping", "did you mean stat_mapping?");
    }

    @Test
    void keyFarFromAnyKnownKeyListsTheKnownKeys() {
        ConfigException e = fails("http:\n  colour: blue\n");
        ConfigException.Problem p = assertProblem(e, "http.colour", "unknown key", "known keys here: host, port, api_key");
        assertFalse(p.message().contains("did you mean"), p.message());
    }

    @Test
    void keysAreCaseSensitiveSnakeCase() {
        ConfigException e = fails("carriers:\n" + carrier("alpha", "windowSize: 10"));
        assertProblem(e, "carriers[0].windowSize", "did you mean window_size?");
    }
}
