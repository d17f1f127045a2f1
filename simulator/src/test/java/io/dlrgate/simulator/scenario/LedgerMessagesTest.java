package io.dlrgate.simulator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.dlrgate.simulator.outcome.Part;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Verify's view of a ledger: messages, with the message-level tab rule over parts, on crafted ledgers. */
class LedgerMessagesTest {

    @Test
    void theRuleTakesTheFirstMatchInItsOrder() {
        assertEquals("hard-bounces", LedgerMessages.tabOf(List.of("delivered", "deleted", "soft-bounces",
                "pending", "hard-bounces")), "any part failed for good");
        assertEquals("deleted", LedgerMessages.tabOf(List.of("soft-bounces", "deleted", "pending", "delivered")));
        assertEquals("soft-bounces", LedgerMessages.tabOf(List.of("pending", "soft-bounces", "delivered")));
        assertEquals("pending", LedgerMessages.tabOf(List.of("delivered", "pending", "delivered")));
        assertEquals("delivered", LedgerMessages.tabOf(List.of("delivered", "delivered", "delivered")));
        assertNull(LedgerMessages.tabOf(List.of()));
    }

    static ScenarioRunner.LedgerLine line(String number, String text, int ordinal, String tab, Part part) {
        return new ScenarioRunner.LedgerLine("a", number, text, ordinal, 0, null, null, null,
                tab == null ? 0x58 : 0, List.of(), null, tab, "id" + ordinal, part);
    }

    static Part part(int ref, int n, int total, long message) {
        return new Part(Part.Scheme.UDH8, ref, n, total, message);
    }

    @Test
    void partsGroupByTheCarriersMessageAndTheLastLineOfEachPartCounts() {
        List<ScenarioRunner.LedgerLine> ledger = List.of(
                line("+1", "whole", 0, "delivered", null),
                line("+2", "Hel", 0, "delivered", part(9, 1, 3, 1)),
                line("+2", "lo ", 1, null, part(9, 2, 3, 1)),            // throttled: sent again below
                line("+2", "lo ", 2, "hard-bounces", part(9, 2, 3, 1)),  // refused for good ...
                line("+2", "lo ", 3, "delivered", part(9, 2, 3, 1)),     // ... then sent again and delivered
                line("+2", "you", 4, "deleted", part(9, 3, 3, 1)),
                // the same reference again for the same number, grouped by the carrier into another message
                line("+2", "a", 5, "delivered", part(9, 1, 2, 2)),
                line("+2", "b", 6, "delivered", part(9, 2, 2, 2)),
                // a message whose part 2 never arrived
                line("+3", "only one", 0, "delivered", part(4, 1, 2, 3)));
        List<LedgerMessages.Message> m = LedgerMessages.of(ledger);
        assertEquals(4, m.size(), m.toString());
        assertEquals(new LedgerMessages.Message("a", "+1", "whole", "delivered", 1, Map.of()), m.get(0));
        assertEquals("Hello you", m.get(1).content());
        assertEquals("deleted", m.get(1).tab(), "the last line of part 2 counts; part 3 was deleted");
        assertEquals(Map.of(1, "delivered", 2, "delivered", 3, "deleted"), m.get(1).partTabs());
        assertEquals("ab", m.get(2).content());
        assertEquals("delivered", m.get(2).tab());
        assertEquals("pending", m.get(3).tab(), "a part never received keeps the message pending");
    }

    @Test
    void onePartOfThreeUndeliveredIsAHardBounceOfOneMessage() {
        List<ScenarioRunner.LedgerLine> ledger = List.of(
                line("+4", "x", 0, "delivered", part(1, 1, 3, 1)),
                line("+4", "y", 1, "hard-bounces", part(1, 2, 3, 1)),
                line("+4", "z", 2, "delivered", part(1, 3, 3, 1)));
        List<LedgerMessages.Message> m = LedgerMessages.of(ledger);
        assertEquals(1, m.size(), "counts are per message, not per part");
        assertEquals("hard-bounces", m.get(0).tab());
        assertEquals(3, m.get(0).parts());
        assertEquals(Map.of("messages", 1L, "total", 3L, "delivered", 2L, "failed", 1L, "deleted", 0L, "expired", 0L,
                "pending", 0L), LedgerMessages.partFigures(m), "the parts figure beside the counts");
    }
}
