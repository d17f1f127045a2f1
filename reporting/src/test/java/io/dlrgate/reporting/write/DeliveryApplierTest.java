package io.dlrgate.reporting.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.BounceClass;
import io.dlrgate.config.BouncesConfig;
import io.dlrgate.config.BouncesConfig.SuppressionMode;
import io.dlrgate.config.Tab;
import io.dlrgate.reporting.bounce.BounceRules;
import io.dlrgate.reporting.correlation.CorrelationWindow;
import io.dlrgate.reporting.message.SubmitOutcome;
import io.dlrgate.reporting.state.DeliveryStateMachine;
import io.dlrgate.reporting.state.MessageState;
import io.dlrgate.reporting.suppression.BounceEvent;
import io.dlrgate.reporting.write.DeliveryApplier.Effects;
import io.dlrgate.reporting.write.DeliveryApplier.InFlightRow;
import io.dlrgate.reporting.write.DeliveryApplier.Key;
import io.dlrgate.reporting.write.DeliveryApplier.MessageRow;
import io.dlrgate.reporting.write.DeliveryApplier.OrphanMatch;
import io.dlrgate.reporting.write.DeliveryApplier.PendingReceipt;
import io.dlrgate.reporting.write.DeliveryApplier.ReceiptDecisions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The decisions of a group-commit batch on plain values, no database: which message a receipt is for, what it does
 * to it, the bounce it makes, and the tab moves and suppression counting events the writer then stores. (The same
 * rules through real SQL: DeliveryWriterTest, RecycledIdTest.)
 */
class DeliveryApplierTest {

    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    static final String CARRIER = "acme";
    static final Long CAMPAIGN = 7L;

    final Map<Key, List<MessageRow>> rows = new HashMap<>();
    final Effects effects = new Effects();

    static DeliveryApplier applier(BounceRules bounces, CorrelationWindow correlation) {
        DeliveryStateMachine machine = DeliveryStateMachine.withDefaults();
        return new DeliveryApplier(carrier -> machine, bounces, correlation);
    }

    static DeliveryApplier defaults() {
        return applier(BounceRules.defaults(), CorrelationWindow.withoutHorizon());
    }

    /** A locked message carrying carrier id {@code key}, created and sent {@code age} before now. */
    MessageRow message(long id, String key, MessageState state, Duration age) {
        MessageRow row = new MessageRow(id, CARRIER, state);
        row.recipient = "+44770090000" + id;
        row.campaignId = CAMPAIGN;
        row.createdAt = NOW.minus(age);
        row.sentAt = NOW.minus(age);
        rows.computeIfAbsent(new Key(CARRIER, key), k -> new ArrayList<>()).add(row);
        return row;
    }

    MessageRow pending(long id, String key) {
        return message(id, key, MessageState.initial(), Duration.ofMinutes(5));
    }

    static IncomingReceipt receipt(String key, String stat, String err, String networkErrorCode,
                                   boolean intermediate) {
        return new IncomingReceipt(NOW, CARRIER, "deliver_sm", intermediate ? 0x20 : 0x04, key, key, stat, err,
                networkErrorCode, null, null, null, intermediate, "id:" + key + " stat:" + stat);
    }

    static IncomingReceipt receipt(String key, String stat) {
        return receipt(key, stat, null, null, false);
    }

    ReceiptDecisions decide(DeliveryApplier applier, IncomingReceipt... receipts) {
        return applier.decideReceipts(rows, List.of(), List.of(receipts), NOW, effects);
    }

    static List<String> results(ReceiptDecisions d) {
        return d.outcomes().stream().map(ReceiptOutcome::result).toList();
    }

    // ------------------------------------------------------------------ correlation

    @Test
    void aReceiptMovesItsMessageAndTheMoveIsCountedForItsCampaign() {
        MessageRow row = pending(1, "a1");
        ReceiptDecisions d = decide(defaults(), receipt("a1", "DELIVRD"));

        ReceiptOutcome o = d.outcomes().get(0);
        assertEquals(1L, o.messageId());
        assertEquals("applied", o.result());
        assertEquals(Tab.PENDING, o.tabBefore());
        assertEquals(Tab.DELIVERED, o.tabAfter());
        assertEquals(NOW, o.decidedAt());
        assertTrue(row.dirty);
        assertEquals(NOW, row.finalAt);
        assertNull(row.errorClass);
        assertEquals(List.of(new TabMove(CAMPAIGN, Tab.PENDING, Tab.DELIVERED, 1)), effects.tabs.list());
        assertEquals(List.of(BounceEvent.delivery(row.recipient)), effects.events);
    }

    @Test
    void aReceiptForAnIdNoMessageCarriesIsAnOrphanAndChangesNothing() {
        MessageRow other = pending(1, "known");
        ReceiptDecisions d = decide(defaults(), receipt("unknown", "DELIVRD"));

        ReceiptOutcome o = d.outcomes().get(0);
        assertTrue(o.orphan());
        assertEquals(ReceiptOutcome.ORPHAN, o.result());
        assertFalse(other.dirty);
        assertTrue(effects.tabs.list().isEmpty());
        assertTrue(effects.events.isEmpty());
    }

    @Test
    void aRecycledIdGoesToTheNewestMessageWithinTheCarriersHorizon() {
        DeliveryApplier applier = applier(BounceRules.defaults(),
                new CorrelationWindow(Map.of(CARRIER, Duration.ofDays(3))));
        MessageRow old = message(1, "r1", MessageState.initial(), Duration.ofDays(10));
        MessageRow recent = message(2, "r1", MessageState.initial(), Duration.ofHours(1));

        assertEquals(2L, decide(applier, receipt("r1", "DELIVRD")).outcomes().get(0).messageId());
        assertFalse(old.dirty);
        assertTrue(recent.dirty);
    }

    @Test
    void withoutAHorizonTheNewestMessageCarryingTheIdTakesTheReceipt() {
        MessageRow old = message(1, "r2", MessageState.initial(), Duration.ofDays(10));
        MessageRow recent = message(2, "r2", MessageState.initial(), Duration.ofHours(1));

        assertEquals(2L, decide(defaults(), receipt("r2", "DELIVRD")).outcomes().get(0).messageId());
        assertFalse(old.dirty);
        assertTrue(recent.dirty);
    }

    @Test
    void aReceiptIsNeverForAMessageBeyondTheHorizonNorForOneCreatedAfterItArrived() {
        DeliveryApplier applier = applier(BounceRules.defaults(),
                new CorrelationWindow(Map.of(CARRIER, Duration.ofDays(3))));
        MessageRow tooOld = message(1, "old", MessageState.initial(), Duration.ofDays(10));
        MessageRow later = message(2, "new", MessageState.initial(), Duration.ofHours(-1)); // created after NOW

        ReceiptDecisions d = decide(applier, receipt("old", "DELIVRD"), receipt("new", "DELIVRD"));
        assertEquals(List.of("orphan", "orphan"), results(d));
        assertFalse(tooOld.dirty);
        assertFalse(later.dirty);
    }

    @Test
    void earlierOrphansApplyFirstAndOneNoMessageCanTakeStaysOpen() {
        MessageRow row = pending(1, "k1");
        message(2, "k2", MessageState.initial(), Duration.ofHours(-1)); // created after its orphan arrived
        List<PendingReceipt> orphans = List.of(
                new PendingReceipt(new Key(CARRIER, "k1"), "ENROUTE", true, null, -1, 55, null, NOW.minusSeconds(30)),
                new PendingReceipt(new Key(CARRIER, "k2"), "DELIVRD", false, null, -1, 56, null, NOW.minusSeconds(30)));

        ReceiptDecisions d = defaults().decideReceipts(rows, orphans, List.of(receipt("k1", "DELIVRD")), NOW, effects);

        assertEquals(List.of(new OrphanMatch(55, 1)), d.orphanMatches());
        assertEquals(List.of("applied"), d.matched().stream().map(ReceiptOutcome::result).toList());
        assertEquals(Tab.PENDING, d.matched().get(0).tabAfter());
        // the batch's own receipt comes after the orphan: ENROUTE, then DELIVRD
        assertEquals("applied", d.outcomes().get(0).result());
        assertEquals(Tab.PENDING, d.outcomes().get(0).tabBefore());
        assertEquals(Tab.DELIVERED, row.state.tab());
    }

    // ------------------------------------------------------------------ state rules

    @Test
    void aDuplicateChangesNothingTheSecondTime() {
        MessageRow row = pending(1, "d1");
        ReceiptDecisions d = decide(defaults(), receipt("d1", "DELIVRD"), receipt("d1", "DELIVRD"));

        assertEquals(List.of("applied", "duplicate"), results(d));
        assertEquals(Tab.DELIVERED, row.state.tab());
        assertEquals(List.of(new TabMove(CAMPAIGN, Tab.PENDING, Tab.DELIVERED, 1)), effects.tabs.list());
        assertEquals(1, effects.events.size(), "one delivery, counted once");
    }

    @Test
    void aFinalMessageAbsorbsLaterFinalsAndIntermediates() {
        MessageRow row = message(1, "f1", MessageState.finalByReceipt(Tab.HARD_BOUNCES, "UNDELIV"),
                Duration.ofMinutes(5));
        ReceiptDecisions d = decide(defaults(), receipt("f1", "DELIVRD"), receipt("f1", "ENROUTE"),
                receipt("f1", "UNDELIV"));

        assertEquals(List.of("final_after_final_ignored", "intermediate_after_final", "duplicate"), results(d));
        assertFalse(row.dirty);
        assertEquals(Tab.HARD_BOUNCES, row.state.tab());
        assertTrue(effects.tabs.list().isEmpty());
        assertTrue(effects.events.isEmpty());
    }

    @Test
    void anIntermediateKeepsTheMessagePendingAndAFinalStatMarkedIntermediateIsIgnored() {
        MessageRow row = pending(1, "i1");
        ReceiptDecisions d = decide(defaults(), receipt("i1", "ENROUTE"), receipt("i1", "DELIVRD", null, null, true));

        assertEquals(List.of("applied", "intermediate_with_final_stat"), results(d));
        assertTrue(row.dirty, "the last stat changed");
        assertEquals(Tab.PENDING, row.state.tab());
        assertEquals("ENROUTE", row.state.lastStat());
        assertNull(row.finalAt);
        assertTrue(effects.tabs.list().isEmpty(), "Pending to Pending is no move");
        assertTrue(effects.events.isEmpty());
    }

    // ------------------------------------------------------------------ bounces

    @Test
    void aPermanentHardBounceIsClassedAndCountsTowardSuppression() {
        MessageRow byErr = pending(1, "p1");
        MessageRow byNetworkCode = pending(2, "p2");
        decide(defaults(), receipt("p1", "UNDELIV", "001", null, false), receipt("p2", "UNDELIV", null, "3:1", false));

        assertEquals("permanent", byErr.errorClass);
        assertEquals("001", byErr.error);
        assertEquals(Tab.HARD_BOUNCES, byErr.state.tab());
        assertEquals("permanent", byNetworkCode.errorClass);
        assertEquals(List.of(
                BounceEvent.permanentBounce(byErr.recipient, CARRIER, "err 001"),
                BounceEvent.permanentBounce(byNetworkCode.recipient, CARRIER, "network error 3:1")),
                effects.events);
        assertEquals(List.of(new TabMove(CAMPAIGN, Tab.PENDING, Tab.HARD_BOUNCES, 2)), effects.tabs.list());
    }

    @Test
    void aTransientUndelivGoesToTheConfiguredTabAndNeverCounts() {
        BounceRules soft = new BounceRules(Map.of(),
                new BouncesConfig(Tab.SOFT_BOUNCES, true, 3, SuppressionMode.CONSECUTIVE));
        MessageRow row = pending(1, "t1");
        ReceiptDecisions d = decide(applier(soft, CorrelationWindow.withoutHorizon()),
                receipt("t1", "UNDELIV", "027", null, false));

        assertEquals("transient", row.errorClass);
        assertEquals(Tab.SOFT_BOUNCES, row.state.tab());
        assertEquals("UNDELIV", row.state.lastStat());
        assertEquals(Tab.SOFT_BOUNCES, d.outcomes().get(0).tabAfter());
        assertEquals(List.of(new TabMove(CAMPAIGN, Tab.PENDING, Tab.SOFT_BOUNCES, 1)), effects.tabs.list());
        assertTrue(effects.events.isEmpty());
    }

    @Test
    void aTransientUndelivStaysAHardBounceByDefaultAndStillNeverCounts() {
        MessageRow row = pending(1, "t2");
        decide(defaults(), receipt("t2", "UNDELIV", "027", null, false));

        assertEquals("transient", row.errorClass);
        assertEquals(Tab.HARD_BOUNCES, row.state.tab());
        assertTrue(effects.events.isEmpty());
    }

    // ------------------------------------------------------------------ submits

    static final SubmitOutcome INVALID_NUMBER = SubmitOutcome.rejected(1, CARRIER, 0x0B, null, NOW, 1);

    /** Message {@code id} as locked while in flight: Pending, of the campaign. */
    static Map<Long, InFlightRow> inFlight(long... ids) {
        Map<Long, InFlightRow> out = new HashMap<>();
        for (long id : ids) {
            out.put(id, new InFlightRow(Tab.PENDING, CAMPAIGN, CARRIER, "+44770090000" + id));
        }
        return out;
    }

    @Test
    void submitFailuresAreClassedByTheirStatus() {
        DeliveryApplier applier = defaults();
        assertEquals(BounceClass.PERMANENT, applier.classifySubmit(INVALID_NUMBER));
        assertEquals(BounceClass.TRANSIENT,
                applier.classifySubmit(SubmitOutcome.rejected(2, CARRIER, 0x08, null, NOW, 1)));
        assertEquals(BounceClass.TRANSIENT,
                applier.classifySubmit(SubmitOutcome.failed(3, CARRIER, "timeout", NOW, 1)));
    }

    @Test
    void aPermanentSubmitFailureMovesItsMessageToHardBouncesAndCounts() {
        defaults().decideSubmits(List.of(INVALID_NUMBER), inFlight(1), new int[] {1}, effects);

        assertEquals(List.of(new TabMove(CAMPAIGN, Tab.PENDING, Tab.HARD_BOUNCES, 1)), effects.tabs.list());
        assertEquals(List.of(BounceEvent.permanentBounce("+447700900001", CARRIER, "submit status 11")),
                effects.events);
    }

    @Test
    void aFailureNamedTwiceMovesAndCountsItsMessageOnce() {
        defaults().decideSubmits(List.of(INVALID_NUMBER, INVALID_NUMBER), inFlight(1), new int[] {1, 1}, effects);

        assertEquals(List.of(new TabMove(CAMPAIGN, Tab.PENDING, Tab.HARD_BOUNCES, 1)), effects.tabs.list());
        assertEquals(1, effects.events.size());
        assertEquals(1, effects.finalized.size());
    }

    @Test
    void aFailureWhoseUpdateChangedNoRowDoesNothing() {
        // written twice, about an earlier attempt, or the message was no longer in flight: the guard held
        defaults().decideSubmits(List.of(INVALID_NUMBER), inFlight(1), new int[] {0}, effects);
        // a message that was not in flight when locked is not counted as leaving a tab
        defaults().decideSubmits(List.of(INVALID_NUMBER), inFlight(), new int[] {1}, effects);

        assertTrue(effects.tabs.list().isEmpty());
        assertTrue(effects.events.isEmpty());
    }

    @Test
    void aTransientSubmitFailureMovesItsMessageButNeverCounts() {
        List<SubmitOutcome> transients = List.of(SubmitOutcome.rejected(2, CARRIER, 0x08, null, NOW, 1),
                SubmitOutcome.failed(3, CARRIER, "timeout", NOW, 1));
        defaults().decideSubmits(transients, inFlight(2, 3), new int[] {1, 1}, effects);

        assertEquals(List.of(new TabMove(CAMPAIGN, Tab.PENDING, Tab.HARD_BOUNCES, 2)), effects.tabs.list());
        assertTrue(effects.events.isEmpty());
    }

    @Test
    void acceptedAndRematchedSubmitsMakeKeysKnownAndALockedMessageLetsItsOrphansBeRead() {
        List<SubmitOutcome> submits = List.of(SubmitOutcome.accepted(1, CARRIER, "n1", NOW, 1),
                SubmitOutcome.rejected(2, CARRIER, 0x0B, null, NOW, 1), SubmitOutcome.retry(3, CARRIER, NOW, 1),
                SubmitOutcome.rematch(CARRIER, "n2", NOW), SubmitOutcome.accepted(4, CARRIER, "n3", NOW, 1));
        Set<Key> known = DeliveryApplier.newlyKnown(submits);
        assertEquals(List.of(new Key(CARRIER, "n1"), new Key(CARRIER, "n2"), new Key(CARRIER, "n3")),
                List.copyOf(known));

        pending(1, "n1"); // the only newly known key a locked message carries
        assertEquals(Set.of(new Key(CARRIER, "n1")), DeliveryApplier.orphanKeys(known, rows));
    }

    @Test
    void theKeysToLockAreTheReceiptsAndTheNewlyKnownOnesAnOrphanWaitsFor() {
        Set<Key> locked = DeliveryApplier.keysToLock(Set.of(new Key(CARRIER, "w1")),
                List.of(receipt("r1", "DELIVRD"), receipt("w1", "DELIVRD"), receipt("r1", "ENROUTE")));

        assertEquals(List.of(new Key(CARRIER, "w1"), new Key(CARRIER, "r1")), List.copyOf(locked));
    }

    @Test
    void aMessageIsFinalizedOnceByItsFirstFinalReceiptNotByDuplicatesNorALateDelivrdAfterExpiry() {
        pending(1, "a1");
        message(2, "b2", MessageState.expiredByGateway(), Duration.ofMinutes(5));
        pending(3, "c3");
        decide(defaults(), receipt("a1", "ENROUTE"), receipt("a1", "DELIVRD"), receipt("a1", "DELIVRD"),
                receipt("b2", "DELIVRD"), receipt("c3", "DELETED"), receipt("c3", "UNDELIV"));
        assertEquals(List.of(new Finalization(CARRIER, Tab.DELIVERED, "receipt"),
                new Finalization(CARRIER, Tab.DELETED, "receipt")), effects.finalized);
    }

    @Test
    void aFailedSubmitIsAFirstFinalizationWithItsCauseUnlessTheMessageWasAlreadyFinal() {
        Map<Long, InFlightRow> locked = inFlight(1, 2, 3);
        // expired by the gateway while in flight: it was final already, the rejection moves it but is no new outcome
        locked.put(4L, new InFlightRow(Tab.SOFT_BOUNCES, CAMPAIGN, CARRIER, "+447700900004"));
        defaults().decideSubmits(List.of(SubmitOutcome.rejected(1, CARRIER, 0x0B, null, NOW, 1),
                SubmitOutcome.failed(2, CARRIER, "submit_sm timed out", NOW, 3),
                SubmitOutcome.failed(3, CARRIER, "throttled", NOW, 3),
                SubmitOutcome.rejected(4, CARRIER, 0x0B, null, NOW, 1)), locked, new int[] {1, 1, 1, 1}, effects);
        assertEquals(List.of(new Finalization(CARRIER, Tab.HARD_BOUNCES, "submit-rejected"),
                new Finalization(CARRIER, Tab.HARD_BOUNCES, "submit-timeout"),
                new Finalization(CARRIER, Tab.HARD_BOUNCES, "submit-failed")), effects.finalized);
    }
}
