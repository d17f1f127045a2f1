package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.carrier;
import static io.dlrgate.config.ConfigAssertions.fails;
import static io.dlrgate.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class UnknownTabTest {

    @Test
    void unknownTabInTheGlobalMapping() {
        ConfigException e = fails("receipts:\n  stat_mapping:\n    EXPIRED: soft-bounce\n");
        assertEquals("dlrgate.yaml: receipts.stat_mapping.EXPIRED: unknown tab \"soft-bounce\" (did you mean "
                + "soft-bounces?); expected one of delivered, pending, soft-bounces, hard-bounces, deleted (line 3)",
                e.getMessage());
    }

    @Test
    void unknownTabInACarrierMapping() {
        ConfigException e = fails("carriers:\n" + carrier("alpha", "stat_mapping: {UNDELIV: bounced}"));
        assertProblem(e, "carriers[0].stat_mapping.UNDELIV", "unknown tab \"bounced\"");
    }

    @Test
    void badStatWord() {
        assertProblem(fails("receipts: {stat_mapping: {'DEL IVRD': delivered}}\n"), "receipts.stat_mapping.DEL IVRD",
                "not a receipt stat word");
    }

    @Test
    void globalOverridesMergeWithTheDefaultsAndCarrierOverridesStaySeparate() {
        GatewayConfig c = load("receipts:\n  stat_mapping: {expired: hard_bounces, CUSTOM1: deleted}\n"
                + "carriers:\n" + carrier("alpha", "stat_mapping: {UNKNOWN: hard-bounces}"));
        Map<String, Tab> global = c.receipts().statMapping();
        assertEquals(Tab.HARD_BOUNCES, global.get("EXPIRED"));
        assertEquals(Tab.DELETED, global.get("CUSTOM1"));
        assertEquals(Tab.DELIVERED, global.get("DELIVRD"));
        assertEquals(Tab.PENDING, global.get("UNKNOWN"));
        CarrierConfig alpha = c.carriers().get(0);
        assertEquals(Map.of("UNKNOWN", Tab.HARD_BOUNCES), alpha.statMapping());
        Map<String, Tab> merged = c.statMappingFor(alpha);
        assertEquals(Tab.HARD_BOUNCES, merged.get("UNKNOWN"));
        assertEquals(Tab.HARD_BOUNCES, merged.get("EXPIRED"));
        assertEquals(Tab.DELIVERED, merged.get("DELIVRD"));
    }
}
