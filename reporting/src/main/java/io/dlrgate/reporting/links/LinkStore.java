package io.dlrgate.reporting.links;

import io.dlrgate.reporting.db.StoreErrors;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Tracked links: one row per original URL of a campaign, one unguessable short code per (link, recipient, send),
 * and one row per click. Total clicks count rows; unique clicks count distinct recipients per link.
 */
public final class LinkStore {

    /** User agents longer than this are cut: the column is for reading, not for storing whatever is sent. */
    public static final int MAX_USER_AGENT = 512;

    private static final Base64.Encoder CODE = Base64.getUrlEncoder().withoutPadding();

    private final DataSource ds;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public LinkStore(DataSource ds, Clock clock) {
        this.ds = ds;
        this.clock = clock;
    }

    /** Where a short code leads. */
    public record Target(String code, long linkId, long campaignId, String url, String recipient) {
    }

    /** One line of a campaign's links table. */
    public record LinkStats(long linkId, String url, long totalClicks, long uniqueClicks) {
    }

    /** Characters of every code: 128 bits in base64url without padding. */
    public static final int CODE_LENGTH = 22;

    /** A new code: 128 random bits as {@link #CODE_LENGTH} base64url characters (letters, digits, {@code -}, {@code _}). */
    public String newCode() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return CODE.encodeToString(b);
    }

    /**
     * Creates (or finds) the campaign's link rows for {@code urls} and one fresh short code per (url, recipient),
     * in one transaction. Returns recipient -> (url -> code).
     */
    public Map<String, Map<String, String>> codesFor(long campaignId, Collection<String> urls,
                                                     Collection<String> recipients) throws SQLException {
        Instant now = clock.instant();
        Map<String, Map<String, String>> out = new HashMap<>();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                Map<String, Long> linkIds = new LinkedHashMap<>();
                try (PreparedStatement ps = c.prepareStatement("insert into links (campaign_id, url, created_at) "
                        + "values (?,?,?) on conflict (campaign_id, url) do update set url = excluded.url returning id")) {
                    for (String url : urls) {
                        ps.setLong(1, campaignId);
                        ps.setString(2, url);
                        ps.setTimestamp(3, Timestamp.from(now));
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            linkIds.put(url, rs.getLong(1));
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "insert into link_codes (code, link_id, recipient, created_at) values (?,?,?,?)")) {
                    int n = 0;
                    for (String recipient : recipients) {
                        Map<String, String> mine = new HashMap<>();
                        for (Map.Entry<String, Long> link : linkIds.entrySet()) {
                            String code = newCode();
                            mine.put(link.getKey(), code);
                            ps.setString(1, code);
                            ps.setLong(2, link.getValue());
                            ps.setString(3, recipient);
                            ps.setTimestamp(4, Timestamp.from(now));
                            ps.addBatch();
                            if (++n % 1000 == 0) {
                                ps.executeBatch();
                            }
                        }
                        out.put(recipient, mine);
                    }
                    ps.executeBatch();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                StoreErrors.rollBackAfter(c, e);
                throw e;
            }
        }
        return out;
    }

    public Optional<Target> find(String code) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select k.code, l.id, l.campaign_id, l.url, k.recipient "
                     + "from link_codes k join links l on l.id = k.link_id where k.code = ?")) {
            ps.setString(1, code);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Target(rs.getString(1), rs.getLong(2), rs.getLong(3),
                        rs.getString(4), rs.getString(5))) : Optional.empty();
            }
        }
    }

    /** Records one click on a code; empty (nothing recorded) when the code is unknown. */
    public Optional<Target> click(String code, String userAgent) throws SQLException {
        Optional<Target> t = find(code);
        if (t.isEmpty()) {
            return t;
        }
        String ua = userAgent == null ? null
                : userAgent.length() > MAX_USER_AGENT ? userAgent.substring(0, MAX_USER_AGENT) : userAgent;
        try (Connection c = ds.getConnection();
             // The click, its (link, recipient) pair if new, and the link's total/unique counters: one statement,
             // so one transaction (the link's row lock orders concurrent clicks on it).
             PreparedStatement ps = c.prepareStatement("with k as (insert into link_clicks (link_id, campaign_id, "
                     + "recipient, clicked_at, user_agent) values (?,?,?,?,?) returning link_id, recipient), "
                     + "u as (insert into link_click_recipients (link_id, recipient) select link_id, recipient from k "
                     + "on conflict do nothing returning link_id) "
                     + "update links set total_clicks = total_clicks + (select count(*) from k), "
                     + "unique_clicks = unique_clicks + (select count(*) from u) where id = ?")) {
            ps.setLong(1, t.get().linkId());
            ps.setLong(2, t.get().campaignId());
            ps.setString(3, t.get().recipient());
            ps.setTimestamp(4, Timestamp.from(clock.instant()));
            ps.setString(5, ua);
            ps.setLong(6, t.get().linkId());
            ps.executeUpdate();
        }
        return t;
    }

    /** The campaign's links with total and unique (distinct recipients) clicks, in the order they were made. */
    public List<LinkStats> stats(long campaignId) throws SQLException {
        List<LinkStats> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             // Maintained by click() (migration V11), not counted here.
             PreparedStatement ps = c.prepareStatement("select l.id, l.url, l.total_clicks, l.unique_clicks "
                     + "from links l where l.campaign_id = ? order by l.id")) {
            ps.setLong(1, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new LinkStats(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
                }
            }
        }
        return out;
    }
}
