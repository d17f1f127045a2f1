package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.carrier;
import static io.dlrgate.config.ConfigAssertions.fails;
import static io.dlrgate.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WrongTypeTest {

    @Test
    void textWhereAnIntegerBelongs() {
        ConfigException e = fails("smpp:\n  port: abc\n");
        assertEquals("dlrgate.yaml: smpp.port: expected an integer, got \"abc\" (line 2)", e.getMessage());
    }

    @Test
    void fractionWhereAnIntegerBelongs() {
        ConfigException e = fails("carriers:\n" + carrier("alpha", "max_submit_rate: 12.5"));
        assertProblem(e, "carriers[0].max_submit_rate", "expected an integer, got number 12.5");
    }

    @Test
    void booleanWhereAnIntegerBelongs() {
        ConfigException e = fails("database:\n  pool_size: true\n");
        assertProblem(e, "database.pool_size", "expected an integer, got boolean true");
    }

    @Test
    void listWhereAScalarBelongs() {
        ConfigException e = fails("carriers:\n" + carrier("alpha", "window_size: [1, 2]"));
        assertProblem(e, "carriers[0].window_size", "expected an integer, got a list");
    }

    @Test
    void scalarWhereASectionBelongs() {
        ConfigException e = fails("smpp: 2775\n");
        assertProblem(e, "smpp", "expected a mapping", "got number 2775");
    }

    @Test
    void mappingWhereTheCarrierListBelongs() {
        ConfigException e = fails("carriers:\n  id: alpha\n");
        assertProblem(e, "carriers", "expected a list of carriers, got a mapping");
    }

    @Test
    void scalarWhereAListBelongs() {
        ConfigException e = fails("carriers:\n" + carrier("alpha", "prefixes: \"+44\""));
        assertProblem(e, "carriers[0].prefixes", "expected a list", "got string \"+44\"");
    }

    @Test
    void mappingInsideAList() {
        ConfigException e = fails("carriers:\n" + carrier("alpha", "prefixes: [\"+44\", {a: b}]"));
        assertProblem(e, "carriers[0].prefixes[1]", "expected a string, got a mapping");
    }

    @Test
    void carrierThatIsNotAMapping() {
        ConfigException e = fails("carriers:\n  - alpha\n");
        assertProblem(e, "carriers[0]", "expected a carrier", "got string \"alpha\"");
    }

    @Test
    void quotedNumbersAndNumericStringsAreReadAsWritten() {
        GatewayConfig c = load("smpp:\n  port: \"2776\"\ncarriers:\n"
                + "  - {id: alpha, system_id: 0123, password: 0x10}\n");
        assertEquals(2776, c.smpp().port());
        assertEquals("0123", c.carriers().get(0).systemId());
        assertEquals("0x10", c.carriers().get(0).password());
    }
}
