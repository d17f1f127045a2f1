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
import java.util.Set;
import java.util.Optional;
import javax.sql.DataSource;

/** Messages on their way out: queueing, claiming for dispatch, and reading one back. */
public final class MessageStore {

    private static final String INSERT = "insert into messages (campaign_id, campaign_send_id, source, recipient, "
            + "country, content, carrier_id, created_at, validity_deadline, sender) values (?,?,?,?,?,?,?,?,?,?)";

    /**
     * Where an in-flight message goes when it is handed back: to the queue, unless the expiry sweeper expired it
     * while it was in flight (it is then no longer Pending and must not be submitted again).
     */
    static final String REQUEUED_STATE = "(case when tab = 'pending' then 'queued' else 'expired' end)";

    private final DataSource ds;
    private final Clock clock;
    private final Outbox outbox;

    public MessageStore(DataSource ds, Clock clock) {
        this(ds, clock, new Outbox());
    }

    /** @param outbox where {@code message.queued} (and a refused number's {@code message.final}) events go */
    public MessageStore(DataSource ds, Clock clock, Outbox outbox) {
        this.ds = ds;
        this.clock = clock;
        this.outbox = outbox;
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
     * Records a single send that was not sent because its number is suppressed (V17): listed in Single sends under
     * "Suppressed", never dispatched, in no tab. Its id comes from the messages' sequence (no single send's id is
     * ever both a message and a skipped send).
     *
     * @param m the message that would have been queued (its validity deadline is not kept)
     */
    public long insertSkippedSingle(NewMessage m) throws SQLException {
        if (m.campaignId() != null || m.source() == Source.CAMPAIGN) {
            throw new IllegalArgumentException("only single sends are recorded as skipped");
        }
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into skipped_single_sends (source, recipient, country, "
                     + "content, carrier_id, created_at, sender) values (?,?,?,?,?,?,?) returning id")) {
            ps.setString(1, m.source().dbName());
            ps.setString(2, m.recipient());
            ps.setString(3, m.country());
            ps.setString(4, m.content());
            ps.setString(5, m.carrierId());
            ps.setTimestamp(6, Timestamp.from(clock.instant()));
            ps.setString(7, m.sender());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
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
        Instant now = clock.instant();
        List<WebhookEvent> events = outbox.active() ? new ArrayList<>(messages.size()) : null;
        // With a webhook listening, the ids come back (in the order of the rows) for the message.queued events.
        try (PreparedStatement ps = events == null ? c.prepareStatement(INSERT)
                : c.prepareStatement(INSERT, new String[] {"id"})) {
            int n = 0;
            int told = 0;
            for (NewMessage m : messages) {
                bind(ps, m, now);
                ps.addBatch();
                if (++n % 1000 == 0) {
                    ps.executeBatch();
                    told = queuedEvents(ps, messages, told, now, events);
                }
            }
            ps.executeBatch();
            queuedEvents(ps, messages, told, now, events);
        }
        if (events != null) {
            outbox.write(c, events);
        }
        // The report counters (+n pending per campaign and carrier, new unique numbers), in the caller's transaction.
        ReportCounters.queued(c, messages.stream().map(NewMessage::counted).toList());
    }

    /** The queued events of the rows the last executeBatch inserted; returns how many messages are told now. */
    private static int queuedEvents(PreparedStatement ps, List<NewMessage> messages, int told, Instant now,
                                    List<WebhookEvent> out) throws SQLException {
        if (out == null) {
            return told;
        }
        try (ResultSet keys = ps.getGeneratedKeys()) {
            while (keys.next()) {
                NewMessage m = messages.get(told++);
                out.add(WebhookEvent.queued(keys.getLong(1), m.campaignId(), m.recipient(), now));
            }
        }
        return told;
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
     */
    public List<OutboundMessage> claim(String carrierId, int limit) throws SQLException {
        // = any(array(...)), not in (...): with IN, PostgreSQL may plan a hash semi-join over a scan of the whole
        // table; the array form is a primary-key lookup of exactly the claimed rows.
        String sql = "update messages m set dispatch_state = 'in_flight', submit_attempts = submit_attempts + 1, "
                + "submitted_at = ? where m.id = any(array(select id from messages where dispatch_state = 'queued' "
                + "and carrier_id = ? and tab = 'pending' order by id limit ? for update skip locked)) "
                + "returning m.id, m.recipient, m.content, m.carrier_id, m.validity_deadline, m.submit_attempts, m.sender, "
                // parts an earlier attempt got accepted: a part is retried alone (an index probe per message)
                + "array(select p.part_no::int4 from message_parts p where p.message_id = m.id "
                + "and p.carrier_message_id is not null)";
        List<OutboundMessage> out = new ArrayList<>(limit);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(clock.instant()));
            ps.setString(2, carrierId);
            ps.setInt(3, limit);
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
     * Puts messages left in flight by a previous run back in the queue. A submit that was written but whose
     * response was never stored may reach the carrier twice: at-least-once is the safe side for an SMS gateway
     * simulator, and the duplicate is visible in the carrier's ledger.
     */
    public int requeueInFlight() throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "update messages set dispatch_state = " + REQUEUED_STATE + " where dispatch_state = 'in_flight'")) {
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
