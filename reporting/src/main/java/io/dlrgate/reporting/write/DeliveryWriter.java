package io.dlrgate.reporting.write;

import io.dlrgate.config.BounceClass;
import io.dlrgate.config.Tab;
import io.dlrgate.reporting.bounce.BounceRules;
import io.dlrgate.reporting.correlation.CorrelationWindow;
import io.dlrgate.reporting.correlation.OrphanStore;
import io.dlrgate.reporting.message.SubmitOutcome;
import io.dlrgate.reporting.state.DeliveryStateMachine;
import io.dlrgate.reporting.state.FinalBy;
import io.dlrgate.reporting.state.MessageState;
import io.dlrgate.reporting.state.ReceiptFacts;
import io.dlrgate.reporting.state.Transition;
import io.dlrgate.reporting.suppression.BounceCounter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Writes one group-commit batch, submit outcomes and receipts together, in ONE transaction: the raw receipt
 * log, the state transitions of the messages the receipts are for, orphans for receipts whose id is not known
 * yet, and the matching of earlier orphans to messages whose carrier id this batch learns.
 *
 * <p>Everything or nothing: if this throws, nothing of the batch is stored and the caller answers the
 * carriers with a temporary error so that they retry. Only after it returns may the receipts be acknowledged.
 *
 * <p>Not thread-safe by design: one committer thread calls it. Serialising submit outcomes and receipts
 * through one writer is what makes "receipt before submit_sm_resp" race-free within a process; across
 * processes the orphan table catches the rest.
 *
 * <p>Bounces: every failure is classed ({@code error_class}, see {@link io.dlrgate.reporting.bounce.BounceClassifier})
 * with the transition that made it; a transient UNDELIV goes to the tab {@code bounces.transient_undeliv_tab} says;
 * permanent hard bounces and deliveries update the per-number counts, and suppress a number at the threshold
 * ({@link BounceCounter}), all in the batch's transaction.
 */
public final class DeliveryWriter implements BatchWriter {

    private final DataSource ds;
    private final Function<String, DeliveryStateMachine> machineForCarrier;
    private final Clock clock;
    private final BounceRules bounces;
    private final BounceCounter counter;
    private final CorrelationWindow correlation;

    /** Default bounce classification and suppression settings, no id-reuse horizon. */
    public DeliveryWriter(DataSource ds, Function<String, DeliveryStateMachine> machineForCarrier, Clock clock) {
        this(ds, machineForCarrier, clock, BounceRules.defaults(), CorrelationWindow.withoutHorizon());
    }

    /**
     * @param correlation which of the messages carrying a receipt's id it can be for (id reuse, causality)
     */
    public DeliveryWriter(DataSource ds, Function<String, DeliveryStateMachine> machineForCarrier, Clock clock,
                          BounceRules bounces, CorrelationWindow correlation) {
        this.ds = ds;
        this.machineForCarrier = machineForCarrier;
        this.clock = clock;
        this.bounces = bounces;
        this.counter = new BounceCounter(bounces.config());
        this.correlation = correlation;
    }

    private record Key(String carrierId, String id) {
    }

    /** One submit attempt of one message. */
    private record Attempt(long messageId, int attempt) {
    }

    /** The state of a locked message row, updated in memory as the batch is applied. */
    private static final class Row {
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

        /** The campaign ({@code null}: a single send) and the tab as locked: the report counters' "before". */
        Long campaignId;
        final Tab tabBefore;

        Row(long id, MessageState state) {
            this.id = id;
            this.state = state;
            this.tabBefore = state.tab();
        }
    }

    /** A receipt to decide: one of this batch, or an orphan of an earlier batch. */
    private record Pending(Key key, String stat, boolean intermediate, String err, int batchIndex, long orphanReceiptId,
                           String networkErrorCode, Instant receivedAt) {
    }

    @Override
    public WriteResult write(List<SubmitOutcome> submits, List<IncomingReceipt> receipts) throws SQLException {
        Instant now = clock.instant();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<BounceCounter.Event> events = new ArrayList<>();
                TabMoves tabs = new TabMoves();
                applySubmits(c, submits, now, events, tabs);
                Applied applied = applyReceipts(c, submits, receipts, now, events, tabs);
                tabs.counters().write(c);
                int suppressed = counter.apply(c, events, now).size();
                c.commit();
                return new WriteResult(applied.receipts(), applied.matchedOrphans(), suppressed, tabs.list());
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }

    private void applySubmits(Connection c, List<SubmitOutcome> submits, Instant now, List<BounceCounter.Event> events,
                              TabMoves tabs) throws SQLException {
        if (submits.isEmpty()) {
            return;
        }
        // Accepted submits, by far the most, go in ONE statement (update ... from unnest(arrays)). Should one
        // attempt of a message be accepted twice in a batch, the first wins, as with one update per row (the second
        // would find it no longer in flight); outcomes of different attempts are told apart by the attempt guard.
        Map<Attempt, SubmitOutcome> acceptedById = new LinkedHashMap<>();
        for (SubmitOutcome s : submits) {
            if (s.kind() == SubmitOutcome.Kind.ACCEPTED) {
                acceptedById.putIfAbsent(new Attempt(s.messageId(), s.attempt()), s);
            }
        }
        if (!acceptedById.isEmpty()) {
            int n = acceptedById.size();
            Long[] ids = new Long[n];
            String[] carrierIds = new String[n];
            Long[] sentAt = new Long[n];
            Integer[] attempts = new Integer[n];
            int i = 0;
            for (SubmitOutcome s : acceptedById.values()) {
                ids[i] = s.messageId();
                carrierIds[i] = s.carrierMessageId();
                attempts[i] = s.attempt();
                sentAt[i++] = epochMicros(s.at());
            }
            try (PreparedStatement accepted = c.prepareStatement("update messages m set dispatch_state = 'submitted', "
                    + "carrier_message_id = u.carrier_message_id, submit_status = 0, sent_at = "
                    + FROM_MICROS.formatted("u.sent_at") + " from unnest(?::int8[], ?::text[], ?::int8[], ?::int4[]) "
                    + "as u(id, carrier_message_id, sent_at, attempt) where m.id = u.id and m.dispatch_state = 'in_flight' "
                    + "and (u.attempt = 0 or m.submit_attempts = u.attempt)")) {
                accepted.setArray(1, c.createArrayOf("int8", ids));
                accepted.setArray(2, c.createArrayOf("text", carrierIds));
                accepted.setArray(3, c.createArrayOf("int8", sentAt));
                accepted.setArray(4, c.createArrayOf("int4", attempts));
                accepted.executeUpdate();
            }
        }
        // Every outcome applies only to the attempt it is about (attempt 0: any): a RETRY written twice, or arriving
        // after the message was claimed again, must not requeue the attempt now in flight (it would be sent twice).
        try (PreparedStatement failed = c.prepareStatement("update messages set dispatch_state = 'failed', "
                     + "submit_status = ?, error = ?, tab = 'hard-bounces', final_by = 'submit', final_at = ?, error_class = ? "
                     + "where id = ? and dispatch_state = 'in_flight' and (?::int4 = 0 or submit_attempts = ?::int4)");
             // Back to the queue, unless the expiry sweeper expired it while in flight: then it is never resent.
             PreparedStatement retry = c.prepareStatement("update messages set dispatch_state = "
                     + "(case when tab = 'pending' then 'queued' else 'expired' end) "
                     + "where id = ? and dispatch_state = 'in_flight' and (?::int4 = 0 or submit_attempts = ?::int4)")) {
            List<SubmitOutcome> failedInOrder = new ArrayList<>();
            List<Long> failedIds = new ArrayList<>();
            for (SubmitOutcome s : submits) {
                switch (s.kind()) {
                    case ACCEPTED -> {
                        // written above
                    }
                    case REJECTED, FAILED -> {
                        if (s.commandStatus() == null) {
                            failed.setNull(1, Types.INTEGER);
                        } else {
                            failed.setInt(1, s.commandStatus());
                        }
                        failed.setString(2, s.error());
                        failed.setTimestamp(3, Timestamp.from(s.at()));
                        BounceClass cls = bounces.classifier(s.carrierId()).classifySubmit(
                                s.kind() == SubmitOutcome.Kind.REJECTED ? s.commandStatus() : null);
                        failed.setString(4, cls == BounceClass.NONE ? null : cls.dbName());
                        failed.setLong(5, s.messageId());
                        failed.setInt(6, s.attempt());
                        failed.setInt(7, s.attempt());
                        failed.addBatch();
                        failedInOrder.add(cls == BounceClass.PERMANENT ? s : null);
                        failedIds.add(s.messageId());
                    }
                    case REMATCH -> {
                        // no submit: its key joins the newly known ones below
                    }
                    case RETRY -> {
                        retry.setLong(1, s.messageId());
                        retry.setInt(2, s.attempt());
                        retry.setInt(3, s.attempt());
                        retry.addBatch();
                    }
                }
            }
            // The tab (and campaign) each failing message leaves, for the report counters: locked here, so the
            // value read is the one the update replaces. Only when something fails (rare).
            Map<Long, Long> campaignOf = new HashMap<>();
            Map<Long, Tab> tabBefore = failedIds.isEmpty() ? Map.of() : inFlightTabs(c, failedIds, campaignOf);
            int[] failedCounts = failed.executeBatch();
            Set<Long> moved = new java.util.HashSet<>();
            for (int i = 0; i < failedIds.size() && i < failedCounts.length; i++) {
                long id = failedIds.get(i);
                if (failedCounts[i] > 0 && tabBefore.containsKey(id) && moved.add(id)) {
                    tabs.move(campaignOf.get(id), tabBefore.get(id), Tab.HARD_BOUNCES);
                }
            }
            retry.executeBatch();
            permanentSubmitBounces(c, failedInOrder, failedCounts, events);
        }
    }

    /** Locks the in-flight messages among {@code ids} (id order) and reads their tab and campaign. */
    private static Map<Long, Tab> inFlightTabs(Connection c, List<Long> ids, Map<Long, Long> campaignOf)
            throws SQLException {
        Map<Long, Tab> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select id, tab, campaign_id from messages where id = any(?) "
                + "and dispatch_state = 'in_flight' order by id for update")) {
            ps.setArray(1, c.createArrayOf("int8", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    out.put(id, Tab.fromSlug(rs.getString(2)).orElseThrow());
                    long campaign = rs.getLong(3);
                    campaignOf.put(id, rs.wasNull() ? null : campaign);
                }
            }
        }
        return out;
    }

    /** Bounce events for the permanent submit failures that did fail their message (it was still in flight). */
    private static void permanentSubmitBounces(Connection c, List<SubmitOutcome> failedInOrder, int[] counts,
                                               List<BounceCounter.Event> events) throws SQLException {
        Map<Long, SubmitOutcome> applied = new LinkedHashMap<>();
        for (int i = 0; i < failedInOrder.size() && i < counts.length; i++) {
            SubmitOutcome s = failedInOrder.get(i);
            if (s != null && counts[i] > 0) {
                applied.putIfAbsent(s.messageId(), s);
            }
        }
        if (applied.isEmpty()) {
            return;
        }
        Map<Long, String> recipients = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select id, recipient from messages where id = any(?)")) {
            ps.setArray(1, c.createArrayOf("int8", applied.keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    recipients.put(rs.getLong(1), rs.getString(2));
                }
            }
        }
        for (SubmitOutcome s : applied.values()) {
            events.add(BounceCounter.Event.permanentBounce(recipients.get(s.messageId()), s.carrierId(),
                    s.error() != null ? "error " + s.error() : "submit status " + s.commandStatus()));
        }
    }

    /** The outcomes of a batch's receipts (in order) and of the earlier orphans it matched. */
    private record Applied(List<ReceiptOutcome> receipts, List<ReceiptOutcome> matchedOrphans) {
    }

    private Applied applyReceipts(Connection c, List<SubmitOutcome> submits, List<IncomingReceipt> receipts,
                                  Instant now, List<BounceCounter.Event> events, TabMoves tabs)
            throws SQLException {
        Set<Key> newlyKnown = new LinkedHashSet<>();
        for (SubmitOutcome s : submits) {
            if (s.carriesKey()) {
                newlyKnown.add(new Key(s.carrierId(), s.carrierMessageId()));
            }
        }
        if (receipts.isEmpty() && newlyKnown.isEmpty()) {
            return new Applied(List.of(), List.of());
        }
        // A newly known id needs its message locked and read only when an open orphan waits for it: the
        // accepted submit's own update already holds the row. One unlocked probe of the (small) open-orphan
        // index spares locking and reading every message of every accepted submit.
        Set<Key> keys = new LinkedHashSet<>(withOpenOrphans(c, newlyKnown));
        for (IncomingReceipt r : receipts) {
            keys.add(new Key(r.carrierId(), r.receiptedId()));
        }
        Map<Key, List<Row>> rows = lockMessages(c, keys);

        // Orphans from earlier batches first: they arrived before anything in this batch.
        List<Pending> order = new ArrayList<>();
        Set<Key> orphanKeys = new LinkedHashSet<>();
        for (Key k : newlyKnown) {
            if (rows.containsKey(k)) {
                orphanKeys.add(k);
            }
        }
        order.addAll(openOrphans(c, orphanKeys));
        for (int i = 0; i < receipts.size(); i++) {
            IncomingReceipt r = receipts.get(i);
            order.add(new Pending(new Key(r.carrierId(), r.receiptedId()), r.stat(), r.intermediate(), r.err(), i, -1,
                    r.networkErrorCode(), r.receivedAt()));
        }

        ReceiptOutcome[] outcomes = new ReceiptOutcome[receipts.size()];
        List<ReceiptOutcome> matched = new ArrayList<>();
        List<long[]> matchedOrphanIds = new ArrayList<>();
        for (Pending p : order) {
            Row row = newestItCanBeFor(rows.get(p.key()), p);
            if (row == null && p.orphanReceiptId() >= 0) {
                continue; // no message with the id can take this old orphan (see CorrelationWindow): it stays open
            }
            ReceiptOutcome outcome;
            if (row == null) {
                outcome = new ReceiptOutcome(null, ReceiptOutcome.ORPHAN, null, null, p.key().carrierId(), p.stat());
            } else {
                DeliveryStateMachine machine = machineForCarrier.apply(p.key().carrierId());
                MessageState before = row.state;
                Transition t = machine.decide(before, new ReceiptFacts(p.stat(), p.intermediate(), p.err()));
                if (t.changed()) {
                    row.state = t.next();
                    row.dirty = true;
                    if (p.err() != null && t.next().isFinal()) {
                        row.error = p.err();
                    }
                    if (t.next().isFinal()) {
                        row.finalAt = now;
                    }
                    classifyBounce(row, p, t.next(), events);
                }
                outcome = new ReceiptOutcome(row.id, t.reason().label(), before.tab(), row.state.tab(),
                        p.key().carrierId(), p.stat(), row.sentAt, now);
            }
            if (p.orphanReceiptId() >= 0) {
                matched.add(outcome);
                matchedOrphanIds.add(new long[] {p.orphanReceiptId(), row.id});
            } else {
                outcomes[p.batchIndex()] = outcome;
            }
        }

        insertReceipts(c, receipts, outcomes);
        List<Row> all = new ArrayList<>();
        rows.values().forEach(all::addAll);
        updateMessages(c, all);
        for (Row row : all) {
            if (row.dirty) {
                tabs.move(row.campaignId, row.tabBefore, row.state.tab());
            }
        }
        markOrphansMatched(c, matchedOrphanIds, now);
        return new Applied(List.of(outcomes), matched);
    }

    /**
     * The class of the error of a message that just changed state, the tab of a transient UNDELIV, and the
     * suppression counting events: a permanent hard bounce counts, a delivery resets the consecutive count.
     */
    private void classifyBounce(Row row, Pending p, MessageState next, List<BounceCounter.Event> events) {
        row.errorClass = null;
        if (!next.isFinal()) {
            return;
        }
        String carrierId = p.key().carrierId();
        BounceClass cls = bounces.classifier(carrierId).classifyReceipt(next.tab(), p.err(), p.networkErrorCode());
        row.errorClass = cls == BounceClass.NONE ? null : cls.dbName();
        if (next.tab() == Tab.DELIVERED) {
            events.add(BounceCounter.Event.delivery(row.recipient));
        } else if (next.tab() == Tab.HARD_BOUNCES) {
            if (cls == BounceClass.PERMANENT) {
                events.add(BounceCounter.Event.permanentBounce(row.recipient, carrierId, p.err() != null
                        ? "err " + p.err() : p.networkErrorCode() != null ? "network error " + p.networkErrorCode()
                        : "without an error code"));
            } else if (cls == BounceClass.TRANSIENT && bounces.config().transientUndelivTab() != Tab.HARD_BOUNCES) {
                row.state = new MessageState(bounces.config().transientUndelivTab(), next.lastStat(), next.finalBy());
            }
        }
    }

    /**
     * Binds correlation keys as parameters 1 and 2: two parallel text arrays (carrier ids, carrier message ids)
     * for {@code (carrier_id, ...) in (select * from unnest(?::text[], ?::text[]))}.
     */
    private static void bindKeys(Connection c, PreparedStatement ps, Set<Key> keys) throws SQLException {
        String[] carriers = new String[keys.size()];
        String[] ids = new String[keys.size()];
        int i = 0;
        for (Key k : keys) {
            carriers[i] = k.carrierId();
            ids[i++] = k.id();
        }
        ps.setArray(1, c.createArrayOf("text", carriers));
        ps.setArray(2, c.createArrayOf("text", ids));
    }

    /**
     * The newest of the messages carrying a receipt's id that the receipt can be for ({@link CorrelationWindow}):
     * carriers recycle ids, so several may carry it; null when none can (the receipt is, or stays, an orphan).
     * The re-match backstop's query ({@link OrphanStore#matchableOlderThan}) asks the same: is there one.
     */
    private Row newestItCanBeFor(List<Row> candidates, Pending p) {
        if (candidates == null) {
            return null;
        }
        for (int i = candidates.size() - 1; i >= 0; i--) { // in id order: newest last
            Row row = candidates.get(i);
            if (correlation.belongs(p.key().carrierId(), p.receivedAt(), row.createdAt, row.sentAt)) {
                return row;
            }
        }
        return null;
    }

    /**
     * Locks (in id order, so two writers never deadlock) and reads the messages these keys name: per key, every
     * message carrying it, oldest first.
     */
    private Map<Key, List<Row>> lockMessages(Connection c, Set<Key> keys) throws SQLException {
        Map<Key, List<Row>> rows = new HashMap<>();
        if (keys.isEmpty()) {
            return rows;
        }
        try (PreparedStatement ps = c.prepareStatement("select id, carrier_id, carrier_message_id, tab, last_stat, "
                + "final_by, error, sent_at, recipient, campaign_id, created_at from messages where "
                + "(carrier_id, carrier_message_id) in "
                + "(select * from unnest(?::text[], ?::text[])) order by id for update")) {
            bindKeys(c, ps, keys);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Tab tab = Tab.fromSlug(rs.getString(4)).orElseThrow();
                    Row row = new Row(rs.getLong(1), new MessageState(tab, rs.getString(5),
                            finalBy(tab, rs.getString(6))));
                    row.error = rs.getString(7);
                    row.recipient = rs.getString("recipient");
                    long campaign = rs.getLong(10);
                    row.campaignId = rs.wasNull() ? null : campaign;
                    Timestamp sentAt = rs.getTimestamp(8);
                    row.sentAt = sentAt == null ? null : sentAt.toInstant();
                    row.createdAt = rs.getTimestamp(11).toInstant();
                    rows.computeIfAbsent(new Key(rs.getString(2), rs.getString(3)), k -> new ArrayList<>()).add(row);
                }
            }
        }
        return rows;
    }

    /** The keys among these that have an open orphan (no lock taken; the locking read follows). */
    private static Set<Key> withOpenOrphans(Connection c, Set<Key> keys) throws SQLException {
        Set<Key> out = new LinkedHashSet<>();
        if (keys.isEmpty()) {
            return out;
        }
        Set<Key> found = new java.util.HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("select distinct o.carrier_id, o.receipted_id "
                + "from orphan_receipts o where o.matched_at is null and (o.carrier_id, o.receipted_id) in "
                + "(select * from unnest(?::text[], ?::text[]))")) {
            bindKeys(c, ps, keys);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new Key(rs.getString(1), rs.getString(2)));
                }
            }
        }
        for (Key k : keys) {
            if (found.contains(k)) {
                out.add(k);
            }
        }
        return out;
    }

    private List<Pending> openOrphans(Connection c, Set<Key> keys) throws SQLException {
        List<Pending> out = new ArrayList<>();
        if (keys.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("select o.receipt_id, o.carrier_id, o.receipted_id, r.stat, "
                + "r.intermediate, r.err, r.network_error_code, o.received_at from orphan_receipts o "
                + "join receipts r on r.id = o.receipt_id "
                + "where o.matched_at is null and (o.carrier_id, o.receipted_id) in "
                + "(select * from unnest(?::text[], ?::text[])) order by o.receipt_id for update of o")) {
            bindKeys(c, ps, keys);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Pending(new Key(rs.getString(2), rs.getString(3)), rs.getString(4),
                            rs.getBoolean(5), rs.getString(6), -1, rs.getLong(1), rs.getString(7),
                            rs.getTimestamp(8).toInstant()));
                }
            }
        }
        return out;
    }

    /**
     * The raw log rows of the batch in ONE statement: each column travels as an array and {@code unnest} turns
     * them back into rows. One parse, one plan (cached by the driver), one execution, instead of a multi-row
     * INSERT rewritten per batch shape. Timestamps travel as epoch microseconds, rounded half up from nanoseconds
     * exactly as the driver rounds a {@code setTimestamp}, so the stored values are the same.
     */
    private void insertReceipts(Connection c, List<IncomingReceipt> receipts, ReceiptOutcome[] outcomes)
            throws SQLException {
        if (receipts.isEmpty()) {
            return;
        }
        int n = receipts.size();
        long[] ids = nextReceiptIds(c, n);
        Long[] id = new Long[n];
        Long[] receivedAt = new Long[n];
        String[] carrierId = new String[n];
        String[] command = new String[n];
        Integer[] esmClass = new Integer[n];
        String[] rawId = new String[n];
        String[] receiptedId = new String[n];
        String[] stat = new String[n];
        String[] err = new String[n];
        String[] nec = new String[n];
        Integer[] messageState = new Integer[n];
        Long[] submitDate = new Long[n];
        Long[] doneDate = new Long[n];
        Boolean[] intermediate = new Boolean[n];
        String[] body = new String[n];
        Long[] messageId = new Long[n];
        String[] outcome = new String[n];
        for (int i = 0; i < n; i++) {
            IncomingReceipt r = receipts.get(i);
            ReceiptOutcome o = outcomes[i];
            id[i] = ids[i];
            receivedAt[i] = epochMicros(r.receivedAt());
            carrierId[i] = r.carrierId();
            command[i] = r.command();
            esmClass[i] = r.esmClass();
            rawId[i] = r.receiptedIdRaw();
            receiptedId[i] = r.receiptedId();
            stat[i] = r.stat();
            err[i] = r.err();
            nec[i] = r.networkErrorCode();
            messageState[i] = r.messageState();
            submitDate[i] = epochMicros(r.submitDate());
            doneDate[i] = epochMicros(r.doneDate());
            intermediate[i] = r.intermediate();
            body[i] = r.body();
            messageId[i] = o.messageId();
            outcome[i] = o.result();
        }
        try (PreparedStatement ps = c.prepareStatement("insert into receipts (id, received_at, carrier_id, command, "
                + "esm_class, receipted_id_raw, receipted_id, stat, err, network_error_code, message_state, "
                + "submit_date, done_date, intermediate, body, message_id, outcome) "
                + "select u.id, " + FROM_MICROS.formatted("u.received_at") + ", u.carrier_id, u.command, u.esm_class, "
                + "u.raw_id, u.receipted_id, u.stat, u.err, u.nec, u.message_state, "
                + FROM_MICROS.formatted("u.submit_date") + ", " + FROM_MICROS.formatted("u.done_date") + ", "
                + "u.intermediate, u.body, u.message_id, u.outcome "
                + "from unnest(?::int8[], ?::int8[], ?::text[], ?::text[], ?::int4[], ?::text[], ?::text[], ?::text[], "
                + "?::text[], ?::text[], ?::int4[], ?::int8[], ?::int8[], ?::bool[], ?::text[], ?::int8[], ?::text[]) "
                + "as u(id, received_at, carrier_id, command, esm_class, raw_id, receipted_id, stat, err, nec, "
                + "message_state, submit_date, done_date, intermediate, body, message_id, outcome)");
             PreparedStatement orphan = c.prepareStatement("insert into orphan_receipts (receipt_id, carrier_id, "
                     + "receipted_id, received_at) values (?,?,?,?)")) {
            int p = 1;
            ps.setArray(p++, c.createArrayOf("int8", id));
            ps.setArray(p++, c.createArrayOf("int8", receivedAt));
            ps.setArray(p++, c.createArrayOf("text", carrierId));
            ps.setArray(p++, c.createArrayOf("text", command));
            ps.setArray(p++, c.createArrayOf("int4", esmClass));
            ps.setArray(p++, c.createArrayOf("text", rawId));
            ps.setArray(p++, c.createArrayOf("text", receiptedId));
            ps.setArray(p++, c.createArrayOf("text", stat));
            ps.setArray(p++, c.createArrayOf("text", err));
            ps.setArray(p++, c.createArrayOf("text", nec));
            ps.setArray(p++, c.createArrayOf("int4", messageState));
            ps.setArray(p++, c.createArrayOf("int8", submitDate));
            ps.setArray(p++, c.createArrayOf("int8", doneDate));
            ps.setArray(p++, c.createArrayOf("bool", intermediate));
            ps.setArray(p++, c.createArrayOf("text", body));
            ps.setArray(p++, c.createArrayOf("int8", messageId));
            ps.setArray(p, c.createArrayOf("text", outcome));
            ps.executeUpdate();
            boolean anyOrphan = false;
            for (int i = 0; i < n; i++) {
                if (outcomes[i].orphan()) {
                    IncomingReceipt r = receipts.get(i);
                    orphan.setLong(1, ids[i]);
                    orphan.setString(2, r.carrierId());
                    orphan.setString(3, r.receiptedId());
                    orphan.setTimestamp(4, Timestamp.from(r.receivedAt()));
                    orphan.addBatch();
                    anyOrphan = true;
                }
            }
            if (anyOrphan) {
                orphan.executeBatch();
            }
        }
    }

    /** SQL turning epoch microseconds (int8, null stays null) back into a timestamptz, exactly. */
    private static final String FROM_MICROS = "(timestamptz 'epoch' + %s * interval '1 microsecond')";

    /**
     * Epoch microseconds of an instant, rounded half up from nanoseconds: the same value pgjdbc sends for
     * {@code setTimestamp(Timestamp.from(instant))}. Null stays null.
     */
    static Long epochMicros(Instant t) {
        if (t == null) {
            return null;
        }
        // Seconds to micros, then the nanos rounded: the same value as rounding the total nanos, without computing
        // them (epoch nanos overflow a long before 1677 and after 2262, and receipts do carry dates like 9999).
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), (t.getNano() + 500L) / 1_000L);
    }

    /** Ids for the whole batch in one round trip, so receipts and their orphan rows can be inserted as batches. */
    private static long[] nextReceiptIds(Connection c, int n) throws SQLException {
        long[] ids = new long[n];
        try (PreparedStatement ps = c.prepareStatement(
                "select nextval('receipts_id_seq') from generate_series(1, ?)")) {
            ps.setInt(1, n);
            try (ResultSet rs = ps.executeQuery()) {
                int i = 0;
                while (rs.next()) {
                    ids[i++] = rs.getLong(1);
                }
            }
        }
        return ids;
    }

    /**
     * The changed messages of the batch in ONE statement ({@code update ... from unnest(arrays)}) instead of one
     * execution per row. Every row is already locked by {@link #lockMessages}, and ids are unique in the batch.
     * {@code final_at} is the batch's time for rows that became final now, else unchanged.
     */
    private static void updateMessages(Connection c, Iterable<Row> rows) throws SQLException {
        List<Row> dirty = new ArrayList<>();
        for (Row row : rows) {
            if (row.dirty) {
                dirty.add(row);
            }
        }
        if (dirty.isEmpty()) {
            return;
        }
        int n = dirty.size();
        Long[] id = new Long[n];
        String[] tab = new String[n];
        String[] lastStat = new String[n];
        String[] error = new String[n];
        String[] errorClass = new String[n];
        String[] finalBy = new String[n];
        Long[] finalAt = new Long[n];
        for (int i = 0; i < n; i++) {
            Row row = dirty.get(i);
            id[i] = row.id;
            tab[i] = row.state.tab().slug();
            lastStat[i] = row.state.lastStat();
            error[i] = row.error;
            errorClass[i] = row.errorClass;
            finalBy[i] = finalByColumn(row.state.finalBy());
            finalAt[i] = epochMicros(row.finalAt);
        }
        try (PreparedStatement ps = c.prepareStatement("update messages m set tab = u.tab, last_stat = u.last_stat, "
                + "error = u.error, error_class = u.error_class, final_by = u.final_by, final_at = coalesce("
                + FROM_MICROS.formatted("u.final_at") + ", m.final_at) from unnest(?::int8[], ?::text[], ?::text[], "
                + "?::text[], ?::text[], ?::int8[], ?::text[]) "
                + "as u(id, tab, last_stat, error, final_by, final_at, error_class) where m.id = u.id")) {
            ps.setArray(1, c.createArrayOf("int8", id));
            ps.setArray(2, c.createArrayOf("text", tab));
            ps.setArray(3, c.createArrayOf("text", lastStat));
            ps.setArray(4, c.createArrayOf("text", error));
            ps.setArray(5, c.createArrayOf("text", finalBy));
            ps.setArray(6, c.createArrayOf("int8", finalAt));
            ps.setArray(7, c.createArrayOf("text", errorClass));
            ps.executeUpdate();
        }
    }

    private static void markOrphansMatched(Connection c, List<long[]> matched, Instant now) throws SQLException {
        if (matched.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "update orphan_receipts set matched_at = ?, message_id = ? where receipt_id = ?");
             PreparedStatement log = c.prepareStatement(
                     "update receipts set message_id = ? where id = ? and message_id is null")) {
            for (long[] m : matched) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setLong(2, m[1]);
                ps.setLong(3, m[0]);
                ps.addBatch();
                log.setLong(1, m[1]);
                log.setLong(2, m[0]);
                log.addBatch();
            }
            ps.executeBatch();
            log.executeBatch();
        }
    }

    static FinalBy finalBy(Tab tab, String column) {
        if (!tab.isFinal()) {
            return FinalBy.NOT_FINAL;
        }
        // A submit refused by the carrier is as final as a receipt: later receipts must not move it.
        return "expiry".equals(column) ? FinalBy.GATEWAY_EXPIRY : FinalBy.RECEIPT;
    }

    static String finalByColumn(FinalBy f) {
        return switch (f) {
            case NOT_FINAL -> null;
            case RECEIPT -> "receipt";
            case GATEWAY_EXPIRY -> "expiry";
        };
    }
}
