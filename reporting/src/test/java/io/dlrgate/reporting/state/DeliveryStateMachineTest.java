package io.dlrgate.reporting.state;

import io.dlrgate.config.BindType;
import io.dlrgate.config.CarrierConfig;
import io.dlrgate.config.MessageIdFormat;
import io.dlrgate.config.ReceiptConfig;
import io.dlrgate.config.Tab;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.dlrgate.reporting.state.TransitionReason.APPLIED;
import static io.dlrgate.reporting.state.TransitionReason.DUPLICATE;
import static io.dlrgate.reporting.state.TransitionReason.FINAL_AFTER_FINAL_IGNORED;
import static io.dlrgate.reporting.state.TransitionReason.INTERMEDIATE_AFTER_FINAL;
import static io.dlrgate.reporting.state.TransitionReason.LATE_AFTER_EXPIRY_APPLIED;
import static io.dlrgate.reporting.state.TransitionReason.LATE_AFTER_EXPIRY_IGNORED;
import static io.dlrgate.reporting.state.TransitionReason.UNKNOWN_STAT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeliveryStateMachineTest {

    private final DeliveryStateMachine machine = DeliveryStateMachine.withDefaults();

    @Test
    void sameReceiptThreeTimes() {
        MessageState s = MessageState.initial();
        Transition t1 = machine.decide(s, ReceiptFacts.of("DELIVRD", "000"));
        assertEquals(APPLIED, t1.reason());
        assertTrue(t1.changed());
        assertEquals(MessageState.finalByReceipt(Tab.DELIVERED, "DELIVRD"), t1.next());

        Transition t2 = machine.decide(t1.next(), ReceiptFacts.of("DELIVRD", "000"));
        Transition t3 = machine.decide(t2.next(), ReceiptFacts.of("DELIVRD", "000"));
        for (Transition t : List.of(t2, t3)) {
            assertEquals(DUPLICATE, t.reason());
            assertFalse(t.changed());
            assertEquals(t1.next(), t.next());
        }
    }

    @Test
    void sameIntermediateThreeTimes() {
        Transition t1 = machine.decide(MessageState.initial(), ReceiptFacts.intermediate("ENROUTE"));
        assertEquals(APPLIED, t1.reason());
        assertEquals(MessageState.pending("ENROUTE"), t1.next());
        Transition t2 = machine.decide(t1.next(), ReceiptFacts.intermediate("ENROUTE"));
        Transition t3 = machine.decide(t2.next(), ReceiptFacts.intermediate("enroute"));
        assertEquals(DUPLICATE, t2.reason());
        assertEquals(DUPLICATE, t3.reason());
        assertFalse(t3.changed());
    }

    @Test
    void enrouteAfterDelivrdNeverMovesTheMessageBack() {
        MessageState delivered = machine.decide(MessageState.initial(), ReceiptFacts.of("DELIVRD")).next();
        for (ReceiptFacts r : List.of(ReceiptFacts.intermediate("ENROUTE"), ReceiptFacts.of("ENROUTE"),
                ReceiptFacts.of("ACCEPTD"), ReceiptFacts.intermediate("DELIVRD"))) {
            Transition t = machine.decide(delivered, r);
            assertFalse(t.changed(), r.toString());
            assertEquals(delivered, t.next());
        }
        assertEquals(INTERMEDIATE_AFTER_FINAL, machine.decide(delivered, ReceiptFacts.intermediate("ENROUTE")).reason());
        assertEquals(INTERMEDIATE_AFTER_FINAL, machine.decide(delivered, ReceiptFacts.of("ENROUTE")).reason());
        // a flagged copy of the final itself is just a duplicate
        assertEquals(DUPLICATE, machine.decide(delivered, ReceiptFacts.intermediate("DELIVRD")).reason());
    }

    @Test
    void secondDifferentFinalIsIgnoredAndReported() {
        MessageState hard = machine.decide(MessageState.initial(), ReceiptFacts.of("UNDELIV")).next();
        Transition t = machine.decide(hard, ReceiptFacts.of("DELIVRD"));
        assertEquals(FINAL_AFTER_FINAL_IGNORED, t.reason());
        assertEquals(hard, t.next());
        // same tab, other word: still the first final wins
        assertEquals(FINAL_AFTER_FINAL_IGNORED, machine.decide(hard, ReceiptFacts.of("REJECTD")).reason());
    }

    @Test
    void lateDelivrdAfterExpiryWinsUnderDeliveredWins() {
        DeliveryStateMachine m = new DeliveryStateMachine(StatMapping.defaults(), LateReceiptPolicy.DELIVERED_WINS);
        Transition expiry = m.expire(MessageState.pending("ENROUTE"));
        assertEquals(TransitionReason.EXPIRED_BY_GATEWAY, expiry.reason());
        assertEquals(MessageState.expiredByGateway(), expiry.next());
        assertEquals(Tab.SOFT_BOUNCES, expiry.tab());
        assertEquals("EXPIRED", expiry.lastStat());

        Transition late = m.decide(expiry.next(), ReceiptFacts.of("DELIVRD", "000"));
        assertEquals(LATE_AFTER_EXPIRY_APPLIED, late.reason());
        assertTrue(late.changed());
        assertTrue(late.lateAfterExpiry());
        assertEquals(MessageState.finalByReceipt(Tab.DELIVERED, "DELIVRD"), late.next());

        // now final by receipt: absorbing, and the same DELIVRD again is a duplicate
        assertEquals(DUPLICATE, m.decide(late.next(), ReceiptFacts.of("DELIVRD")).reason());
        assertEquals(FINAL_AFTER_FINAL_IGNORED, m.decide(late.next(), ReceiptFacts.of("UNDELIV")).reason());
        assertFalse(m.decide(late.next(), ReceiptFacts.of("UNDELIV")).lateAfterExpiry());
    }

    @Test
    void otherLateReceiptsAreCountedButChangeNothingUnderDeliveredWins() {
        MessageState expired = MessageState.expiredByGateway();
        for (ReceiptFacts r : List.of(ReceiptFacts.of("UNDELIV"), ReceiptFacts.of("EXPIRED"),
                ReceiptFacts.of("DELETED"), ReceiptFacts.of("ENROUTE"), ReceiptFacts.intermediate("DELIVRD"))) {
            Transition t = machine.decide(expired, r);
            assertEquals(LATE_AFTER_EXPIRY_IGNORED, t.reason(), r.toString());
            assertTrue(t.lateAfterExpiry());
            assertFalse(t.changed());
            assertEquals(expired, t.next());
        }
        Transition unknown = machine.decide(expired, ReceiptFacts.of("FOOBAR"));
        assertEquals(UNKNOWN_STAT, unknown.reason());
        assertTrue(unknown.lateAfterExpiry());
        assertFalse(unknown.changed());
    }

    @Test
    void lateDelivrdAfterExpiryIsIgnoredUnderIgnoreLate() {
        DeliveryStateMachine m = new DeliveryStateMachine(StatMapping.defaults(), LateReceiptPolicy.IGNORE_LATE);
        MessageState expired = m.expire(MessageState.initial()).next();
        Transition late = m.decide(expired, ReceiptFacts.of("DELIVRD", "000"));
        assertEquals(LATE_AFTER_EXPIRY_IGNORED, late.reason());
        assertFalse(late.changed());
        assertTrue(late.lateAfterExpiry());
        assertEquals(Tab.SOFT_BOUNCES, late.tab());
        assertEquals(FinalBy.GATEWAY_EXPIRY, late.finalBy());
    }

    @Test
    void expiryOfAFinalMessageChangesNothing() {
        MessageState delivered = MessageState.finalByReceipt(Tab.DELIVERED, "DELIVRD");
        Transition t = machine.expire(delivered);
        assertEquals(TransitionReason.EXPIRY_AFTER_FINAL_IGNORED, t.reason());
        assertFalse(t.changed());
        assertEquals(delivered, t.next());
        // the gateway's expiry of an already expired message is also a no-op
        assertFalse(machine.expire(MessageState.expiredByGateway()).changed());
    }

    @Test
    void unknownStatKeepsPendingAndIsRemembered() {
        Transition t = machine.decide(MessageState.pending("ENROUTE"), ReceiptFacts.of("NEWWORD"));
        assertEquals(UNKNOWN_STAT, t.reason());
        assertTrue(t.changed());
        assertEquals(MessageState.pending("NEWWORD"), t.next());
        Transition again = machine.decide(t.next(), ReceiptFacts.of("newword"));
        assertEquals(UNKNOWN_STAT, again.reason());
        assertFalse(again.changed());
        // a later known final still applies
        assertEquals(APPLIED, machine.decide(t.next(), ReceiptFacts.of("UNDELIV")).reason());
        // and a final message is not touched by an unknown word
        MessageState hard = MessageState.finalByReceipt(Tab.HARD_BOUNCES, "UNDELIV");
        Transition onFinal = machine.decide(hard, ReceiptFacts.of("NEWWORD"));
        assertEquals(UNKNOWN_STAT, onFinal.reason());
        assertFalse(onFinal.changed());
    }

    @Test
    void missingStatChangesNothing() {
        Transition t = machine.decide(MessageState.pending("ENROUTE"), ReceiptFacts.of(null));
        assertEquals(TransitionReason.NO_STAT, t.reason());
        assertFalse(t.changed());
        assertEquals(TransitionReason.NO_STAT, machine.decide(MessageState.initial(), ReceiptFacts.of("  ")).reason());
    }

    @Test
    void intermediateFlagWithAFinalStatDoesNotFinaliseAPendingMessage() {
        Transition t = machine.decide(MessageState.pending("ENROUTE"), ReceiptFacts.intermediate("UNDELIV"));
        assertEquals(TransitionReason.INTERMEDIATE_WITH_FINAL_STAT, t.reason());
        assertFalse(t.changed());
        assertEquals(MessageState.pending("ENROUTE"), t.next());
    }

    @Test
    void perCarrierOverrideAppliesToThatCarrierOnly() {
        ReceiptConfig receipts = new ReceiptConfig(500, Duration.ofMillis(5), Duration.ofSeconds(2), 100_000,
                Duration.ofHours(1), ReceiptConfig.defaultStatMapping());
        CarrierConfig strict = carrier("strict", Map.of("DELETED", Tab.HARD_BOUNCES, "blocked", Tab.HARD_BOUNCES));
        CarrierConfig plain = carrier("plain", Map.of());

        DeliveryStateMachine strictMachine =
                DeliveryStateMachine.forCarrier(receipts, strict, LateReceiptPolicy.DELIVERED_WINS);
        DeliveryStateMachine plainMachine =
                DeliveryStateMachine.forCarrier(receipts, plain, LateReceiptPolicy.DELIVERED_WINS);

        Transition s = strictMachine.decide(MessageState.initial(), ReceiptFacts.of("DELETED"));
        assertEquals(Tab.HARD_BOUNCES, s.tab());
        assertEquals("DELETED", s.lastStat());
        assertEquals(APPLIED, s.reason());

        Transition p = plainMachine.decide(MessageState.initial(), ReceiptFacts.of("DELETED"));
        assertEquals(Tab.DELETED, p.tab());

        // a word only the strict carrier knows
        assertEquals(Tab.HARD_BOUNCES, strictMachine.decide(MessageState.initial(), ReceiptFacts.of("BLOCKED")).tab());
        Transition plainBlocked = plainMachine.decide(MessageState.initial(), ReceiptFacts.of("BLOCKED"));
        assertEquals(UNKNOWN_STAT, plainBlocked.reason());
        assertEquals(Tab.PENDING, plainBlocked.tab());

        // everything else is the default for both
        for (Map.Entry<String, Tab> e : ReceiptConfig.defaultStatMapping().entrySet()) {
            if (!e.getKey().equals("DELETED")) {
                assertEquals(e.getValue(), strictMachine.mapping().tabFor(e.getKey()).orElseThrow());
            }
            assertEquals(e.getValue(), plainMachine.mapping().tabFor(e.getKey()).orElseThrow());
        }
    }

    @Test
    void inconsistentStatesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new MessageState(Tab.PENDING, "DELIVRD", FinalBy.RECEIPT));
        assertThrows(IllegalArgumentException.class,
                () -> new MessageState(Tab.PENDING, null, FinalBy.GATEWAY_EXPIRY));
        assertThrows(IllegalArgumentException.class,
                () -> new MessageState(Tab.DELIVERED, "DELIVRD", FinalBy.NOT_FINAL));
        assertThrows(NullPointerException.class, () -> new MessageState(null, null, FinalBy.NOT_FINAL));
    }

    @Test
    void transitionRejectsAReasonThatContradictsChanged() {
        assertThrows(IllegalArgumentException.class,
                () -> new Transition(MessageState.initial(), true, DUPLICATE, false));
        assertThrows(IllegalArgumentException.class,
                () -> new Transition(MessageState.initial(), false, APPLIED, false));
    }

    @Test
    void reasonLabelsAreMetricFriendly() {
        for (TransitionReason r : TransitionReason.values()) {
            assertTrue(r.label().matches("[a-z_]+"), r.label());
        }
        assertEquals("late_after_expiry_applied", LATE_AFTER_EXPIRY_APPLIED.label());
    }

    static CarrierConfig carrier(String id, Map<String, Tab> overrides) {
        return new CarrierConfig(id, id, "secret", Set.of(BindType.TRANSCEIVER), 1, List.of(), 10, 100,
                List.of("+44"), Duration.ofHours(48), ZoneOffset.UTC, MessageIdFormat.STRING, MessageIdFormat.STRING,
                0x58, overrides);
    }
}
