package io.dlrgate.reporting.write;

import io.dlrgate.config.BounceClass;
import io.dlrgate.config.Tab;
import io.dlrgate.reporting.bounce.BounceRules;
import io.dlrgate.reporting.correlation.CorrelationWindow;
import io.dlrgate.reporting.db.StoreErrors;
import io.dlrgate.reporting.message.SubmitOutcome;
import io.dlrgate.reporting.state.DeliveryStateMachine;
import io.dlrgate.reporting.state.FinalBy;
import io.dlrgate.reporting.state.MessageState;
import io.dlrgate.reporting.suppression.BounceCounter;
import io.dlrgate.reporting.webhooks.Outbox;
import io.dlrgate.reporting.webhooks.WebhookEvent;
import io.dlrgate.reporting.write.DeliveryApplier.InFlightRow;
import io.dlrgate.reporting.write.DeliveryApplier.Key;
import io.dlrgate.reporting.write.DeliveryApplier.MessageRow;
import io.dlrgate.reporting.write.DeliveryApplier.PendingReceipt;
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
import java.util.HashSet;
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
 * <p>Thread-safe: it holds no state between calls, and the {@link GroupCommitter}'s lanes share one, each lane's
 * thread writing its own batches. Ordering is per correlation key within a lane: a submit outcome that makes an id
 * known and the receipts for that id go to the same lane, whose one thread writes them in the order they came; that
 * is what makes "receipt before submit_sm_resp" race-free within a process. Lanes meet on row locks taken in id
 * order; across processes the orphan table catches the rest.
 *
 * <p>This class is the SQL: it locks and reads the rows a batch names, and writes what {@link DeliveryApplier}
 * decided for them (correlation, state transitions, bounce classes, tab moves, bounce events). The per-number bounce
 * counts and suppressions ({@link BounceCounter}), the report counters and the raw log ({@link ReceiptLog}) are
 * written in the same transaction, and so are recipients' replies and their opt-outs ({@link ReplyWriter}).
 */
public final class DeliveryWriter implements BatchWriter {

    private final DataSource ds;
    private final Clock clock;
    private final DeliveryApplier applier;
    private final BounceCounter bounceCounter;
    private final ReplyWriter replyWriter = new ReplyWriter();
    private final Outbox outbox;
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
        this(ds, machineForCarrier, clock, bounces, correlation, new Outbox());
    }

    /**
     * @param outbox where the batch's delivery events go, in its transaction (nothing is built while no webhook
     *               endpoint is enabled)
     */
    public DeliveryWriter(DataSource ds, Function<String, DeliveryStateMachine> machineForCarrier, Clock clock,
                          BounceRules bounces, CorrelationWindow correlation, Outbox outbox) {
        this.outbox = outbox;
        this.ds = ds;
        this.clock = clock;
        this.correlation = correlation;
        this.applier = new DeliveryApplier(machineForCarrier, bounces, correlation);
        this.bounceCounter = new BounceCounter(bounces.config());
    }

    /** One submit attempt of one message. */
    private record Attempt(long messageId, int attempt) {
    }

    @Override
    public WriteResult write(List<SubmitOutcome> submits, List<IncomingReceipt> receipts) throws SQLException {
        return write(submits, receipts, List.of());
    }

    @Override
    public WriteResult write(List<SubmitOutcome> submits, List<IncomingReceipt> receipts, List<IncomingReply> replies)
            throws SQLException {
        Instant now = clock.instant();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                DeliveryApplier.Effects effects = new DeliveryApplier.Effects(outbox.active());
                applySubmits(c, submits, effects);
                DeliveryApplier.ReceiptDecisions decided = applyReceipts(c, submits, receipts, now, effects);
                effects.tabs.counters().write(c);
                List<String> suppressedNumbers = bounceCounter.apply(c, effects.events, now);
                int suppressed = suppressedNumbers.size();
                // After the receipts: a reply's link sees the ids this batch taught (a reply right after a send).
                ReplyWriter.Written replied = replyWriter.write(c, replies, now, effects.webhook != null);
                List<String> optedOut = replied.optedOut();
                suppressed += optedOut.size();
                if (effects.webhook != null) {
                    // before the suppressions: a STOP's reply.received precedes the number.suppressed it causes
                    effects.webhook.addAll(replied.events());
                    for (String number : suppressedNumbers) {
                        effects.webhook.add(WebhookEvent.suppressed(number, WebhookEvent.SUPPRESSED_BY_HARD_BOUNCES,
                                now));
                    }
                    for (String number : optedOut) {
                        effects.webhook.add(WebhookEvent.suppressed(number, ReplyWriter.OPT_OUT_REASON, now));
                    }
                    outbox.write(c, effects.webhook);
                }
                c.commit();
                return new WriteResult(decided.outcomes(), decided.matched(), suppressed, effects.tabs.list(),
                        effects.finalized, replied.resent());
            } catch (SQLException | RuntimeException e) {
                StoreErrors.rollBackAfter(c, e);
                throw e;
            }
        }
    }

    private void applySubmits(Connection c, List<SubmitOutcome> submits, DeliveryApplier.Effects effects)
            throws SQLException {
        if (submits.isEmpty()) {
            return;
        }
        // Accepted submits, by far the most, go in ONE statement (update ... from unnest(arrays)). Should one
        // attempt of a message be accepted twice in a batch, the first wins, as with one update per row (the second
        // would find it no longer in flight); outcomes of different attempts are told apart by the attempt guard.
        Map<Attempt, SubmitOutcome> acceptedById = new LinkedHashMap<>();
        List<SubmitOutcome> partsAccepted = new ArrayList<>();
        List<SubmitOutcome> partsRefused = new ArrayList<>();
        for (SubmitOutcome s : submits) {
            if (s.isPart()) {
                // Parts of a concatenated message: stored per part (PartWriter); a refused one fails the message below.
                if (s.kind() == SubmitOutcome.Kind.ACCEPTED) {
                    partsAccepted.add(s);
                } else if (s.kind() == SubmitOutcome.Kind.REJECTED || s.kind() == SubmitOutcome.Kind.FAILED) {
                    partsRefused.add(s);
                }
            } else if (s.kind() == SubmitOutcome.Kind.ACCEPTED) {
                acceptedById.putIfAbsent(new Attempt(s.messageId(), s.attempt()), s);
            }
        }
        if (!partsAccepted.isEmpty() || !partsRefused.isEmpty()) {
            List<SubmitOutcome> named = new ArrayList<>(partsAccepted);
            named.addAll(partsRefused);
            PartWriter.lockMessages(c, named);
            PartWriter.refused(c, partsRefused);
            PartWriter.accepted(c, partsAccepted, effects.webhook);
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
                sentAt[i++] = EpochMicros.of(s.at());
            }
            // With a webhook listening, the update also says which messages it submitted (and their campaign and
            // number, for the events): in the order given, so a message's events stay in order.
            try (PreparedStatement accepted = c.prepareStatement("update messages m set dispatch_state = 'submitted', "
                    + "carrier_message_id = u.carrier_message_id, submit_status = 0, sent_at = "
                    + EpochMicros.sql("u.sent_at") + " from unnest(?::int8[], ?::text[], ?::int8[], ?::int4[]) "
                    + "as u(id, carrier_message_id, sent_at, attempt) where m.id = u.id and m.dispatch_state = 'in_flight' "
                    + "and (u.attempt = 0 or m.submit_attempts = u.attempt)"
                    + (effects.webhook == null ? "" : " returning m.id, m.campaign_id, m.recipient, m.sent_at"))) {
                accepted.setArray(1, c.createArrayOf("int8", ids));
                accepted.setArray(2, c.createArrayOf("text", carrierIds));
                accepted.setArray(3, c.createArrayOf("int8", sentAt));
                accepted.setArray(4, c.createArrayOf("int4", attempts));
                if (effects.webhook == null) {
                    accepted.executeUpdate();
                } else {
                    submittedEvents(accepted, effects.webhook);
                }
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
                        BounceClass cls = applier.classifySubmit(s);
                        failed.setString(4, cls == BounceClass.NONE ? null : cls.dbName());
                        failed.setLong(5, s.messageId());
                        failed.setInt(6, s.attempt());
                        failed.setInt(7, s.attempt());
                        failed.addBatch();
                        failedInOrder.add(s);
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
            // What each failing message leaves (tab, campaign) and its number, for the applier: locked here, so the
            // tab read is the one the update replaces. Only when something fails (rare).
            Map<Long, InFlightRow> inFlight = failedInOrder.isEmpty() ? Map.of() : inFlightRows(c, failedInOrder);
            int[] updated = failed.executeBatch();
            applier.decideSubmits(failedInOrder, inFlight, updated, effects);
            retry.executeBatch();
        }
    }

    /** The {@code message.submitted} events of the accepted update's returned rows, in message id order. */
    private static void submittedEvents(PreparedStatement accepted, List<WebhookEvent> out) throws SQLException {
        List<WebhookEvent> events = new ArrayList<>();
        try (ResultSet rs = accepted.executeQuery()) {
            while (rs.next()) {
                long campaign = rs.getLong(2);
                Long campaignId = rs.wasNull() ? null : campaign;
                events.add(WebhookEvent.submitted(rs.getLong(1), campaignId, rs.getString(3),
                        rs.getTimestamp(4).toInstant()));
            }
        }
        events.sort(java.util.Comparator.comparing(WebhookEvent::messageId));
        out.addAll(events);
    }

    /** Locks the in-flight messages these outcomes name (id order) and reads their tab, campaign, carrier, number. */
    private static Map<Long, InFlightRow> inFlightRows(Connection c, List<SubmitOutcome> outcomes)
            throws SQLException {
        Long[] ids = new Long[outcomes.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = outcomes.get(i).messageId();
        }
        Map<Long, InFlightRow> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select id, tab, campaign_id, recipient, carrier_id "
                + "from messages where id = any(?) and dispatch_state = 'in_flight' order by id for update")) {
            ps.setArray(1, c.createArrayOf("int8", ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long campaign = rs.getLong(3);
                    Long campaignId = rs.wasNull() ? null : campaign;
                    out.put(rs.getLong(1), new InFlightRow(Tab.fromSlug(rs.getString(2)).orElseThrow(), campaignId,
                            rs.getString(5), rs.getString(4)));
                }
            }
        }
        return out;
    }

    /** Locks and reads what the batch's receipts name, has the applier decide, and writes what it decided. */
    private DeliveryApplier.ReceiptDecisions applyReceipts(Connection c, List<SubmitOutcome> submits,
                                                           List<IncomingReceipt> receipts, Instant now,
                                                           DeliveryApplier.Effects effects) throws SQLException {
        Set<Key> newlyKnown = DeliveryApplier.newlyKnown(submits);
        if (receipts.isEmpty() && newlyKnown.isEmpty()) {
            return new DeliveryApplier.ReceiptDecisions(List.of(), List.of(), List.of());
        }
        // One unlocked probe of the (small) open-orphan index spares locking and reading every message of every
        // accepted submit: only the newly known ids an orphan waits for are locked.
        Map<Key, List<MessageRow>> rows = lockMessages(c,
                DeliveryApplier.keysToLock(withOpenOrphans(c, newlyKnown), receipts),
                correlation.lowestMessageId(now));
        List<PendingReceipt> orphans = openOrphans(c, DeliveryApplier.orphanKeys(newlyKnown, rows));

        DeliveryApplier.ReceiptDecisions decided = applier.decideReceipts(rows, orphans, receipts, now, effects);

        ReceiptLog.insert(c, receipts, decided.outcomes());
        Set<MessageRow> all = DeliveryApplier.distinct(rows);
        updateMessages(c, all);
        PartRows.update(c, all);
        markOrphansMatched(c, decided.orphanMatches(), now);
        return decided;
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
     * The messages a receipt batch names, by key (1: carrier ids, 2: carrier message ids) or by id through a part
     * (3), locked in id order. {@code id = any(array(... union ...))}, not {@code key in (...) or id = any(?)}:
     * PostgreSQL cannot split an OR of a semi-join and a key condition into two index probes, so the OR form is a
     * sequential scan of the whole messages table per batch, a cost that grows with the table (it tripled the
     * database CPU per message after 20,000 messages). This form is an index probe per key and a primary-key
     * lookup of exactly the named rows ({@code LockPlanTest}). Both read only the months from the lowest id
     * (parameters 3 and 5, {@link CorrelationWindow#lowestMessageId}): a constant in each plan, so the months below
     * it are neither planned nor probed.
     */
    static final String LOCK_MESSAGES = "select id, carrier_id, carrier_message_id, tab, last_stat, final_by, error, "
            + "sent_at, recipient, campaign_id, created_at from messages where id = any(array(select id from messages "
            + "where (carrier_id, carrier_message_id) in (select * from unnest(?::text[], ?::text[])) and id >= ? "
            + "union select unnest(?::int8[]))) and id >= ? order by id for update";

    /**
     * Locks (in id order, so two writers never deadlock) and reads the messages these keys name: per key, every
     * message carrying it, oldest first. A key may be a part's (a message sent as concatenated parts): its message
     * is read too, with all its parts ({@link MessageRow#parts}); one row object per message, however many of its
     * parts' keys the batch names.
     */
    private static Map<Key, List<MessageRow>> lockMessages(Connection c, Set<Key> keys, long lowestId)
            throws SQLException {
        Map<Key, List<MessageRow>> rows = new HashMap<>();
        if (keys.isEmpty()) {
            return rows;
        }
        // Parts first, unlocked: which messages the keys reach through a part (a part's key is written with its
        // ACCEPTED outcome, in the lane of that key, so a receipt of this lane sees it if it is there).
        Map<Long, Map<Key, Integer>> partKeys = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select message_id, carrier_id, carrier_message_id, part_no "
                + "from message_parts where (carrier_id, carrier_message_id) in "
                + "(select * from unnest(?::text[], ?::text[])) and message_id >= ?")) {
            bindKeys(c, ps, keys);
            ps.setLong(3, lowestId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    partKeys.computeIfAbsent(rs.getLong(1), k -> new HashMap<>())
                            .put(new Key(rs.getString(2), rs.getString(3)), (int) rs.getShort(4));
                }
            }
        }
        Map<Long, MessageRow> byId = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(LOCK_MESSAGES)) {
            bindKeys(c, ps, keys);
            ps.setLong(3, lowestId);
            ps.setArray(4, c.createArrayOf("int8", partKeys.keySet().toArray(new Long[0])));
            ps.setLong(5, lowestId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Tab tab = Tab.fromSlug(rs.getString(4)).orElseThrow();
                    MessageRow row = new MessageRow(rs.getLong(1), rs.getString(2), new MessageState(tab,
                            rs.getString(5), finalBy(tab, rs.getString(6))));
                    row.error = rs.getString(7);
                    row.recipient = rs.getString("recipient");
                    long campaign = rs.getLong(10);
                    row.campaignId = rs.wasNull() ? null : campaign;
                    Timestamp sentAt = rs.getTimestamp(8);
                    row.sentAt = sentAt == null ? null : sentAt.toInstant();
                    row.createdAt = rs.getTimestamp(11).toInstant();
                    byId.put(row.id, row);
                    Key own = new Key(rs.getString(2), rs.getString(3));
                    // The key is checked here, on the locked row, not only in the SQL: after waiting on a row lock
                    // PostgreSQL re-checks just "id = any(...)", so a row whose carrier message id another lane
                    // changed meanwhile (a resubmit accepted under a new id) comes back locked but no longer
                    // named by this key. This check is what keeps the receipt off it.
                    if (rs.getString(3) != null && keys.contains(own)) {
                        rows.computeIfAbsent(own, k -> new ArrayList<>()).add(row);
                    }
                    Map<Key, Integer> viaParts = partKeys.get(row.id);
                    if (viaParts != null) {
                        row.partByKey = viaParts;
                        for (Key k : viaParts.keySet()) {
                            rows.computeIfAbsent(k, x -> new ArrayList<>()).add(row);
                        }
                    }
                }
            }
        }
        if (!partKeys.isEmpty()) {
            PartRows.read(c, partKeys.keySet(), byId);
        }
        return rows;
    }

    /** The keys among these that have an open orphan (no lock taken; the locking read follows). */
    private static Set<Key> withOpenOrphans(Connection c, Set<Key> keys) throws SQLException {
        Set<Key> out = new LinkedHashSet<>();
        if (keys.isEmpty()) {
            return out;
        }
        Set<Key> found = new HashSet<>();
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

    private static List<PendingReceipt> openOrphans(Connection c, Set<Key> keys) throws SQLException {
        List<PendingReceipt> out = new ArrayList<>();
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
                    out.add(new PendingReceipt(new Key(rs.getString(2), rs.getString(3)), rs.getString(4),
                            rs.getBoolean(5), rs.getString(6), -1, rs.getLong(1), rs.getString(7),
                            rs.getTimestamp(8).toInstant()));
                }
            }
        }
        return out;
    }

    /**
     * The changed messages of the batch in ONE statement ({@code update ... from unnest(arrays)}) instead of one
     * execution per row. Every row is already locked by {@link #lockMessages}, and ids are unique in the batch.
     * {@code final_at} is the batch's time for rows that became final now, else unchanged.
     */
    private static void updateMessages(Connection c, Iterable<MessageRow> rows) throws SQLException {
        List<MessageRow> dirty = new ArrayList<>();
        for (MessageRow row : rows) {
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
        long lowestId = Long.MAX_VALUE;
        long highestId = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            MessageRow row = dirty.get(i);
            id[i] = row.id;
            lowestId = Math.min(lowestId, row.id);
            highestId = Math.max(highestId, row.id);
            tab[i] = row.state.tab().slug();
            lastStat[i] = row.state.lastStat();
            error[i] = row.error;
            errorClass[i] = row.errorClass;
            finalBy[i] = finalByColumn(row.state.finalBy());
            finalAt[i] = EpochMicros.of(row.finalAt);
        }
        try (PreparedStatement ps = c.prepareStatement("update messages m set tab = u.tab, last_stat = u.last_stat, "
                + "error = u.error, error_class = u.error_class, final_by = u.final_by, final_at = coalesce("
                + EpochMicros.sql("u.final_at") + ", m.final_at) from unnest(?::int8[], ?::text[], ?::text[], "
                + "?::text[], ?::text[], ?::int8[], ?::text[]) "
                // The ids' range as constants: the planner plans only the months that hold them (the join alone
                // is pruned at run time, after every month was planned).
                + "as u(id, tab, last_stat, error, final_by, final_at, error_class) where m.id = u.id "
                + "and m.id between ? and ?")) {
            ps.setArray(1, c.createArrayOf("int8", id));
            ps.setArray(2, c.createArrayOf("text", tab));
            ps.setArray(3, c.createArrayOf("text", lastStat));
            ps.setArray(4, c.createArrayOf("text", error));
            ps.setArray(5, c.createArrayOf("text", finalBy));
            ps.setArray(6, c.createArrayOf("int8", finalAt));
            ps.setArray(7, c.createArrayOf("text", errorClass));
            ps.setLong(8, lowestId);
            ps.setLong(9, highestId);
            ps.executeUpdate();
        }
    }

    private static void markOrphansMatched(Connection c, List<DeliveryApplier.OrphanMatch> matched, Instant now)
            throws SQLException {
        if (matched.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "update orphan_receipts set matched_at = ?, message_id = ? where receipt_id = ?");
             PreparedStatement log = c.prepareStatement(
                     "update receipts set message_id = ? where id = ? and message_id is null")) {
            for (DeliveryApplier.OrphanMatch m : matched) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setLong(2, m.messageId());
                ps.setLong(3, m.receiptId());
                ps.addBatch();
                log.setLong(1, m.messageId());
                log.setLong(2, m.receiptId());
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
