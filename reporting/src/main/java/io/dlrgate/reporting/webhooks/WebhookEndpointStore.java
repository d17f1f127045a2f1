package io.dlrgate.reporting.webhooks;

import io.dlrgate.reporting.db.StoreErrors;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The webhook endpoints: created, changed and removed through the API, disabled by the worker on a 410; their
 * backlog; replays. Every change reloads the {@link Outbox}'s cache of enabled endpoints, so the next batch written
 * after it sees it.
 */
public final class WebhookEndpointStore {

    private static final String COLUMNS = "id, url, events, campaign_id, secret, enabled, disabled_reason, "
            + "created_at, updated_at, delivered_total, failed_total, last_error, last_error_at, last_success_at";

    /** An endpoint's undelivered events: how many, the oldest one's enqueue time, and how many were dead-lettered. */
    public record Backlog(long undelivered, Instant oldestUndelivered, long dead) {
        public static final Backlog EMPTY = new Backlog(0, null, 0);
    }

    /** What to replay: a time range of {@code occurredAt} ({@code from} inclusive, {@code to} exclusive), or a campaign. */
    public record ReplayRange(Instant from, Instant to, Long campaignId) {
    }

    private final DataSource ds;
    private final Clock clock;
    private final Outbox outbox;

    public WebhookEndpointStore(DataSource ds, Clock clock, Outbox outbox) {
        this.ds = ds;
        this.clock = clock;
        this.outbox = outbox;
    }

    public Outbox outbox() {
        return outbox;
    }

    /** Re-reads the enabled endpoints into the outbox's cache (another process may have changed them). */
    public void reloadOutbox() throws SQLException {
        outbox.reload(ds);
    }

    public WebhookEndpoint create(String url, List<String> events, Long campaignId, String secret, boolean enabled)
            throws SQLException {
        Instant now = clock.instant();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into webhook_endpoints (url, events, campaign_id, "
                     + "secret, enabled, created_at, updated_at) values (?,?,?,?,?,?,?) returning " + COLUMNS)) {
            ps.setString(1, url);
            ps.setArray(2, c.createArrayOf("text", events.toArray()));
            setLong(ps, 3, campaignId);
            ps.setString(4, secret);
            ps.setBoolean(5, enabled);
            ps.setTimestamp(6, Timestamp.from(now));
            ps.setTimestamp(7, Timestamp.from(now));
            WebhookEndpoint e;
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                e = read(rs);
            }
            outbox.reload(c);
            return e;
        }
    }

    public List<WebhookEndpoint> list() throws SQLException {
        List<WebhookEndpoint> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from webhook_endpoints order by id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(read(rs));
            }
        }
        return out;
    }

    public Optional<WebhookEndpoint> find(long id) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from webhook_endpoints where id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Replaces what an endpoint is (the secret only when given). Enabling it clears the reason it was disabled.
     *
     * @return the endpoint as it is now, or empty when there is none with the id
     */
    public Optional<WebhookEndpoint> update(long id, String url, List<String> events, Long campaignId, String secret,
                                            boolean enabled) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("update webhook_endpoints set url = ?, events = ?, "
                     + "campaign_id = ?, secret = coalesce(?, secret), enabled = ?, "
                     + "disabled_reason = case when ? then null else disabled_reason end, updated_at = ? "
                     + "where id = ? returning " + COLUMNS)) {
            ps.setString(1, url);
            ps.setArray(2, c.createArrayOf("text", events.toArray()));
            setLong(ps, 3, campaignId);
            ps.setString(4, secret);
            ps.setBoolean(5, enabled);
            ps.setBoolean(6, enabled);
            ps.setTimestamp(7, Timestamp.from(clock.instant()));
            ps.setLong(8, id);
            Optional<WebhookEndpoint> out;
            try (ResultSet rs = ps.executeQuery()) {
                out = rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
            outbox.reload(c);
            return out;
        }
    }

    /** Removes an endpoint and its outbox rows; false when there was none. */
    public boolean delete(long id) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from webhook_endpoints where id = ?")) {
            ps.setLong(1, id);
            boolean removed = ps.executeUpdate() == 1;
            outbox.reload(c);
            return removed;
        }
    }

    /**
     * The receiver said the endpoint is gone (410): no more deliveries until it is enabled again. Unless the endpoint
     * was changed after the request was sent ({@code sentAt}): an admin who re-enabled it meanwhile is not overruled by
     * the answer to a request sent before.
     */
    public void disable(long id, String reason, Instant sentAt) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("update webhook_endpoints set enabled = false, "
                     + "disabled_reason = ?, updated_at = ? where id = ? and updated_at <= ?")) {
            ps.setString(1, reason);
            ps.setTimestamp(2, Timestamp.from(clock.instant()));
            ps.setLong(3, id);
            ps.setTimestamp(4, Timestamp.from(sentAt));
            ps.executeUpdate();
            outbox.reload(c);
        }
    }

    /** Per endpoint with anything undelivered or dead-lettered: its backlog. Reads the outbox's partial indexes. */
    public Map<Long, Backlog> backlogs() throws SQLException {
        Map<Long, Backlog> out = new HashMap<>();
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("select endpoint_id, count(*), min(enqueued_at) "
                    + "from webhook_events where delivered_at is null and dead_at is null group by endpoint_id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), new Backlog(rs.getLong(2), rs.getTimestamp(3).toInstant(), 0));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select endpoint_id, count(*) from webhook_events "
                    + "where dead_at is not null group by endpoint_id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Backlog b = out.getOrDefault(rs.getLong(1), Backlog.EMPTY);
                    out.put(rs.getLong(1), new Backlog(b.undelivered(), b.oldestUndelivered(), rs.getLong(2)));
                }
            }
        }
        return out;
    }

    /**
     * Queues the endpoint's delivered and dead-lettered events of the range again, in their original order, as new
     * deliveries with the same {@code eventId}s (events still waiting are not copied: they are on their way).
     *
     * @return how many events were queued again
     */
    public int replay(long endpointId, ReplayRange range) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("insert into webhook_events (endpoint_id, event_id, type, "
                    + "occurred_at, enqueued_at, order_key, message_id, campaign_id, number, tab, stat, err, "
                    + "error_class, cause, reply_id, reply_to, reply_text, reply_kind) select endpoint_id, event_id, "
                    + "type, occurred_at, ?, order_key, message_id, campaign_id, number, tab, stat, err, error_class, "
                    + "cause, reply_id, reply_to, reply_text, reply_kind from (select distinct on (event_id) * "
                    + "from webhook_events where endpoint_id = ? and (delivered_at is not null or dead_at is not null) "
                    + "and (?::timestamptz is null or occurred_at >= ?) and (?::timestamptz is null or occurred_at < ?) "
                    + "and (?::int8 is null or campaign_id = ?) order by event_id, id) e order by id")) {
                ps.setTimestamp(1, Timestamp.from(clock.instant()));
                ps.setLong(2, endpointId);
                Timestamp from = range.from() == null ? null : Timestamp.from(range.from());
                Timestamp to = range.to() == null ? null : Timestamp.from(range.to());
                ps.setTimestamp(3, from);
                ps.setTimestamp(4, from);
                ps.setTimestamp(5, to);
                ps.setTimestamp(6, to);
                setLong(ps, 7, range.campaignId());
                setLong(ps, 8, range.campaignId());
                int n = ps.executeUpdate();
                c.commit();
                return n;
            } catch (SQLException | RuntimeException e) {
                StoreErrors.rollBackAfter(c, e);
                throw e;
            }
        }
    }

    private static WebhookEndpoint read(ResultSet rs) throws SQLException {
        long campaign = rs.getLong(4);
        Long campaignId = rs.wasNull() ? null : campaign;
        List<String> events = new ArrayList<>();
        for (Object o : (Object[]) rs.getArray(3).getArray()) {
            events.add((String) o);
        }
        return new WebhookEndpoint(rs.getLong(1), rs.getString(2), List.copyOf(events), campaignId, rs.getString(5),
                rs.getBoolean(6), rs.getString(7), instant(rs.getTimestamp(8)), instant(rs.getTimestamp(9)),
                rs.getLong(10), rs.getLong(11), rs.getString(12), instant(rs.getTimestamp(13)),
                instant(rs.getTimestamp(14)));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }
}
