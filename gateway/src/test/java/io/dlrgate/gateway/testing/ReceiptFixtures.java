package io.dlrgate.gateway.testing;

import io.dlrgate.config.Tab;
import io.dlrgate.reporting.counters.ReportCounters;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Store fixtures for receipt streams: messages already submitted to a carrier (seeded straight into the store,
 * so a test of the receipt path does not pay for a send of tens of thousands of messages), the receipts for
 * them with known outcomes, and the reads that check what was stored.
 */
public final class ReceiptFixtures {

    /** Outcomes cycled over the messages: message i gets {@code STATS.get(i % 5)}. */
    public static final List<String> STATS = List.of("DELIVRD", "UNDELIV", "EXPIRED", "DELETED", "REJECTD");

    private ReceiptFixtures() {
    }

    /** The tab (slug) the default stat mapping puts each of {@link #STATS} in. */
    public static String tabOf(String stat) {
        return switch (stat) {
            case "DELIVRD" -> "delivered";
            case "UNDELIV", "REJECTD" -> "hard-bounces";
            case "EXPIRED" -> "soft-bounces";
            case "DELETED" -> "deleted";
            default -> "pending";
        };
    }

    /** The carrier's id of message i: lower case, so every id format normalises it to itself. */
    public static String carrierId(String prefix, int i) {
        return prefix + i;
    }

    /** A campaign row, for reports. */
    public static long seedCampaign(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into campaigns (name, content, created_by, created_at, "
                + "last_modified_by, last_modified_at, last_sent_at) values (?, 'receipt stream', 'qa', now(), 'qa', "
                + "now(), now()) returning id")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * {@code n} messages of the campaign, already submitted to {@code carrier} (dispatch_state submitted, the
     * carrier's id stored as the correlation key), Pending, valid for two days.
     */
    public static void seedSubmittedMessages(Connection c, long campaignId, String carrier, String idPrefix, int n)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into messages (campaign_id, source, recipient, country, "
                + "content, carrier_id, dispatch_state, submit_attempts, carrier_message_id, submit_status, created_at, "
                + "submitted_at, sent_at, validity_deadline) "
                + "select ?, 'campaign', '+4477' || lpad(g::text, 8, '0'), 'GB', 'receipt stream', ?, 'submitted', 1, "
                + "? || g, 0, now(), now(), now(), now() + interval '2 days' from generate_series(0, ? - 1) g")) {
            ps.setLong(1, campaignId);
            ps.setString(2, carrier);
            ps.setString(3, idPrefix);
            ps.setInt(4, n);
            int inserted = ps.executeUpdate();
            if (inserted != n) {
                throw new IllegalStateException("seeded " + inserted + " messages, wanted " + n);
            }
        }
        // The report counters, as the send path keeps them (V11, V18): +n Pending for the campaign and the carrier.
        ReportCounters.Deltas counters = new ReportCounters.Deltas();
        counters.add(campaignId, carrier, Tab.PENDING, n);
        counters.write(c);
    }

    /** One receipt per seeded message, outcome {@code STATS.get(i % 5)}. */
    public static List<ReceiptStreamer.Receipt> receipts(String idPrefix, int n) {
        List<ReceiptStreamer.Receipt> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new ReceiptStreamer.Receipt(carrierId(idPrefix, i), STATS.get(i % STATS.size())));
        }
        return out;
    }

    /** Tab counts the receipts of {@link #receipts} must produce, every tab present. */
    public static Map<String, Long> expectedTabs(int n) {
        Map<String, Long> out = emptyTabs();
        for (int i = 0; i < n; i++) {
            out.merge(tabOf(STATS.get(i % STATS.size())), 1L, Long::sum);
        }
        return out;
    }

    /** Tab counts of a campaign in the store, every tab present. */
    public static Map<String, Long> tabCounts(Connection c, long campaignId) throws SQLException {
        Map<String, Long> out = emptyTabs();
        try (PreparedStatement ps = c.prepareStatement(
                "select tab, count(*) from messages where campaign_id = ? group by tab")) {
            ps.setLong(1, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    private static Map<String, Long> emptyTabs() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String t : List.of("delivered", "pending", "soft-bounces", "hard-bounces", "deleted")) {
            out.put(t, 0L);
        }
        return out;
    }

    /** Rows in the raw receipt log per (normalised) receipt id, for one carrier. */
    public static Map<String, Integer> storedReceiptCounts(Connection c, String carrier) throws SQLException {
        Map<String, Integer> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select receipted_id, count(*) from receipts where carrier_id = ? group by receipted_id")) {
            ps.setString(1, carrier);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return out;
    }

    /** Rows in the raw receipt log per outcome. */
    public static Map<String, Long> outcomes(Connection c) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select outcome, count(*) from receipts group by outcome");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }
}
