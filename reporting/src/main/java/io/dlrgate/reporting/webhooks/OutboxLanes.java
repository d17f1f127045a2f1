package io.dlrgate.reporting.webhooks;

import io.dlrgate.reporting.db.StoreErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The webhook outbox, delivery side: the SQL of the delivery worker. An endpoint's events are split into
 * {@code lanes} lanes by {@code order_key} (the message), and each lane is delivered by one worker at a time, batch
 * after batch in id order, so one message's events reach the receiver in the order they happened while the lanes of
 * an endpoint run side by side (the per-endpoint concurrency).
 *
 * <p>Who delivers a lane is stored, not kept in memory: a worker claims a lane with {@code FOR UPDATE SKIP LOCKED}
 * and holds it for a lease it renews with every batch. Several gateway processes on one database share the lanes;
 * the lanes of a process that died are taken over when its leases run out. A lane that failed waits for its
 * {@code next_attempt_at} whoever holds it; its failures in a row set the backoff.
 *
 * <p>Thread-safe (no mutable state).
 */
public final class OutboxLanes {

    /** A lane this worker holds, and how many deliveries in a row failed on it. */
    public record Lane(long endpointId, int lane, int failures) {
    }

    /** One outbox row to deliver; {@code reply} is set for {@code reply.received} only. */
    public record Pending(long rowId, UUID eventId, String type, Instant occurredAt, Instant enqueuedAt,
                          Long messageId, Long campaignId, String number, String tab, String stat, String err,
                          String errorClass, String cause, WebhookEvent.ReplyDetail reply) {
    }

    private final DataSource ds;

    public OutboxLanes(DataSource ds) {
        this.ds = ds;
    }

    /** Makes sure every lane of these endpoints has its row (once per endpoint and lane count is enough). */
    public void ensureLanes(List<Long> endpointIds, int lanes) throws SQLException {
        if (endpointIds.isEmpty()) {
            return;
        }
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into webhook_lanes (endpoint_id, lane) "
                     + "select e, l from unnest(?::int8[]) e, generate_series(0, ? - 1) l on conflict do nothing")) {
            ps.setArray(1, c.createArrayOf("int8", endpointIds.toArray()));
            ps.setInt(2, lanes);
            ps.executeUpdate();
        }
    }

    /**
     * Claims (or renews) the lanes of these endpoints that are free (no lease, a lease run out, or our own) and due
     * (not waiting for a retry), for {@code lease}.
     */
    public List<Lane> claim(List<Long> endpointIds, int lanes, String owner, Duration lease, Instant now)
            throws SQLException {
        List<Lane> out = new ArrayList<>();
        if (endpointIds.isEmpty()) {
            return out;
        }
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("update webhook_lanes w set lease_owner = ?, lease_until = ? "
                     + "where (w.endpoint_id, w.lane) in (select endpoint_id, lane from webhook_lanes "
                     + "where endpoint_id = any(?) and lane < ? and (lease_until is null or lease_until < ? "
                     + "or lease_owner = ?) and (next_attempt_at is null or next_attempt_at <= ?) "
                     + "for update skip locked) returning w.endpoint_id, w.lane, w.failures")) {
            Timestamp at = Timestamp.from(now);
            ps.setString(1, owner);
            ps.setTimestamp(2, Timestamp.from(now.plus(lease)));
            ps.setArray(3, c.createArrayOf("int8", endpointIds.toArray()));
            ps.setInt(4, lanes);
            ps.setTimestamp(5, at);
            ps.setString(6, owner);
            ps.setTimestamp(7, at);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Lane(rs.getLong(1), rs.getInt(2), rs.getInt(3)));
                }
            }
        }
        return out;
    }

    /** The lane's next undelivered events, oldest first, at most {@code max}. */
    public List<Pending> next(Lane lane, int lanes, int max) throws SQLException {
        List<Pending> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select id, event_id, type, occurred_at, enqueued_at, "
                     + "message_id, campaign_id, number, tab, stat, err, error_class, cause, reply_id, reply_to, reply_text, "
                     + "reply_kind from webhook_events "
                     + "where endpoint_id = ? and delivered_at is null and dead_at is null "
                     + "and mod(abs(order_key), ?) = ? order by id limit ?")) {
            ps.setLong(1, lane.endpointId());
            ps.setInt(2, lanes);
            ps.setInt(3, lane.lane());
            ps.setInt(4, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Pending(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant(), nullableLong(rs, 6),
                            nullableLong(rs, 7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11),
                            rs.getString(12), rs.getString(13), replyDetail(rs)));
                }
            }
        }
        return out;
    }

    /**
     * When the first event still waiting for any of these endpoints joined the outbox (by id: the head of each
     * endpoint's backlog, read from its index), or null when none waits. Cheap enough for once a second.
     */
    public Instant oldestWaiting(List<Long> endpointIds) throws SQLException {
        if (endpointIds.isEmpty()) {
            return null;
        }
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select min(w.enqueued_at) from unnest(?::int8[]) e(id) "
                     + "cross join lateral (select enqueued_at from webhook_events where endpoint_id = e.id "
                     + "and delivered_at is null and dead_at is null order by id limit 1) w")) {
            ps.setArray(1, c.createArrayOf("int8", endpointIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Timestamp t = rs.getTimestamp(1);
                return t == null ? null : t.toInstant();
            }
        }
    }

    /** Columns 14-17: the reply of a {@code reply.received} row, null for every other type. */
    private static WebhookEvent.ReplyDetail replyDetail(ResultSet rs) throws SQLException {
        long id = rs.getLong(14);
        if (rs.wasNull()) {
            return null;
        }
        return new WebhookEvent.ReplyDetail(id, rs.getString(15), rs.getString(16), rs.getString(17));
    }

    /** The receiver took the batch: its rows are delivered, the lane's failures reset and its lease renewed. */
    public void delivered(Lane lane, List<Pending> batch, String owner, Duration lease, Instant now)
            throws SQLException {
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("update webhook_events set delivered_at = ?, "
                    + "attempts = attempts + 1 where id = any(?)")) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setArray(2, c.createArrayOf("int8", rowIds(batch)));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("update webhook_lanes set failures = 0, "
                    + "next_attempt_at = null, lease_until = ? where endpoint_id = ? and lane = ? and lease_owner = ?")) {
                ps.setTimestamp(1, Timestamp.from(now.plus(lease)));
                ps.setLong(2, lane.endpointId());
                ps.setInt(3, lane.lane());
                ps.setString(4, owner);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("update webhook_endpoints set delivered_total = "
                    + "delivered_total + ?, last_success_at = ? where id = ?")) {
                ps.setLong(1, batch.size());
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setLong(3, lane.endpointId());
                ps.executeUpdate();
            }
        });
    }

    /**
     * The batch failed: the lane waits {@code retryIn} before it is tried again; rows enqueued longer than
     * {@code maxAge} ago are dead-lettered (kept, counted, replayable) and the lane moves on past them.
     *
     * @return how many rows were dead-lettered
     */
    public int failed(Lane lane, List<Pending> batch, String error, Duration retryIn, Duration maxAge, Instant now)
            throws SQLException {
        int[] dead = new int[1];
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("update webhook_events set attempts = attempts + 1, "
                    + "last_error = ?, dead_at = case when enqueued_at <= ? then ?::timestamptz end "
                    + "where id = any(?) returning dead_at is not null")) {
                ps.setString(1, error);
                ps.setTimestamp(2, Timestamp.from(now.minus(maxAge)));
                ps.setTimestamp(3, Timestamp.from(now));
                ps.setArray(4, c.createArrayOf("int8", rowIds(batch)));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getBoolean(1)) {
                            dead[0]++;
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("update webhook_lanes set failures = "
                    + "case when ? then 0 else failures + 1 end, next_attempt_at = ? "
                    + "where endpoint_id = ? and lane = ?")) {
                boolean allDead = dead[0] == batch.size();
                ps.setBoolean(1, allDead);
                ps.setTimestamp(2, allDead ? null : Timestamp.from(now.plus(retryIn)));
                ps.setLong(3, lane.endpointId());
                ps.setInt(4, lane.lane());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("update webhook_endpoints set failed_total = "
                    + "failed_total + 1, last_error = ?, last_error_at = ? where id = ?")) {
                ps.setString(1, error);
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setLong(3, lane.endpointId());
                ps.executeUpdate();
            }
        });
        return dead[0];
    }

    /** Gives a lane up (nothing left to send, or stopping): another worker may take it at once. */
    public void release(Lane lane, String owner) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("update webhook_lanes set lease_owner = null, "
                     + "lease_until = null where endpoint_id = ? and lane = ? and lease_owner = ?")) {
            ps.setLong(1, lane.endpointId());
            ps.setInt(2, lane.lane());
            ps.setString(3, owner);
            ps.executeUpdate();
        }
    }

    /** Gives up every lane this owner holds (stopping): others may take them at once. */
    public void releaseAll(String owner) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("update webhook_lanes set lease_owner = null, "
                     + "lease_until = null where lease_owner = ?")) {
            ps.setString(1, owner);
            ps.executeUpdate();
        }
    }

    @FunctionalInterface
    private interface Work {
        void run(Connection c) throws SQLException;
    }

    private void inTransaction(Work w) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                w.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                StoreErrors.rollBackAfter(c, e);
                throw e;
            }
        }
    }

    private static Long[] rowIds(List<Pending> batch) {
        Long[] ids = new Long[batch.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = batch.get(i).rowId();
        }
        return ids;
    }

    private static Long nullableLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }
}
