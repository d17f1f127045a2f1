package io.dlrgate.reporting.report;

import io.dlrgate.config.Tab;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Read side of the campaign report: counts per tab and the contacts in a tab, paged by keyset. */
public final class ReportQueries {

    private final DataSource ds;

    public ReportQueries(DataSource ds) {
        this.ds = ds;
    }

    /** Count of messages per tab for one campaign; every tab present, zero where empty. */
    public Map<Tab, Long> tabCounts(long campaignId) throws SQLException {
        Map<Tab, Long> out = new EnumMap<>(Tab.class);
        for (Tab t : Tab.values()) {
            out.put(t, 0L);
        }
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select tab, count(*) from messages where campaign_id = ? group by tab")) {
            ps.setLong(1, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(Tab.fromSlug(rs.getString(1)).orElseThrow(), rs.getLong(2));
                }
            }
        }
        return out;
    }

    /**
     * Contacts of one tab, oldest message first, {@code limit} rows after message id {@code afterId}.
     * Keyset paging: page 1,000 costs what page 1 costs.
     */
    public List<ContactRow> tabPage(long campaignId, Tab tab, long afterId, int limit) throws SQLException {
        List<ContactRow> out = new ArrayList<>(limit);
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select id, recipient, country, last_stat, error, sent_at, "
                     + "final_at from messages where campaign_id = ? and tab = ? and id > ? order by id limit ?")) {
            ps.setLong(1, campaignId);
            ps.setString(2, tab.slug());
            ps.setLong(3, afterId);
            ps.setInt(4, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ContactRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7))));
                }
            }
        }
        return out;
    }

    private static java.time.Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
