package io.dlrgate.reporting.state;

import io.dlrgate.config.Tab;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every (current tab x final-by x last stat x receipt stat x intermediate flag x policy) combination, checked
 * against an independent oracle written here from the rules (it does not call the class under test), and
 * against invariants that must hold whatever the oracle says.
 */
class DeliveryStateMachineExhaustiveTest {

    /** The default mapping, written out here independently of ReceiptConfig. */
    private static final Map<String, Tab> ORACLE_MAP = Map.of(
            "DELIVRD", Tab.DELIVERED,
            "ENROUTE", Tab.PENDING, "ACCEPTD", Tab.PENDING, "UNKNOWN", Tab.PENDING,
            "EXPIRED", Tab.SOFT_BOUNCES,
            "UNDELIV", Tab.HARD_BOUNCES, "REJECTD", Tab.HARD_BOUNCES, "SKIPPED", Tab.HARD_BOUNCES,
            "DELETED", Tab.DELETED);

    /** Receipt stats: all known words, unknown words, odd spellings, blank and null. */
    private static final List<String> RECEIPT_STATS = Arrays.asList(
            "DELIVRD", "ENROUTE", "ACCEPTD", "UNKNOWN", "EXPIRED", "UNDELIV", "REJECTD", "SKIPPED", "DELETED",
            "FOOBAR", "delivrd", " Undeliv ", "", "  ", null);

    private static final List<String> ERRS = Arrays.asList("000", "0001", null);

    record Expect(Tab tab, String lastStat, FinalBy finalBy, boolean changed, TransitionReason reason) {
    }

    /** Every valid current state the store can hold. */
    static List<MessageState> allStates() {
        List<MessageState> states = new ArrayList<>();
        for (String last : Arrays.asList(null, "ENROUTE", "ACCEPTD", "UNKNOWN", "FOOBAR", "OTHERX")) {
            states.add(new MessageState(Tab.PENDING, last, FinalBy.NOT_FINAL));
        }
        for (Tab tab : Tab.values()) {
            if (!tab.isFinal()) {
                continue;
            }
            for (FinalBy by : List.of(FinalBy.RECEIPT, FinalBy.GATEWAY_EXPIRY)) {
                List<String> lasts = new ArrayList<>();
                lasts.add(null);
                lasts.add("EXPIRED");
                ORACLE_MAP.forEach((stat, t) -> {
                    if (t == tab && !lasts.contains(stat)) {
                        lasts.add(stat);
                    }
                });
                for (String last : lasts) {
                    states.add(new MessageState(tab, last, by));
                }
            }
        }
        return states;
    }

    /** The rules of the issue, written as plainly as possible. */
    static Expect oracle(Tab curTab, String curStat, FinalBy curBy, String rawStat, boolean flagged,
                         LateReceiptPolicy policy) {
        String s = rawStat == null || rawStat.isBlank() ? null : rawStat.trim().toUpperCase(Locale.ROOT);
        if (s == null) {
            return new Expect(curTab, curStat, curBy, false, TransitionReason.NO_STAT);
        }
        Tab t = ORACLE_MAP.get(s);
        if (t == null) {
            // unknown: Pending stays Pending (remembering the word); final: untouched
            if (curTab == Tab.PENDING && !s.equals(curStat)) {
                return new Expect(Tab.PENDING, s, FinalBy.NOT_FINAL, true, TransitionReason.UNKNOWN_STAT);
            }
            return new Expect(curTab, curStat, curBy, false, TransitionReason.UNKNOWN_STAT);
        }
        if (curBy == FinalBy.GATEWAY_EXPIRY) {
            if (policy == LateReceiptPolicy.DELIVERED_WINS && t == Tab.DELIVERED && !flagged) {
                return new Expect(Tab.DELIVERED, s, FinalBy.RECEIPT, true, TransitionReason.LATE_AFTER_EXPIRY_APPLIED);
            }
            return new Expect(curTab, curStat, curBy, false, TransitionReason.LATE_AFTER_EXPIRY_IGNORED);
        }
        if (curTab == Tab.PENDING) {
            if (flagged && t != Tab.PENDING) {
                return new Expect(curTab, curStat, curBy, false, TransitionReason.INTERMEDIATE_WITH_FINAL_STAT);
            }
            if (t == Tab.PENDING && s.equals(curStat)) {
                return new Expect(curTab, curStat, curBy, false, TransitionReason.DUPLICATE);
            }
            return new Expect(t, s, t == Tab.PENDING ? FinalBy.NOT_FINAL : FinalBy.RECEIPT, true,
                    TransitionReason.APPLIED);
        }
        // final, set by a receipt: absorbing
        if (t == curTab && s.equals(curStat)) {
            return new Expect(curTab, curStat, curBy, false, TransitionReason.DUPLICATE);
        }
        if (flagged || t == Tab.PENDING) {
            return new Expect(curTab, curStat, curBy, false, TransitionReason.INTERMEDIATE_AFTER_FINAL);
        }
        return new Expect(curTab, curStat, curBy, false, TransitionReason.FINAL_AFTER_FINAL_IGNORED);
    }

    @Test
    void everyCombinationMatchesTheOracleAndTheInvariants() {
        int checked = 0;
        for (LateReceiptPolicy policy : LateReceiptPolicy.values()) {
            DeliveryStateMachine machine = new DeliveryStateMachine(StatMapping.defaults(), policy);
            for (MessageState cur : allStates()) {
                for (String stat : RECEIPT_STATS) {
                    for (boolean flagged : new boolean[] {false, true}) {
                        String combo = policy + " " + cur + " stat=" + (stat == null ? "null" : "'" + stat + "'")
                                + " intermediate=" + flagged;
                        Expect e = oracle(cur.tab(), cur.lastStat(), cur.finalBy(), stat, flagged, policy);
                        Transition first = null;
                        for (String err : ERRS) {
                            Transition tr = machine.decide(cur, new ReceiptFacts(stat, flagged, err));
                            if (first == null) {
                                first = tr;
                            } else {
                                assertEquals(first, tr, "err must not change the decision: " + combo);
                            }
                        }
                        Transition tr = first;
                        assertEquals(e.tab(), tr.tab(), "tab " + combo);
                        assertEquals(e.lastStat(), tr.lastStat(), "lastStat " + combo);
                        assertEquals(e.finalBy(), tr.finalBy(), "finalBy " + combo);
                        assertEquals(e.changed(), tr.changed(), "changed " + combo);
                        assertEquals(e.reason(), tr.reason(), "reason " + combo);
                        checkInvariants(machine, cur, new ReceiptFacts(stat, flagged, null), tr, combo);
                        checked++;
                    }
                }
            }
        }
        // 2 policies x 32 states (6 Pending + 4 final tabs x 2 final-by x their last stats) x 15 stats x 2 flags
        assertEquals(32, allStates().size());
        assertEquals(2 * 32 * RECEIPT_STATS.size() * 2, checked);
        assertEquals(1920, checked);
    }

    private static void checkInvariants(DeliveryStateMachine m, MessageState cur, ReceiptFacts r, Transition tr,
                                        String combo) {
        // changed means exactly: the state differs
        assertEquals(!tr.next().equals(cur), tr.changed(), "changed <=> state differs: " + combo);
        // a final never goes back to Pending
        if (cur.isFinal()) {
            assertTrue(tr.next().isFinal(), "final moved back: " + combo);
        }
        // finals set by a receipt are absorbing
        if (cur.finalBy() == FinalBy.RECEIPT) {
            assertFalse(tr.changed(), "final by receipt changed: " + combo);
        }
        // leaving a final tab happens only as a late Delivered under DELIVERED_WINS
        if (cur.isFinal() && tr.tab() != cur.tab()) {
            assertEquals(FinalBy.GATEWAY_EXPIRY, cur.finalBy(), combo);
            assertEquals(LateReceiptPolicy.DELIVERED_WINS, m.latePolicy(), combo);
            assertEquals(Tab.DELIVERED, tr.tab(), combo);
            assertFalse(r.intermediate(), combo);
        }
        // IGNORE_LATE ignores everything after the gateway's expiry
        if (cur.finalBy() == FinalBy.GATEWAY_EXPIRY && m.latePolicy() == LateReceiptPolicy.IGNORE_LATE) {
            assertFalse(tr.changed(), combo);
        }
        // unknown or missing stats never change a tab, and never make anything final
        if (r.stat() == null || !ORACLE_MAP.containsKey(r.stat())) {
            assertEquals(cur.tab(), tr.tab(), combo);
            assertEquals(cur.finalBy(), tr.finalBy(), combo);
        }
        // an intermediate notification never makes a Pending message final
        if (r.intermediate() && !cur.isFinal()) {
            assertEquals(Tab.PENDING, tr.tab(), combo);
        }
        // late flag
        assertEquals(cur.finalBy() == FinalBy.GATEWAY_EXPIRY, tr.lateAfterExpiry(), combo);
        // the reason agrees with changed
        if (tr.reason().changes() != null) {
            assertEquals(tr.reason().changes(), tr.changed(), combo);
        }
        // idempotent: the same receipt again changes nothing
        Transition again = m.decide(tr.next(), r);
        assertFalse(again.changed(), "not idempotent: " + combo + " then " + again);
        assertEquals(tr.next(), again.next(), combo);
    }

    /** Sequences of up to three receipts from a fresh message: the first final receipt decides the tab for good. */
    @Test
    void sequencesOfThreeReceiptsKeepTheFirstFinal() {
        List<ReceiptFacts> receipts = new ArrayList<>();
        for (String stat : RECEIPT_STATS) {
            receipts.add(new ReceiptFacts(stat, false, null));
            receipts.add(new ReceiptFacts(stat, true, null));
        }
        DeliveryStateMachine m = DeliveryStateMachine.withDefaults();
        int n = 0;
        for (ReceiptFacts a : receipts) {
            for (ReceiptFacts b : receipts) {
                for (ReceiptFacts c : receipts) {
                    MessageState s = MessageState.initial();
                    Tab firstFinal = null;
                    for (ReceiptFacts r : List.of(a, b, c)) {
                        s = m.decide(s, r).next();
                        Tab t = r.stat() == null ? null : ORACLE_MAP.get(r.stat());
                        if (firstFinal == null && t != null && t.isFinal() && !r.intermediate()) {
                            firstFinal = t;
                        }
                    }
                    if (firstFinal == null) {
                        assertEquals(Tab.PENDING, s.tab(), a + " " + b + " " + c);
                        assertEquals(FinalBy.NOT_FINAL, s.finalBy());
                    } else {
                        assertEquals(firstFinal, s.tab(), a + " " + b + " " + c);
                        assertEquals(FinalBy.RECEIPT, s.finalBy());
                    }
                    n++;
                }
            }
        }
        assertEquals(30 * 30 * 30, n);
    }

    /** After the gateway's expiry, any sequence ends Delivered iff it holds a non-intermediate DELIVRD (default policy). */
    @Test
    void sequencesAfterGatewayExpiry() {
        List<ReceiptFacts> receipts = new ArrayList<>();
        for (String stat : RECEIPT_STATS) {
            receipts.add(new ReceiptFacts(stat, false, null));
            receipts.add(new ReceiptFacts(stat, true, null));
        }
        for (LateReceiptPolicy policy : LateReceiptPolicy.values()) {
            DeliveryStateMachine m = new DeliveryStateMachine(StatMapping.defaults(), policy);
            for (ReceiptFacts a : receipts) {
                for (ReceiptFacts b : receipts) {
                    MessageState s = MessageState.expiredByGateway();
                    boolean delivered = false;
                    for (ReceiptFacts r : List.of(a, b)) {
                        s = m.decide(s, r).next();
                        delivered |= "DELIVRD".equals(r.stat()) && !r.intermediate();
                    }
                    boolean expectDelivered = delivered && policy == LateReceiptPolicy.DELIVERED_WINS;
                    String combo = policy + " " + a + " " + b;
                    if (expectDelivered) {
                        assertEquals(MessageState.finalByReceipt(Tab.DELIVERED, "DELIVRD"), s, combo);
                    } else {
                        assertEquals(MessageState.expiredByGateway(), s, combo);
                    }
                }
            }
        }
    }

    @Test
    void oracleStatesAreAllValidAndDistinct() {
        List<MessageState> states = allStates();
        assertEquals(states.size(), states.stream().distinct().count());
        for (MessageState s : states) {
            if (s.isFinal()) {
                assertNotEquals(FinalBy.NOT_FINAL, s.finalBy());
            } else {
                assertEquals(FinalBy.NOT_FINAL, s.finalBy());
            }
        }
        if (states.isEmpty()) {
            fail("no states");
        }
    }
}
