package io.dlrgate.reporting.receipt;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

    public OrphanStore(DataSource ds) {
        this.ds = ds;
    }

    /** A correlation key: the carrier and its normalised message id. */
    public record CarrierKey(String carrierId, String receiptedId) {
    }

    /**
     * Keys of open orphans received before {@code cutoff} for which a message with that carrier id now exists:
     * orphans that should have been matched when the id became known (another gateway process learnt it at the
     * same moment as this one stored the receipt). At most {@code limit} keys.
     */
    public List<CarrierKey> matchableOlderThan(Instant cutoff, int limit) throws SQLException {
        List<CarrierKey> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select distinct o.carrier_id, o.receipted_id "
                     + "from orphan_receipts o where o.matched_at is null and o.received_at < ? and exists ("
                     + "select 1 from messages m where m.carrier_id = o.carrier_id "
                     + "and m.carrier_message_id = o.receipted_id) limit ?")) {
            ps.setTimestamp(1, Timestamp.from(cutoff));
            ps.setInt(2, limit);
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
