package io.dlrgate.reporting.write;

import io.dlrgate.config.BounceClass;
import io.dlrgate.config.Tab;
import io.dlrgate.reporting.bounce.BounceRules;
import io.dlrgate.reporting.correlation.CorrelationWindow;
import io.dlrgate.reporting.message.SubmitOutcome;
import io.dlrgate.reporting.report.FailureCause;
import io.dlrgate.reporting.state.DeliveryStateMachine;
import io.dlrgate.reporting.state.FinalBy;
import io.dlrgate.reporting.state.MessageState;
import io.dlrgate.reporting.state.PartsRule;
import io.dlrgate.reporting.state.ReceiptFacts;
import io.dlrgate.reporting.state.Transition;
import io.dlrgate.reporting.suppression.BounceEvent;
import io.dlrgate.reporting.webhooks.WebhookEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Function;

/**
 * The decisions of one group-commit batch, without a database: given the message rows the writer locked and read,
 * the receipts in the order they came (and the orphans they may match), it decides each receipt's message
 * (correlation), the state transition ({@link DeliveryStateMachine}), the bounce class and the tab of a transient
 * UNDELIV, and gathers what the writer then stores: the changed rows, the tab moves and the bounce counting events.
 * Likewise for the batch's failed submits, once the writer's guarded update of each ran ({@link #decideSubmits}),
 * and which keys the writer locks and reads for orphans to match.
 *
 * <p>{@link DeliveryWriter} runs the SQL around it (locking, reading, writing, in one transaction); this class
 * imports no JDBC, so every rule here is unit-tested on plain values.
 *
 * <p>Thread-safe: it holds no state between calls (a batch's rows and {@link Effects} belong to the caller), and the
 * group-commit lanes share one, through their shared writer. Ordering is per correlation key within a lane.
 */
final class DeliveryApplier {

    /** A correlation key: the carrier and its normalised message id. */
    record Key(String carrierId, String id) {
    }

    /** The state of a locked message row, updated in memory as the batch is applied. */
    static final class MessageRow {
        final long id;
        MessageState state;
        String error;
        boolean dirty;
        String recipient;
        /** {@code messages.error_class} as written with a change: permanent, transient, or null. */
        String errorClass;
        Instant finalAt;
        Instant sentAt;
        Instant createdAt;

        /**
         * The campaign ({@code null}: a single send), the carrier and the tab as locked: the report counters' keys
         * and "before".
         */
        Long campaignId;
        final String carrierId;
        final Tab tabBefore;

        /**
         * A message sent as concatenated parts: which of its parts carries each key of the batch that reached it,
         * all its stored parts by number, and how many it has. Null / 0 for a message sent in one submit_sm.
         */
        Map<Key, Integer> partByKey;
        SortedMap<Integer, PartRows.PartRow> parts;
        int totalParts;

        MessageRow(long id, String carrierId, MessageState state) {
            this.id = id;
            this.carrierId = carrierId;
            this.state = state;
            this.tabBefore = state.tab();
        }
    }

    /**
     * A receipt to decide: one of this batch ({@code batchIndex} >= 0, {@code orphanReceiptId} -1), or an orphan of
     * an earlier batch ({@code batchIndex} -1, its stored receipt id).
     */
    record PendingReceipt(Key key, String stat, boolean intermediate, String err, int batchIndex,
                          long orphanReceiptId, String networkErrorCode, Instant receivedAt) {

        static PendingReceipt of(IncomingReceipt r, int batchIndex) {
            return new PendingReceipt(new Key(r.carrierId(), r.receiptedId()), r.stat(), r.intermediate(), r.err(),
                    batchIndex, -1, r.networkErrorCode(), r.receivedAt());
        }

        boolean isOrphan() {
            return orphanReceiptId >= 0;
        }
    }

    /** An orphan of an earlier batch that this batch matched to a message. */
    record OrphanMatch(long receiptId, long messageId) {
    }

    /**
     * What deciding a batch's receipts gave.
     *
     * @param outcomes       one per receipt of the batch, in its order
     * @param matched        outcomes of the earlier orphans matched now
     * @param orphanMatches  those orphans' receipt ids and their messages
     */
    record ReceiptDecisions(List<ReceiptOutcome> outcomes, List<ReceiptOutcome> matched,
                            List<OrphanMatch> orphanMatches) {
    }

    /** What a batch changes besides its message rows: the tab moves and the bounce counting events, in order. */
    static final class Effects {
        final TabMoves tabs = new TabMoves();
        final List<BounceEvent> events = new ArrayList<>();
        final List<Finalization> finalized = new ArrayList<>();
        /** The batch's webhook events, in the order of its changes; null when no endpoint listens (none built). */
        final List<WebhookEvent> webhook;

        Effects() {
            this(false);
        }

        Effects(boolean webhook) {
            this.webhook = webhook ? new ArrayList<>() : null;
        }
    }

    private final Function<String, DeliveryStateMachine> machineForCarrier;
    private final BounceRules bounces;
    private final CorrelationWindow correlation;

    DeliveryApplier(Function<String, DeliveryStateMachine> machineForCarrier, BounceRules bounces,
                    CorrelationWindow correlation) {
        this.machineForCarrier = machineForCarrier;
        this.bounces = bounces;
        this.correlation = correlation;
    }

    // ------------------------------------------------------------------ submits

    /**
     * A message a failed submit names, as the writer locked it while it was still in flight, before the failure's
     * update: the tab (and campaign and carrier) it leaves, for the report counters, and its number, for bounce
     * counting.
     */
    record InFlightRow(Tab tab, Long campaignId, String carrierId, String recipient) {
    }

    /** The bounce class of a submit that failed the message (REJECTED by its status; FAILED has none). */
    BounceClass classifySubmit(SubmitOutcome s) {
        return bounces.classifier(s.carrierId()).classifySubmit(
                s.kind() == SubmitOutcome.Kind.REJECTED ? s.commandStatus() : null);
    }

    /**
     * What the batch's failed submits (REJECTED, FAILED) did, once the writer's update of each ran: a failure whose
     * update failed its message, which was in flight, moves it to Hard bounces, a first finalization with its cause
     * unless the gateway's expiry had already made it final meanwhile; a permanent one also counts as a hard bounce of
     * the number. Each message moves, finalizes and counts once however many outcomes name it. A failure whose update
     * changed nothing (written twice, about an earlier attempt, or the message no longer in flight) does nothing.
     *
     * @param failed       the failed outcomes, in the order the writer's update ran them
     * @param inFlightRows the messages they name that were in flight, by id
     * @param updated      per failed outcome, the rows its update changed
     */
    void decideSubmits(List<SubmitOutcome> failed, Map<Long, InFlightRow> inFlightRows, int[] updated,
                       Effects out) {
        Set<Long> moved = new HashSet<>();
        Set<Long> counted = new HashSet<>();
        for (int i = 0; i < failed.size() && i < updated.length; i++) {
            SubmitOutcome s = failed.get(i);
            InFlightRow row = inFlightRows.get(s.messageId());
            if (updated[i] <= 0 || row == null) {
                continue;
            }
            if (moved.add(s.messageId())) {
                out.tabs.move(row.campaignId(), row.carrierId(), row.tab(), Tab.HARD_BOUNCES);
                String cause = FailureCause.of(Tab.HARD_BOUNCES, "submit", s.commandStatus(), s.error());
                if (!row.tab().isFinal()) {
                    out.finalized.add(new Finalization(s.carrierId(), Tab.HARD_BOUNCES, cause));
                }
                if (out.webhook != null) {
                    BounceClass cls = classifySubmit(s);
                    String errorClass = cls == BounceClass.NONE ? null : cls.dbName();
                    String err = s.error() != null ? s.error() : s.commandStatus() == null ? null
                            : String.valueOf(s.commandStatus());
                    if (row.tab() != Tab.HARD_BOUNCES) {
                        out.webhook.add(WebhookEvent.tabChanged(s.messageId(), row.campaignId(), row.recipient(),
                                Tab.HARD_BOUNCES, null, err, errorClass, s.at()));
                    }
                    if (!row.tab().isFinal()) {
                        out.webhook.add(WebhookEvent.finalized(s.messageId(), row.campaignId(), row.recipient(),
                                Tab.HARD_BOUNCES, null, err, errorClass, cause, s.at()));
                    }
                }
            }
            if (classifySubmit(s) == BounceClass.PERMANENT && counted.add(s.messageId())) {
                out.events.add(BounceEvent.permanentBounce(row.recipient(), s.carrierId(),
                        s.error() != null ? "error " + s.error() : "submit status " + s.commandStatus()));
            }
        }
    }

    /** The correlation keys the batch's submit outcomes make known (accepted, rematched): orphans may wait for them. */
    static Set<Key> newlyKnown(List<SubmitOutcome> submits) {
        Set<Key> out = new LinkedHashSet<>();
        for (SubmitOutcome s : submits) {
            if (s.carriesKey()) {
                out.add(new Key(s.carrierId(), s.carrierMessageId()));
            }
        }
        return out;
    }

    /**
     * The keys whose messages the writer locks and reads: those of the batch's receipts, and the newly known keys an
     * open orphan waits for (the accepted submit's own update already holds the row of the others).
     */
    static Set<Key> keysToLock(Set<Key> newlyKnownWithOrphans, List<IncomingReceipt> receipts) {
        Set<Key> out = new LinkedHashSet<>(newlyKnownWithOrphans);
        for (IncomingReceipt r : receipts) {
            out.add(new Key(r.carrierId(), r.receiptedId()));
        }
        return out;
    }

    /** The newly known keys whose open orphans to read and match: those a locked message carries. */
    static Set<Key> orphanKeys(Set<Key> newlyKnown, Map<Key, List<MessageRow>> rows) {
        Set<Key> out = new LinkedHashSet<>();
        for (Key k : newlyKnown) {
            if (rows.containsKey(k)) {
                out.add(k);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ receipts

    /**
     * Decides the receipts of a batch, the orphans first (they arrived before anything in this batch).
     *
     * @param rows     per key, every locked message carrying it, in id order (oldest first); changed in place
     *                 ({@link MessageRow#dirty}) and their tab moves added to {@code out}
     * @param orphans  open orphans of the keys this batch makes known, in receipt order
     * @param receipts the batch's receipts, in order
     * @param now      the batch's time: {@code final_at} of what becomes final, the outcomes' decision time
     */
    ReceiptDecisions decideReceipts(Map<Key, List<MessageRow>> rows, List<PendingReceipt> orphans,
                                    List<IncomingReceipt> receipts, Instant now, Effects out) {
        List<PendingReceipt> order = new ArrayList<>(orphans.size() + receipts.size());
        order.addAll(orphans);
        for (int i = 0; i < receipts.size(); i++) {
            order.add(PendingReceipt.of(receipts.get(i), i));
        }
        ReceiptOutcome[] outcomes = new ReceiptOutcome[receipts.size()];
        List<ReceiptOutcome> matched = new ArrayList<>();
        List<OrphanMatch> orphanMatches = new ArrayList<>();
        for (PendingReceipt p : order) {
            MessageRow row = newestItCanBeFor(rows.get(p.key()), p);
            if (row == null && p.isOrphan()) {
                continue; // no message with the id can take this old orphan (see CorrelationWindow): it stays open
            }
            ReceiptOutcome outcome = row == null
                    ? new ReceiptOutcome(null, ReceiptOutcome.ORPHAN, null, null, p.key().carrierId(), p.stat())
                    : apply(row, p, now, out);
            if (p.isOrphan()) {
                matched.add(outcome);
                orphanMatches.add(new OrphanMatch(p.orphanReceiptId(), row.id));
            } else {
                outcomes[p.batchIndex()] = outcome;
            }
        }
        for (MessageRow row : distinct(rows)) {
            if (row.dirty) {
                out.tabs.move(row.campaignId, row.carrierId, row.tabBefore, row.state.tab());
            }
        }
        return new ReceiptDecisions(List.of(outcomes), matched, orphanMatches);
    }

    /** Every row once (a message of parts is reached by the key of each part the batch names). */
    static Set<MessageRow> distinct(Map<Key, List<MessageRow>> rows) {
        Set<MessageRow> out = Collections.newSetFromMap(new IdentityHashMap<>());
        rows.values().forEach(out::addAll);
        return out;
    }

    /** One receipt on its message: the state machine's transition, and the bounce that comes with it. */
    private ReceiptOutcome apply(MessageRow row, PendingReceipt p, Instant now, Effects out) {
        Integer partNo = row.partByKey == null ? null : row.partByKey.get(p.key());
        if (partNo != null) {
            return applyToPart(row, partNo, p, now, out);
        }
        DeliveryStateMachine machine = machineForCarrier.apply(p.key().carrierId());
        MessageState before = row.state;
        Transition t = machine.decide(before, new ReceiptFacts(p.stat(), p.intermediate(), p.err()));
        if (t.changed()) {
            changeMessage(row, before, t.next(), p, now, out);
        }
        return new ReceiptOutcome(row.id, t.reason().label(), before.tab(), row.state.tab(), p.key().carrierId(),
                p.stat(), row.sentAt, now);
    }

    /**
     * A receipt for one part of a message sent as concatenated parts: the state machine moves the part (duplicates
     * and late intermediates change nothing, as for a message), then {@link PartsRule} gives the message's tab from
     * all its parts. The message changes when the rule's tab differs, unless the gateway (expiry, a refused submit)
     * made it final: those stay, as for a message.
     */
    private ReceiptOutcome applyToPart(MessageRow row, int partNo, PendingReceipt p, Instant now, Effects out) {
        PartRows.PartRow part = row.parts == null ? null : row.parts.get(partNo);
        MessageState before = row.state;
        if (part == null) { // cannot happen: the key was read from the part's row in this transaction
            return new ReceiptOutcome(row.id, "unknown-part", before.tab(), before.tab(), p.key().carrierId(),
                    p.stat(), row.sentAt, now);
        }
        DeliveryStateMachine machine = machineForCarrier.apply(p.key().carrierId());
        Transition t = machine.decide(part.state, new ReceiptFacts(p.stat(), p.intermediate(), p.err()));
        if (t.changed()) {
            part.state = t.next();
            part.dirty = true;
            if (p.err() != null && t.next().isFinal()) {
                part.error = p.err();
            }
            if (t.next().isFinal()) {
                part.finalAt = now;
            }
            List<Tab> tabs = new ArrayList<>(row.parts.size());
            row.parts.values().forEach(x -> tabs.add(x.state.tab()));
            Tab tab = PartsRule.tabOf(tabs, row.totalParts);
            boolean gatewayFinal = before.isFinal() && before.finalBy() != FinalBy.RECEIPT;
            if (tab != before.tab() && !gatewayFinal) {
                MessageState next = tab.isFinal() ? MessageState.finalByReceipt(tab, p.stat())
                        : MessageState.pending(p.stat());
                changeMessage(row, before, next, p, now, out);
            } else if (!gatewayFinal && !before.isFinal()) {
                // still pending: the last stat seen, as for a message's intermediate receipts
                row.state = MessageState.pending(p.stat());
                row.dirty = true;
            }
        }
        return new ReceiptOutcome(row.id, t.reason().label(), before.tab(), row.state.tab(), p.key().carrierId(),
                p.stat(), row.sentAt, now);
    }

    /** A message's move to {@code next} because of receipt {@code p}: error, finalization, bounce, webhooks. */
    private void changeMessage(MessageRow row, MessageState before, MessageState next, PendingReceipt p, Instant now,
                               Effects out) {
        row.state = next;
        row.dirty = true;
        if (p.err() != null && next.isFinal()) {
            row.error = p.err();
        }
        if (next.isFinal()) {
            row.finalAt = now;
        }
        classifyBounce(row, p, next, out);
        if (!before.isFinal() && row.state.isFinal()) {
            out.finalized.add(new Finalization(p.key().carrierId(), row.state.tab(), FailureCause.RECEIPT));
        }
        if (out.webhook != null) {
            tellWebhooks(row, before, p, now, out.webhook);
        }
    }

    /** The webhook events of one applied receipt: a tab change, and the first finalization. */
    private static void tellWebhooks(MessageRow row, MessageState before, PendingReceipt p, Instant now,
                                     List<WebhookEvent> out) {
        MessageState after = row.state;
        String err = after.isFinal() ? row.error : p.err();
        if (after.tab() != before.tab()) {
            out.add(WebhookEvent.tabChanged(row.id, row.campaignId, row.recipient, after.tab(), p.stat(), err,
                    row.errorClass, now));
        }
        if (!before.isFinal() && after.isFinal()) {
            out.add(WebhookEvent.finalized(row.id, row.campaignId, row.recipient, after.tab(), p.stat(), err,
                    row.errorClass, FailureCause.RECEIPT, now));
        }
    }

    /**
     * The class of the error of a message that just changed state, the tab of a transient UNDELIV, and the
     * suppression counting events: a permanent hard bounce counts, a delivery resets the consecutive count.
     */
    private void classifyBounce(MessageRow row, PendingReceipt p, MessageState next, Effects out) {
        row.errorClass = null;
        if (!next.isFinal()) {
            return;
        }
        String carrierId = p.key().carrierId();
        BounceClass cls = bounces.classifier(carrierId).classifyReceipt(next.tab(), p.err(), p.networkErrorCode());
        row.errorClass = cls == BounceClass.NONE ? null : cls.dbName();
        if (next.tab() == Tab.DELIVERED) {
            out.events.add(BounceEvent.delivery(row.recipient));
        } else if (next.tab() == Tab.HARD_BOUNCES) {
            if (cls == BounceClass.PERMANENT) {
                out.events.add(BounceEvent.permanentBounce(row.recipient, carrierId, p.err() != null
                        ? "err " + p.err() : p.networkErrorCode() != null ? "network error " + p.networkErrorCode()
                        : "without an error code"));
            } else if (cls == BounceClass.TRANSIENT && bounces.config().transientUndelivTab() != Tab.HARD_BOUNCES) {
                row.state = new MessageState(bounces.config().transientUndelivTab(), next.lastStat(), next.finalBy());
            }
        }
    }

    /**
     * The newest of the messages carrying a receipt's id that the receipt can be for ({@link CorrelationWindow}):
     * carriers recycle ids, so several may carry it; null when none can (the receipt is, or stays, an orphan).
     * The re-match backstop's query ({@link io.dlrgate.reporting.correlation.OrphanStore#matchableOlderThan}) asks
     * the same: is there one.
     */
    private MessageRow newestItCanBeFor(List<MessageRow> candidates, PendingReceipt p) {
        if (candidates == null) {
            return null;
        }
        for (int i = candidates.size() - 1; i >= 0; i--) { // in id order: newest last
            MessageRow row = candidates.get(i);
            if (correlation.belongs(p.key().carrierId(), p.receivedAt(), row.createdAt, row.sentAt)) {
                return row;
            }
        }
        return null;
    }
}
