package io.dlrgate.reporting.replies;

import io.dlrgate.reporting.db.StoreErrors;
import io.dlrgate.reporting.report.RowSink;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Read side of the replies: pages newest first by keyset on id (indexes of V20: per campaign, per number), their
 * count, a streamed form for CSV, and the opt-outs of a campaign. The filters are left out of the SQL when absent
 * rather than made optional with "? is null or", which would keep a generic plan off the indexes.
 */
public final class ReplyQueries {

    /** Rows fetched per round trip when streaming. */
    private static final int FETCH_SIZE = 1000;
    private static final String COLUMNS = "id, received_at, carrier_id, from_number, to_address, text, data_coding, "
            + "kind, message_id, campaign_id";

    /** Which replies: null fields do not filter. */
    public record Filter(Long campaignId, String number) {

        String where() {
            return " where true" + (campaignId == null ? "" : " and campaign_id = ?")
                    + (number == null ? "" : " and from_number = ?");
        }

        int bind(PreparedStatement ps, int index) throws SQLException {
            if (campaignId != null) {
                ps.setLong(index++, campaignId);
            }
            if (number != null) {
                ps.setString(index++, number);
            }
            return index;
        }
    }

    private final DataSource ds;

    public ReplyQueries(DataSource ds) {
        this.ds = ds;
    }

    /** One page, newest first; {@code beforeId} (null: the first page) is the last id of the page before. */
    public List<ReplyRow> page(Filter f, Long beforeId, int limit) throws SQLException {
        List<ReplyRow> out = new ArrayList<>(Math.min(limit, 1000));
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from replies" + f.where()
                     + (beforeId == null ? "" : " and id < ?") + " order by id desc limit ?")) {
            int i = f.bind(ps, 1);
            if (beforeId != null) {
                ps.setLong(i++, beforeId);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
        }
        return out;
    }

    /** Every matching reply, newest first, streamed through a cursor (constant memory) for CSV. */
    public void stream(Filter f, RowSink<ReplyRow> sink) throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false); // pgjdbc fetches through a cursor only inside a transaction
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from replies" + f.where()
                    + " order by id desc")) {
                ps.setFetchSize(FETCH_SIZE);
                f.bind(ps, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(row(rs));
                    }
                }
            } catch (Exception e) {
                StoreErrors.rollBackAfter(c, e);
                throw e;
            }
            c.rollback(); // it wrote nothing
        }
    }

    public long count(Filter f) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from replies" + f.where())) {
            f.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Opt-out replies answering the campaign's messages (index {@code replies_campaign_opt_outs}). */
    public long optOuts(long campaignId) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select count(*) from replies where campaign_id = ? and kind = 'opt-out'")) {
            ps.setLong(1, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static ReplyRow row(ResultSet rs) throws SQLException {
        long message = rs.getLong(9);
        Long messageId = rs.wasNull() ? null : message;
        long campaign = rs.getLong(10);
        Long campaignId = rs.wasNull() ? null : campaign;
        return new ReplyRow(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getInt(7), ReplyKind.fromDbName(rs.getString(8))
                .orElse(ReplyKind.REPLY), messageId, campaignId);
    }
}
