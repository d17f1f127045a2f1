package io.dlrgate.reporting.state;

import io.dlrgate.config.ReceiptConfig;
import io.dlrgate.config.Tab;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatMappingTest {

    @Test
    void defaultsAreTheIssuesTable() {
        StatMapping m = StatMapping.defaults();
        assertEquals(Optional.of(Tab.DELIVERED), m.tabFor("DELIVRD"));
        for (String p : new String[] {"ENROUTE", "ACCEPTD", "UNKNOWN"}) {
            assertEquals(Optional.of(Tab.PENDING), m.tabFor(p));
        }
        assertEquals(Optional.of(Tab.SOFT_BOUNCES), m.tabFor("EXPIRED"));
        for (String h : new String[] {"UNDELIV", "REJECTD", "SKIPPED"}) {
            assertEquals(Optional.of(Tab.HARD_BOUNCES), m.tabFor(h));
        }
        assertEquals(Optional.of(Tab.DELETED), m.tabFor("DELETED"));
        assertEquals(9, m.asMap().size());
    }

    @Test
    void unknownNullAndBlankMapToNothing() {
        StatMapping m = StatMapping.defaults();
        assertEquals(Optional.empty(), m.tabFor("FOOBAR"));
        assertEquals(Optional.empty(), m.tabFor("DELIVERED")); // not the SMPP word: never guessed
        assertEquals(Optional.empty(), m.tabFor(null));
        assertEquals(Optional.empty(), m.tabFor(""));
        assertEquals(Optional.empty(), m.tabFor("   "));
        assertFalse(m.isKnown("FOOBAR"));
    }

    @Test
    void lookupIgnoresCaseAndSurroundingSpaces() {
        StatMapping m = StatMapping.defaults();
        assertEquals(Optional.of(Tab.DELIVERED), m.tabFor("delivrd"));
        assertEquals(Optional.of(Tab.HARD_BOUNCES), m.tabFor(" Undeliv\t"));
        assertTrue(m.isKnown("expired"));
    }

    @Test
    void carrierOverridesReplaceAndExtendTheGlobalMapping() {
        StatMapping m = StatMapping.merged(ReceiptConfig.defaultStatMapping(),
                Map.of("deleted", Tab.HARD_BOUNCES, "BLOCKED", Tab.HARD_BOUNCES));
        assertEquals(Optional.of(Tab.HARD_BOUNCES), m.tabFor("DELETED"));
        assertEquals(Optional.of(Tab.HARD_BOUNCES), m.tabFor("BLOCKED"));
        assertEquals(Optional.of(Tab.DELIVERED), m.tabFor("DELIVRD"));
        // the defaults are untouched
        assertEquals(Optional.of(Tab.DELETED), StatMapping.defaults().tabFor("DELETED"));
        assertEquals(m, StatMapping.defaults().withOverrides(Map.of("DELETED", Tab.HARD_BOUNCES,
                "blocked", Tab.HARD_BOUNCES)));
    }

    @Test
    void contradictoryKeysAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StatMapping.of(Map.of("DELIVRD", Tab.DELIVERED, "delivrd", Tab.HARD_BOUNCES)));
        assertTrue(e.getMessage().contains("DELIVRD"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StatMapping.of(Map.of(" ", Tab.DELIVERED)));
    }
}
