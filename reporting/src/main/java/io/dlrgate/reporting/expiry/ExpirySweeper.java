package io.dlrgate.reporting.expiry;

import io.dlrgate.config.Tab;
import io.dlrgate.reporting.counters.ReportCounters;
import io.dlrgate.reporting.db.StoreErrors;
import io.dlrgate.reporting.report.FailureCause;
import io.dlrgate.reporting.webhooks.Outbox;
import io.dlrgate.reporting.webhooks.WebhookEvent;
import io.dlrgate.reporting.state.DeliveryStateMachine;
import io.dlrgate.reporting.state.FinalBy;
import io.dlrgate.reporting.state.MessageState;
import io.dlrgate.reporting.state.Transition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The gateway's own validity-period expiry, store side: moves every Pending message whose validity deadline plus
 * the grace has passed to Soft bounces, stat {@code EXPIRED}, {@code final_by = 'expiry'}, {@code final_at = now},
 * {@code error_class = 'transient'} (as the bounce classification classes a carrier's EXPIRED receipt).
 * The target state is {@link DeliveryStateMachine#expire(MessageState)} of a Pending message; "a final message is
 * left alone" is the {@code tab = 'pending'} condition.
 *
 * <p>Batches: each batch is ONE update (and the upsert of its campaigns' counters) in its own transaction, so row
 * locks are held for the milliseconds one batch takes and receipts for the same rows wait at most that long:
 * <pre>
 * update messages set ... where id = any(array(select id from messages where tab = 'pending'
 *     and validity_deadline &lt;= cutoff order by validity_deadline limit n for update skip locked))
 *   and tab = 'pending'
 * returning id, carrier_id, dispatch_state, campaign_id
 * </pre>
 * The inner select walks the partial index {@code messages_pending_deadline} (Pending rows only, by deadline), so a
 * sweep with nothing due reads one index page however many messages are pending. {@code = any(array(...))} rather
 * than {@code in (...)}: with {@code in}, PostgreSQL 15 plans a hash semi-join over a sequential scan of the whole
 * table for every batch (10 times slower at a million rows); the array form is an index lookup by primary key.
 * The outer {@code tab = 'pending'} is what keeps a row another sweeper expired meanwhile from being written twice.
 *
 * <p>Several sweepers on one database (two gateway processes) are safe: {@code FOR UPDATE SKIP LOCKED} hands each
 * row to one of them; a row whose lock is taken after another sweeper committed is re-checked against
 * {@code tab = 'pending'} (READ COMMITTED re-evaluation) and skipped, so no message is expired twice. A row skipped
 * because someone else holds its lock (the other sweeper, or a receipt being written) is picked up by the next
 * sweep if it is still Pending, so none is missed.
 *
 * <p>A message still queued for its carrier (never submitted) expires too and leaves the queue
 * ({@code dispatch_state = 'expired'}): it is never submitted afterwards. A message in flight keeps its
 * dispatch state; its submit_sm_resp is still recorded, and a later receipt goes through the late-receipt policy.
 *
 * <p>Thread-safe (no mutable state); the caller decides when to sweep (the gateway's {@code ExpiryScheduler}).
 */
public final class ExpirySweeper {

    /** One message the sweeper expired. {@code neverSubmitted}: it was still queued (taken out of the queue). */
    public record Expired(long id, String carrierId, boolean neverSubmitted) {
    }

    /** Told about each batch right after it committed. */
    @FunctionalInterface
    public interface Listener {
        void expired(List<Expired> batch);
    }

    /**
     * The batch's update. Its report counters follow in the same transaction: every expired row went Pending -> Soft
     * bounces, so each campaign and each carrier gets -n pending, +n soft-bounces (written by {@link ReportCounters}).
     */
    private static final String SQL = "update messages m set tab = ?, last_stat = ?, final_by = ?, "
            + "final_at = ?, error_class = 'transient', "
            + "dispatch_state = case when m.dispatch_state = 'queued' then 'expired' else m.dispatch_state end "
            + "where m.id = any(array(select id from messages where tab = 'pending' and validity_deadline <= ? "
            + "order by validity_deadline limit ? for update skip locked)) "
            + "and m.tab = 'pending' "
            + "returning m.id, m.carrier_id, m.dispatch_state, m.campaign_id, m.recipient";

    private final DataSource ds;
    private final Duration grace;
    private final int batchSize;
    private final MessageState expired;
    private final Outbox outbox;

    /**
     * @param grace     how long past its deadline a message is left for the carrier's own receipt (zero allowed)
     * @param batchSize messages per batch (transaction), at least 1
     */
    public ExpirySweeper(DataSource ds, Duration grace, int batchSize) {
        this(ds, grace, batchSize, new Outbox());
    }

    /** @param outbox where each batch's delivery events go, in the batch's transaction */
    public ExpirySweeper(DataSource ds, Duration grace, int batchSize, Outbox outbox) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.ds = Objects.requireNonNull(ds, "ds");
        this.grace = Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative: " + grace);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1: " + batchSize);
        }
        this.batchSize = batchSize;
        // The rule lives in the state machine; the SQL only writes down its result for a Pending message.
        Transition t = DeliveryStateMachine.withDefaults().expire(MessageState.initial());
        if (!t.changed() || t.next().finalBy() != FinalBy.GATEWAY_EXPIRY) {
            throw new IllegalStateException("the state machine does not expire a Pending message: " + t);
        }
        this.expired = t.next();
    }

    public Duration grace() {
        return grace;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Expires everything due at {@code now}; returns how many messages this call expired. */
    public int sweepOnce(Instant now) throws SQLException {
        return sweepOnce(now, batch -> { });
    }

    /**
     * Expires everything due at {@code now} (deadline + grace &lt;= now), batch after batch, until a batch comes back
     * short (nothing more is due, or what is left is locked by someone else and waits for the next sweep).
     *
     * @param listener told about each committed batch (on this thread)
     * @return how many messages this call expired
     */
    public int sweepOnce(Instant now, Listener listener) throws SQLException {
        Objects.requireNonNull(now, "now");
        Instant cutoff = now.minus(grace);
        int total = 0;
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(SQL)) {
                ps.setString(1, expired.tab().slug());
                ps.setString(2, expired.lastStat());
                ps.setString(3, "expiry");
                ps.setTimestamp(4, Timestamp.from(now));
                ps.setTimestamp(5, Timestamp.from(cutoff));
                ps.setInt(6, batchSize);
                while (true) {
                    List<Expired> batch = expireBatch(c, ps, now);
                    total += batch.size();
                    if (!batch.isEmpty()) {
                        listener.expired(batch);
                    }
                    // Short batch: nothing more is due (or the rest is locked and waits for the next sweep).
                    // Each full batch expired batchSize rows for good, so this loop ends.
                    if (batch.size() < batchSize || Thread.currentThread().isInterrupted()) {
                        return total;
                    }
                }
            }
        }
    }

    /**
     * Expiry applies per message: the parts of an expired message sent as concatenated parts that were still
     * pending expire with it, in the same transaction (parts never answered have no row and count as pending).
     */
    private void expirePendingParts(Connection c, List<Expired> batch, Instant now) throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        Long[] ids = new Long[batch.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = batch.get(i).id();
        }
        try (PreparedStatement ps = c.prepareStatement("update message_parts set tab = ?, last_stat = ?, "
                + "final_at = ? where message_id = any(?) and tab = 'pending'")) {
            ps.setString(1, expired.tab().slug());
            ps.setString(2, expired.lastStat());
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setArray(4, c.createArrayOf("int8", ids));
            ps.executeUpdate();
        }
    }

    /** One batch in its own transaction: the update and its counters, committed together. */
    private List<Expired> expireBatch(Connection c, PreparedStatement update, Instant now) throws SQLException {
        try {
            List<Expired> batch = new ArrayList<>();
            ReportCounters.Deltas counters = new ReportCounters.Deltas();
            List<WebhookEvent> events = outbox.active() ? new ArrayList<>() : null;
            try (ResultSet rs = update.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    String carrier = rs.getString(2);
                    batch.add(new Expired(id, carrier, "expired".equals(rs.getString(3))));
                    long campaign = rs.getLong(4);
                    Long campaignId = rs.wasNull() ? null : campaign;
                    counters.add(campaignId, carrier, Tab.PENDING, -1);
                    counters.add(campaignId, carrier, expired.tab(), 1);
                    if (events != null) {
                        // Every row was Pending: a tab change and its first finalization.
                        String number = rs.getString(5);
                        events.add(WebhookEvent.tabChanged(id, campaignId, number, expired.tab(), expired.lastStat(),
                                null, "transient", now));
                        events.add(WebhookEvent.finalized(id, campaignId, number, expired.tab(), expired.lastStat(),
                                null, "transient", FailureCause.GATEWAY_EXPIRY, now));
                    }
                }
            }
            counters.write(c);
            expirePendingParts(c, batch, now);
            if (events != null) {
                outbox.write(c, events);
            }
            c.commit();
            return batch;
        } catch (SQLException | RuntimeException e) {
            StoreErrors.rollBackAfter(c, e);
            throw e;
        }
    }
}
