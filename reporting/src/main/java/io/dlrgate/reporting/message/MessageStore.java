package io.dlrgate.reporting.message;

import io.dlrgate.config.Tab;
import io.dlrgate.reporting.counters.ReportCounters;
import io.dlrgate.reporting.db.StoreErrors;
import io.dlrgate.reporting.webhooks.Outbox;
import io.dlrgate.reporting.webhooks.WebhookEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/** Messages on their way out: queueing, claiming for dispatch, and reading one back. */
public final class MessageStore {

    private static final String INSERT = "insert into messages (campaign_id, campaign_send_id, source, recipient, "
            + "country, content, carrier_id, created_at, validity_deadline, sender) values (?,?,?,?,?,?,?,?,?,?)";

    /**
     * Where an in-flight message goes when it is handed back: to the queue, unless the expiry sweeper expired it
     * while it was in flight (it is then no longer Pending and must not be submitted again).
     */
    public static final String REQUEUED_STATE = "(case when tab = 'pending' then 'queued' else 'expired' end)";

    private final DataSource ds;
    private final Clock clock;
    private final Outbox outbox;
    private final Claimant claimant;

    public MessageStore(DataSource ds, Clock clock) {
        this(ds, clock, new Outbox());
    }

    /** @param outbox where {@code message.queued} (and a refused number's {@code message.final}) events go */
    public MessageStore(DataSource ds, Clock clock, Outbox outbox) {
        this(ds, clock, outbox, Claimant.UNMARKED);
    }

    /** @param claimant the instance whose lease claims are made under (several instances on one database) */
    public MessageStore(DataSource ds, Clock clock, Outbox outbox, Claimant claimant) {
        this.ds = ds;
        this.clock = clock;
        this.outbox = outbox;
        this.claimant = claimant;
    }

    /** Queues one message and returns its id, with its report counters, atomically. */
    public long insert(NewMessage m) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                Instant now = clock.instant();
                long id = insertOn(c, m, now);
                ReportCounters.queued(c, List.of(m.counted()));
                outbox.write(c, List.of(WebhookEvent.queued(id, m.campaignId(), m.recipient(), now)));
                c.commit();
                return id;
            } catch (SQLException | RuntimeException e) {
                StoreErrors.rollBackAfter(c, e);
                throw e;
            }
        }
    }

    /**
     * Stores a group commit's single sends on the caller's connection (inside its transaction): those whose number
     * is in {@code suppressed} are recorded as skipped (V17: listed in Single sends under "Suppressed", never
     * dispatched, in no tab, their ids from the messages' sequence so that no single send's id is ever both), the
     * others queued with their report counters and {@code message.queued} events.
     *
     * @return each send's id, in the order of {@code singles}
     */
    public long[] insertSingles(Connection c, List<NewMessage> singles, Set<String> suppressed) throws SQLException {
        List<NewMessage> queued = new ArrayList<>(singles.size());
        List<NewMessage> skipped = new ArrayList<>();
        for (NewMessage m : singles) {
            if (m.campaignId() != null || m.source() == Source.CAMPAIGN) {
                throw new IllegalArgumentException("not a single send: " + m);
            }
            (suppressed.contains(m.recipient()) ? skipped : queued).add(m);
        }
        Instant now = clock.instant();
        List<Long> queuedIds = queued.isEmpty() ? List.of() : insertQueued(c, queued, now, true);
        List<Long> skippedIds = skipped.isEmpty() ? List.of() : insertSkipped(c, skipped, now);
        long[] ids = new long[singles.size()];
        int q = 0;
        int k = 0;
        for (int i = 0; i < ids.length; i++) {
            ids[i] = suppressed.contains(singles.get(i).recipient()) ? skippedIds.get(k++) : queuedIds.get(q++);
        }
        return ids;
    }

    private static List<Long> insertSkipped(Connection c, List<NewMessage> skipped, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into skipped_single_sends (source, recipient, country, "
                + "content, carrier_id, created_at, sender) values (?,?,?,?,?,?,?)", new String[] {"id"})) {
            for (NewMessage m : skipped) {
                ps.setString(1, m.source().dbName());
                ps.setString(2, m.recipient());
                ps.setString(3, m.country());
                ps.setString(4, m.content());
                ps.setString(5, m.carrierId());
                ps.setTimestamp(6, Timestamp.from(now));
                ps.setString(7, m.sender());
                ps.addBatch();
            }
            ps.executeBatch();
            return generatedIds(ps, skipped.size());
        }
    }

    /** The ids the last executeBatch generated, in the order of its rows. */
    private static List<Long> generatedIds(PreparedStatement ps, int expected) throws SQLException {
        List<Long> ids = new ArrayList<>(expected);
        try (ResultSet keys = ps.getGeneratedKeys()) {
            while (keys.next()) {
                ids.add(keys.getLong(1));
            }
        }
        if (ids.size() != expected) {
            throw new IllegalStateException("expected " + expected + " generated ids, got " + ids.size());
        }
        return ids;
    }

    private long insertOn(Connection c, NewMessage m) throws SQLException {
        return insertOn(c, m, clock.instant());
    }

    private long insertOn(Connection c, NewMessage m, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT + " returning id")) {
            bind(ps, m, now);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Queues many messages on the caller's connection (inside its transaction), with their report counters. JDBC batches become multi-row
     * INSERTs (reWriteBatchedInserts), so thousands of contacts cost a handful of round trips.
     */
    public void insertAll(Connection c, List<NewMessage> messages) throws SQLException {
        insertQueued(c, messages, clock.instant(), false);
    }

    /**
     * Inserts queued messages with their {@code message.queued} events (when a webhook listens) and report counters.
     *
     * @param wantIds whether the caller needs the ids back (they are read anyway when a webhook listens)
     * @return the ids in the order of {@code messages}, or an empty list when neither needed them
     */
    private List<Long> insertQueued(Connection c, List<NewMessage> messages, Instant now, boolean wantIds)
            throws SQLException {
        boolean events = outbox.active();
        boolean ids = wantIds || events;
        List<Long> out = ids ? new ArrayList<>(messages.size()) : List.of();
        // The ids come back in the order of the rows.
        try (PreparedStatement ps = ids ? c.prepareStatement(INSERT, new String[] {"id"}) : c.prepareStatement(INSERT)) {
            int from = 0;
            for (int i = 0; i < messages.size(); i++) {
                bind(ps, messages.get(i), now);
                ps.addBatch();
                if ((i + 1) % 1000 == 0 || i == messages.size() - 1) {
                    ps.executeBatch();
                    if (ids) {
                        out.addAll(generatedIds(ps, i + 1 - from));
                    }
                    from = i + 1;
                }
            }
        }
        if (events) {
            List<WebhookEvent> queued = new ArrayList<>(messages.size());
            for (int i = 0; i < messages.size(); i++) {
                NewMessage m = messages.get(i);
                queued.add(WebhookEvent.queued(out.get(i), m.campaignId(), m.recipient(), now));
            }
            outbox.write(c, queued);
        }
        // The report counters (+n pending per campaign and carrier, new unique numbers), in the caller's transaction.
        ReportCounters.queued(c, messages.stream().map(NewMessage::counted).toList());
        return out;
    }

    /** {@link #fileRefused(Connection, Long, Long, Source, String, String, List)} from the default sender. */
    public void fileRefused(Connection c, Long campaignId, Long campaignSendId, Source source, String content,
                            List<RefusedNumber> refused) throws SQLException {
        fileRefused(c, campaignId, campaignSendId, source, content, NewMessage.DEFAULT_SENDER, refused);
    }

    /**
     * Files numbers the send path cannot send to as Hard bounces at once, on the caller's connection (inside its
     * transaction), with their report counters: never queued, never handed to a carrier ({@code carrier_id} null,
     * {@code dispatch_state} failed), {@code final_by} = the cause. They count in the tabs like any hard bounce.
     *
     * @param campaignId     the campaign, or {@code null} for a single send
     * @param campaignSendId the campaign send, or {@code null}
     * @param sender         the sender the send named: the report shows whom the refused numbers were to be sent from
     */
    public void fileRefused(Connection c, Long campaignId, Long campaignSendId, Source source, String content,
                            String sender, List<RefusedNumber> refused) throws SQLException {
        if (refused.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<WebhookEvent> events = outbox.active() ? new ArrayList<>(refused.size()) : null;
        String sql = "insert into messages (campaign_id, campaign_send_id, source, "
                + "recipient, country, content, carrier_id, created_at, validity_deadline, dispatch_state, tab, "
                + "error, error_class, final_by, final_at, sender) values (?,?,?,?,?,?,null,?,?,'failed',"
                + "'hard-bounces',?,'permanent',?,?,?)";
        try (PreparedStatement ps = events == null ? c.prepareStatement(sql)
                : c.prepareStatement(sql, new String[] {"id"})) {
            for (RefusedNumber r : refused) {
                setLong(ps, 1, campaignId);
                setLong(ps, 2, campaignSendId);
                ps.setString(3, source.dbName());
                ps.setString(4, r.recipient());
                ps.setString(5, r.country());
                ps.setString(6, content);
                ps.setTimestamp(7, Timestamp.from(now));
                ps.setTimestamp(8, Timestamp.from(now));
                ps.setString(9, r.reason());
                ps.setString(10, r.cause());
                ps.setTimestamp(11, Timestamp.from(now));
                ps.setString(12, sender);
                ps.addBatch();
            }
            ps.executeBatch();
            if (events != null) {
                // Filed straight into Hard bounces: final from the start, never queued.
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    int i = 0;
                    while (keys.next()) {
                        RefusedNumber r = refused.get(i++);
                        events.add(WebhookEvent.finalized(keys.getLong(1), campaignId, r.recipient(),
                                Tab.HARD_BOUNCES, null, r.reason(), "permanent", r.cause(), now));
                    }
                }
                outbox.write(c, events);
            }
        }
        ReportCounters.entered(c, Tab.HARD_BOUNCES, refused.stream()
                .map(r -> new ReportCounters.Queued(campaignId, null, r.recipient())).toList());
    }

    private static void bind(PreparedStatement ps, NewMessage m, Instant now) throws SQLException {
        setLong(ps, 1, m.campaignId());
        setLong(ps, 2, m.campaignSendId());
        ps.setString(3, m.source().dbName());
        ps.setString(4, m.recipient());
        ps.setString(5, m.country());
        ps.setString(6, m.content());
        ps.setString(7, m.carrierId());
        ps.setTimestamp(8, Timestamp.from(now));
        ps.setTimestamp(9, Timestamp.from(m.validityDeadline()));
        ps.setString(10, m.sender());
    }

    /**
     * Claims up to {@code limit} queued messages of one carrier, oldest first, moving them to in_flight.
     * SKIP LOCKED lets several dispatchers (or gateway processes) claim side by side without waiting on or
     * double-claiming each other's rows. Only Pending messages are claimed: one the expiry sweeper already moved
     * to Soft bounces is never submitted (the row lock and the re-checked {@code tab} make that hold even when
     * the sweeper commits between this statement's snapshot and its lock).
     *
     * <p>Under a lease ({@link Claimant}), the claimed rows are marked with the instance's id, and the claim happens
     * only while the instance's row is unreleased and its lease unexpired. That row is locked FOR KEY SHARE until
     * the claim commits: a survivor taking the instance over locks it FOR UPDATE first (see
     * {@code InstanceStore#takeOverDead}), so either this claim commits before the takeover reads the instance's
     * in-flight messages (and they are requeued with the rest), or it waits and then, re-reading the released row,
     * claims nothing. KEY SHARE does not conflict with the heartbeat's update, and costs one primary-key lookup and
     * one row lock per batch, not per message. An idle poll that finds nothing queued takes no lock: the lease row
     * is locked only when the claim's snapshot has queued messages of the carrier (the claim sees those same rows,
     * so nothing is ever claimed without the lock). A row lock gives the transaction an id, whose commit is a WAL
     * flush: without that condition every empty claim (each idle poll, and the last claim of every drained queue)
     * paid a flush.
     */
    public List<OutboundMessage> claim(String carrierId, int limit) throws SQLException {
        long instance = claimant.instanceId();
        if (instance == Claimant.NO_LEASE) {
            return List.of();
        }
        boolean marked = instance != 0;
        // = any(array(...)), not in (...): with IN, PostgreSQL may plan a hash semi-join over a scan of the whole
        // table; the array form is a primary-key lookup of exactly the claimed rows.
        String sql = (marked ? "with lease as materialized (select id from instances where id = ? "
                + "and released_at is null and lease_until > now() and exists (select 1 from messages "
                + "where dispatch_state = 'queued' and carrier_id = ? and tab = 'pending') for key share) " : "")
                + "update messages m set dispatch_state = 'in_flight', submit_attempts = submit_attempts + 1, "
                + "submitted_at = ?" + (marked ? ", claimed_by = ?" : "")
                + " where m.id = any(array(select id from messages where dispatch_state = 'queued' "
                + "and carrier_id = ? and tab = 'pending'" + (marked ? " and exists (select 1 from lease)" : "")
                + " order by id limit ? for update skip locked)) "
                + "returning m.id, m.recipient, m.content, m.carrier_id, m.validity_deadline, m.submit_attempts, m.sender, "
                // parts an earlier attempt got accepted: a part is retried alone (an index probe per message)
                + "array(select p.part_no::int4 from message_parts p where p.message_id = m.id "
                + "and p.carrier_message_id is not null)";
        List<OutboundMessage> out = new ArrayList<>(limit);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (marked) {
                ps.setLong(i++, instance);
                ps.setString(i++, carrierId);
            }
            ps.setTimestamp(i++, Timestamp.from(clock.instant()));
            if (marked) {
                ps.setLong(i++, instance);
            }
            ps.setString(i++, carrierId);
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Integer[] done = (Integer[]) rs.getArray(8).getArray();
                    out.add(new OutboundMessage(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getTimestamp(5).toInstant(), rs.getInt(6), rs.getString(7),
                            done.length == 0 ? Set.of() : Set.of(done)));
                }
            }
        }
        // RETURNING gives no order; keep submits in queue order.
        out.sort(Comparator.comparingLong(OutboundMessage::id));
        return out;
    }

    /**
     * Puts messages left in flight without a lease back in the queue: claimed unmarked (by a version before
     * instances had leases, or by a process claiming without one). What an instance claimed under its lease is
     * requeued only when that instance is dead or stopped ({@code InstanceStore}). A submit that was written but
     * whose response was never stored may reach the carrier twice: at-least-once is the safe side for an SMS
     * gateway simulator, and the duplicate is visible in the carrier's ledger.
     */
    public int requeueInFlight() throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("update messages set dispatch_state = " + REQUEUED_STATE
                     + " where dispatch_state = 'in_flight' and claimed_by is null")) {
            return ps.executeUpdate();
        }
    }

    /** Puts specific in-flight messages back in the queue (their session closed before they were answered). */
    public int requeue(List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("update messages set dispatch_state = " + REQUEUED_STATE
                     + " where id = any(?) and dispatch_state = 'in_flight'")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            return ps.executeUpdate();
        }
    }

    /** Messages still waiting for a carrier, per carrier id. */
    public long countQueued(String carrierId) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select count(*) from messages where dispatch_state = 'queued' and carrier_id = ?")) {
            ps.setString(1, carrierId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public Optional<MessageView> find(long id) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select id, campaign_id, source, recipient, country, content, "
                     + "carrier_id, dispatch_state, submit_attempts, carrier_message_id, submit_status, tab, "
                     + "last_stat, error, final_by, created_at, sent_at, final_at, validity_deadline, error_class, "
                     + "sender from messages where id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new MessageView(rs.getLong(1), (Long) rs.getObject(2),
                        Source.fromName(rs.getString(3)).orElseThrow(), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9), rs.getString(10),
                        (Integer) rs.getObject(11), Tab.fromSlug(rs.getString(12)).orElseThrow(), rs.getString(13),
                        rs.getString(14), rs.getString(15), instant(rs, 16), instant(rs, 17), instant(rs, 18),
                        instant(rs, 19), rs.getString(20), rs.getString(21)));
            }
        }
    }

    /**
     * The parts of a message sent as concatenated parts, counted, with the reason for its tab; empty for a message
     * sent in one submit_sm (or whose parts nobody answered yet).
     */
    public Optional<PartsSummary> parts(long id) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select total, tab, last_stat, error, submit_status "
                     + "from message_parts where message_id = ? order by part_no")) {
            ps.setLong(1, id);
            PartsSummary.Builder b = null;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (b == null) {
                        b = new PartsSummary.Builder(rs.getInt(1));
                    }
                    b.add(Tab.fromSlug(rs.getString(2)).orElseThrow(), rs.getString(3), rs.getString(4),
                            (Integer) rs.getObject(5));
                }
            }
            return b == null ? Optional.empty() : Optional.of(b.build());
        }
    }

    static Instant instant(ResultSet rs, int col) throws SQLException {
        Timestamp t = rs.getTimestamp(col);
        return t == null ? null : t.toInstant();
    }

    static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }
}
