package io.dlrgate.reporting.webhooks;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The webhook outbox, write side: the writers of state changes (group commit, expiry, send, suppression) hand it the
 * events of a change on the connection of that change, and it writes one row per event and matching enabled
 * endpoint in that same transaction, in ONE multi-row insert. Committed together or not at all: no event without its
 * change, no change without its events.
 *
 * <p>The hot path stays cheap: the set of enabled endpoints is cached here, and with none enabled
 * {@link #active()} is false and the writers build no events at all. The cache is reloaded by
 * {@link WebhookEndpointStore} on every change it makes, and by the delivery worker now and then (another process
 * may have changed the endpoints). An endpoint created while a batch is being written gets that batch's events or
 * not; it never gets half of one message's.
 *
 * <p>Thread-safe: the snapshot is immutable and swapped whole.
 */
public final class Outbox {

    private static final String INSERT = "insert into webhook_events (endpoint_id, event_id, type, occurred_at, "
            + "enqueued_at, order_key, message_id, campaign_id, number, tab, stat, err, error_class, cause, reply_id, "
            + "reply_to, reply_text, reply_kind) select endpoint_id, event_id, type, occurred_at, occurred_at, "
            + "order_key, message_id, campaign_id, number, tab, stat, err, error_class, cause, reply_id, reply_to, "
            + "reply_text, reply_kind from unnest(?::int8[], ?::uuid[], ?::text[], ?::timestamptz[], ?::int8[], "
            + "?::int8[], ?::int8[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int8[], "
            + "?::text[], ?::text[], ?::text[]) with ordinality as u(endpoint_id, event_id, type, occurred_at, "
            + "order_key, message_id, campaign_id, number, tab, stat, err, error_class, cause, reply_id, reply_to, "
            + "reply_text, reply_kind, ord) order by ord";

    private volatile List<Subscription> subscriptions = List.of();
    private final AtomicLong written = new AtomicLong();

    /** An outbox that no endpoint subscribes to until {@link #reload} finds one. */
    public Outbox() {
    }

    /** True when at least one enabled endpoint exists: only then do writers build events. */
    public boolean active() {
        return !subscriptions.isEmpty();
    }

    /** How many rows this process has written so far (the worker looks sooner when it moved). */
    public long written() {
        return written.get();
    }

    /** Re-reads the enabled endpoints. */
    public void reload(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            reload(c);
        }
    }

    void reload(Connection c) throws SQLException {
        List<Subscription> out = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select id, events, campaign_id from webhook_endpoints where enabled "
                     + "order by id")) {
            while (rs.next()) {
                Set<EventType> types = EnumSet.noneOf(EventType.class);
                Array a = rs.getArray(2);
                for (Object o : (Object[]) a.getArray()) {
                    EventType.fromWire((String) o).ifPresent(types::add);
                }
                long campaign = rs.getLong(3);
                Long campaignId = rs.wasNull() ? null : campaign;
                out.add(new Subscription(rs.getLong(1), Set.copyOf(types), campaignId));
            }
        }
        subscriptions = List.copyOf(out);
    }

    /**
     * Writes the events, in order, for every enabled endpoint that wants each, on the caller's connection (inside
     * its transaction). Nothing when no endpoint wants any of them.
     */
    public void write(Connection c, List<WebhookEvent> events) throws SQLException {
        List<Subscription> subs = subscriptions;
        if (events.isEmpty() || subs.isEmpty()) {
            return;
        }
        List<Long> endpoint = new ArrayList<>();
        List<WebhookEvent> rows = new ArrayList<>();
        for (WebhookEvent e : events) {
            for (Subscription s : subs) {
                if (s.wants(e)) {
                    endpoint.add(s.endpointId());
                    rows.add(e);
                }
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        int n = rows.size();
        java.util.UUID[] eventId = new java.util.UUID[n];
        String[] type = new String[n];
        String[] at = new String[n];
        Long[] orderKey = new Long[n];
        Long[] messageId = new Long[n];
        Long[] campaignId = new Long[n];
        String[] number = new String[n];
        String[] tab = new String[n];
        String[] stat = new String[n];
        String[] err = new String[n];
        String[] errorClass = new String[n];
        String[] cause = new String[n];
        Long[] replyId = new Long[n];
        String[] replyTo = new String[n];
        String[] replyText = new String[n];
        String[] replyKind = new String[n];
        for (int i = 0; i < n; i++) {
            WebhookEvent e = rows.get(i);
            eventId[i] = e.eventId();
            type[i] = e.type().wireName();
            at[i] = e.occurredAt().toString(); // ISO-8601 in UTC: read exactly into a timestamptz
            orderKey[i] = e.orderKey();
            messageId[i] = e.messageId();
            campaignId[i] = e.campaignId();
            number[i] = e.number();
            tab[i] = e.tab();
            stat[i] = e.stat();
            err[i] = e.err();
            errorClass[i] = e.errorClass();
            cause[i] = e.cause();
            if (e.reply() != null) {
                replyId[i] = e.reply().replyId();
                replyTo[i] = e.reply().to();
                replyText[i] = e.reply().text();
                replyKind[i] = e.reply().kind();
            }
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setArray(1, c.createArrayOf("int8", endpoint.toArray(new Long[0])));
            ps.setArray(2, c.createArrayOf("uuid", eventId));
            ps.setArray(3, c.createArrayOf("text", type));
            ps.setArray(4, c.createArrayOf("text", at));
            ps.setArray(5, c.createArrayOf("int8", orderKey));
            ps.setArray(6, c.createArrayOf("int8", messageId));
            ps.setArray(7, c.createArrayOf("int8", campaignId));
            ps.setArray(8, c.createArrayOf("text", number));
            ps.setArray(9, c.createArrayOf("text", tab));
            ps.setArray(10, c.createArrayOf("text", stat));
            ps.setArray(11, c.createArrayOf("text", err));
            ps.setArray(12, c.createArrayOf("text", errorClass));
            ps.setArray(13, c.createArrayOf("text", cause));
            ps.setArray(14, c.createArrayOf("int8", replyId));
            ps.setArray(15, c.createArrayOf("text", replyTo));
            ps.setArray(16, c.createArrayOf("text", replyText));
            ps.setArray(17, c.createArrayOf("text", replyKind));
            ps.executeUpdate();
        }
        written.addAndGet(n);
    }
}
