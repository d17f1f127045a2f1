package io.dlrgate.reporting.correlation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Read side of the orphan receipts: receipts acknowledged for ids the gateway did not know (yet). Orphans are
 * never deleted; old ones are reported so that someone looks at them (a carrier sending wrong ids, a
 * submit_sm_resp that never came back).
 */
public final class OrphanStore {

    /** One unmatched receipt, with what the carrier sent. */
    public record Orphan(long receiptId, String carrierId, String receiptedIdRaw, String stat, String err,
                         Instant receivedAt, String body) {
    }

    private final DataSource ds;
    private final CorrelationWindow correlation;

    /** Without id-reuse horizons (only causality limits which message an orphan can be for). */
    public OrphanStore(DataSource ds) {
        this(ds, CorrelationWindow.withoutHorizon());
    }

    public OrphanStore(DataSource ds, CorrelationWindow correlation) {
        this.ds = ds;
        this.correlation = correlation;
    }

    /** A correlation key: the carrier and its normalised message id. */
    public record CarrierKey(String carrierId, String receiptedId) {
    }

    /**
     * Keys of open orphans received before {@code cutoff} for which a message with that carrier id now exists, one
     * the orphan can be for ({@link CorrelationWindow}, the same rules in SQL): orphans that should have been matched
     * when the id became known (another gateway process learnt it at the same moment as this one stored the
     * receipt). An orphan no message can take is not listed, so it cannot crowd the others out of the
     * {@code limit} every minute. At most {@code limit} keys.
     */
    public List<CarrierKey> matchableOlderThan(Instant cutoff, int limit) throws SQLException {
        List<CarrierKey> out = new ArrayList<>();
        Map<String, Duration> horizons = correlation.horizons();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select distinct o.carrier_id, o.receipted_id "
                     + "from orphan_receipts o left join unnest(?::text[], ?::int8[]) as h(carrier_id, horizon_us) "
                     + "on h.carrier_id = o.carrier_id "
                     + "where o.matched_at is null and o.received_at < ? and exists ("
                     + "select 1 from messages m where m.carrier_id = o.carrier_id "
                     + "and m.carrier_message_id = o.receipted_id "
                     + "and m.created_at <= o.received_at + ? * interval '1 microsecond' "
                     + "and (coalesce(h.horizon_us, 0) = 0 or m.sent_at is null "
                     + "or m.sent_at >= o.received_at - h.horizon_us * interval '1 microsecond') "
                     // or a part of a message sent as concatenated parts carries the id (same window)
                     + "union all select 1 from message_parts p join messages m on m.id = p.message_id "
                     + "where p.carrier_id = o.carrier_id and p.carrier_message_id = o.receipted_id "
                     + "and m.created_at <= o.received_at + ? * interval '1 microsecond' "
                     + "and (coalesce(h.horizon_us, 0) = 0 or p.sent_at is null "
                     + "or p.sent_at >= o.received_at - h.horizon_us * interval '1 microsecond')) limit ?")) {
            String[] carriers = new String[horizons.size()];
            Long[] horizonMicros = new Long[horizons.size()];
            int i = 0;
            for (Map.Entry<String, Duration> e : horizons.entrySet()) {
                carriers[i] = e.getKey();
                horizonMicros[i++] = e.getValue().toNanos() / 1_000;
            }
            ps.setArray(1, c.createArrayOf("text", carriers));
            ps.setArray(2, c.createArrayOf("int8", horizonMicros));
            ps.setTimestamp(3, Timestamp.from(cutoff));
            ps.setLong(4, CorrelationWindow.CLOCK_SKEW.toNanos() / 1_000);
            ps.setLong(5, CorrelationWindow.CLOCK_SKEW.toNanos() / 1_000);
            ps.setInt(6, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CarrierKey(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return out;
    }

    /** Unmatched orphans received before {@code cutoff}. Uses the partial index on open orphans. */
    public long countOpenOlderThan(Instant cutoff) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select count(*) from orphan_receipts where matched_at is null and received_at < ?")) {
            ps.setTimestamp(1, Timestamp.from(cutoff));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Unmatched orphans received before {@code cutoff}, oldest first, keyset-paged by receipt id. */
    public List<Orphan> openOlderThan(Instant cutoff, long afterReceiptId, int limit) throws SQLException {
        List<Orphan> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select r.id, r.carrier_id, r.receipted_id_raw, r.stat, r.err, "
                     + "r.received_at, r.body from orphan_receipts o join receipts r on r.id = o.receipt_id "
                     + "where o.matched_at is null and o.received_at < ? and o.receipt_id > ? "
                     + "order by o.receipt_id limit ?")) {
            ps.setTimestamp(1, Timestamp.from(cutoff));
            ps.setLong(2, afterReceiptId);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Orphan(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getString(7)));
                }
            }
        }
        return out;
    }
}
