package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.carrier;
import static io.dlrgate.config.ConfigAssertions.fails;
import static io.dlrgate.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OverlappingPrefixTest {

    @Test
    void samePrefixOnTwoCarriers() {
        ConfigException e = fails("carriers:\n"
                + carrier("alpha", "prefixes: [\"+44\", \"+33\"]")
                + carrier("beta", "prefixes: [\"+49\", \"+33\"]"));
        assertEquals("dlrgate.yaml: carriers[1].prefixes[1]: prefix +33 is already routed to carrier alpha "
                + "(carriers[0].prefixes[1]); a prefix may be routed to one carrier only (line 9)", e.getMessage());
    }

    @Test
    void samePrefixTwiceOnOneCarrier() {
        assertProblem(fails("carriers:\n" + carrier("alpha", "prefixes: [\"+44\", \"+44\"]")),
                "carriers[0].prefixes[1]", "listed twice");
    }

    @Test
    void nestedPrefixesOnDifferentCarriersAreAllowedAndTheLongestWins() {
        GatewayConfig c = load("carriers:\n"
                + carrier("alpha", "prefixes: [\"+44\"]")
                + carrier("beta", "prefixes: [\"+447\"]")
                + carrier("gamma", "prefixes: [\"+4479\"]"));
        assertEquals("alpha", c.route("+442071234567").orElseThrow().id());
        assertEquals("beta", c.route("+447700900123").orElseThrow().id());
        assertEquals("gamma", c.route("+447912345678").orElseThrow().id());
        assertTrue(c.route("+33612345678").isEmpty());
    }

    @Test
    void prefixMustBePlusAndDigits() {
        ConfigException e = fails("carriers:\n" + carrier("alpha", "prefixes: [\"44\", \"+4a\", \"+\"]"));
        assertProblem(e, "carriers[0].prefixes[0]", "not a number prefix: \"44\"", "e.g. +44");
        assertProblem(e, "carriers[0].prefixes[1]", "not a number prefix: \"+4a\"");
        assertProblem(e, "carriers[0].prefixes[2]", "not a number prefix: \"+\"");
        assertEquals(3, e.problems().size());
    }

    @Test
    void unquotedPrefixIsReadAsWrittenNotAsANumber() {
        // YAML would make +44 the integer 44; the loader keeps the text.
        GatewayConfig c = load("carriers:\n" + carrier("alpha", "prefixes: [+44, +0033]"));
        assertEquals(java.util.List.of("+44", "+0033"), c.carriers().get(0).prefixes());
        assertProblem(fails("carriers:\n" + carrier("alpha", "prefixes: [+44]") + carrier("beta", "prefixes: ['+44']")),
                "carriers[1].prefixes[0]", "prefix +44 is already routed to carrier alpha");
    }
}
