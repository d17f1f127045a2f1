package io.dlrgate.reporting.counters;

import io.dlrgate.config.Tab;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The one owner of the maintained report counters (schema: migration V11): every statement that writes or reads
 * {@code campaign_counters} is here (or is SQL text defined here), so the sharding, the ordering that keeps writers
 * from deadlocking, and what a figure means are in one place. Every change to a campaign message's tab adds its
 * delta on the caller's connection and inside the caller's transaction, so the counters commit or roll back with
 * the change itself:
 * <ul>
 *   <li>{@code campaign_counters(campaign_id, tab, shard, count)}: messages per campaign and tab. Deltas are
 *       aggregated per (campaign, tab) by the caller ({@link Deltas}) and written in ONE upsert per transaction,
 *       rows in (campaign_id, tab) order so two writers sharing a shard never deadlock. Each writer thread uses its
 *       own shard ({@link #threadShard()}), so the two group-commit lanes do not queue on each other's row locks.
 *       Readers sum the shards.</li>
 *   <li>{@code campaign_recipients} + {@code campaigns.unique_recipients}: distinct numbers per campaign.</li>
 *   <li>{@code link_click_recipients} + {@code links.total_clicks/unique_clicks}: kept by the click statement
 *       ({@link io.dlrgate.reporting.links.LinkStore#click}); recounted here by {@link #rebuild}.</li>
 * </ul>
 * {@link #rebuild(Connection)} recounts everything from the messages and clicks (for stores seeded around the write
 * paths, e.g. benchmarks).
 */
public final class ReportCounters {

    /** Shards per (campaign, tab); must stay within the table's check (0..15). */
    public static final int SHARDS = 4;

    private static final AtomicInteger NEXT_SHARD = new AtomicInteger();
    private static final ThreadLocal<Integer> SHARD =
            ThreadLocal.withInitial(() -> Math.floorMod(NEXT_SHARD.getAndIncrement(), SHARDS));

    private static final String UPSERT = "insert into campaign_counters as k (campaign_id, tab, shard, count) "
            + "select u.campaign_id, u.tab, ?, u.delta from unnest(?::int8[], ?::text[], ?::int8[]) "
            + "as u(campaign_id, tab, delta) order by u.campaign_id, u.tab "
            + "on conflict (campaign_id, tab, shard) do update set count = k.count + excluded.count";

    private static final Pattern SQL_ALIAS = Pattern.compile("[a-z_][a-z0-9_]*");

    /**
     * SQL select-list items {@code sent} and {@code delivered} of the campaign the caller's query aliases
     * {@code campaignAlias}, read from the counters by primary-key lookups: for a page of campaigns.
     *
     * @param campaignAlias a plain lower-case SQL alias of {@code campaigns}, other than {@code k} (the counters')
     */
    public static String sentAndDeliveredOf(String campaignAlias) {
        if (!SQL_ALIAS.matcher(campaignAlias).matches() || campaignAlias.equals("k")) {
            throw new IllegalArgumentException("not a usable alias of campaigns: " + campaignAlias);
        }
        String id = campaignAlias + ".id";
        return "(select coalesce(sum(k.count), 0) from campaign_counters k where k.campaign_id = " + id + ") as sent, "
                + "(select coalesce(sum(k.count), 0) from campaign_counters k where k.campaign_id = " + id
                + " and k.tab = 'delivered') as delivered";
    }

    /**
     * SQL derived table {@code (campaign_id, sent, delivered)} of every campaign with counters, aggregated in one
     * pass (a few rows per campaign): for sorting the whole campaign list by a figure.
     */
    public static final String SENT_AND_DELIVERED_BY_CAMPAIGN = "(select campaign_id, sum(count) as sent, "
            + "sum(count) filter (where tab = 'delivered') as delivered from campaign_counters group by campaign_id)";

    private ReportCounters() {
    }

    /** The shard of the calling thread: fixed for the thread's life, handed out round robin. */
    public static int threadShard() {
        return SHARD.get();
    }

    /** Aggregated tab deltas of one transaction: campaign -> tab -> delta. Not thread-safe. */
    public static final class Deltas {
        private final Map<Long, long[]> byCampaign = new TreeMap<>();

        /** {@code n} messages of {@code campaignId} entered {@code tab} ({@code n} < 0: left it); null: not counted. */
        public void add(Long campaignId, Tab tab, long n) {
            if (campaignId == null || n == 0) {
                return;
            }
            byCampaign.computeIfAbsent(campaignId, k -> new long[Tab.values().length])[tab.ordinal()] += n;
        }

        /** Writes the non-zero deltas in ONE statement on {@code c} (in its transaction); nothing when none. */
        public void write(Connection c) throws SQLException {
            List<Long> ids = new ArrayList<>();
            List<String> tabs = new ArrayList<>();
            List<Long> deltas = new ArrayList<>();
            Tab[] all = Tab.values();
            for (Map.Entry<Long, long[]> e : byCampaign.entrySet()) {
                for (Tab t : all) {
                    long v = e.getValue()[t.ordinal()];
                    if (v != 0) {
                        ids.add(e.getKey());
                        tabs.add(t.slug());
                        deltas.add(v);
                    }
                }
            }
            if (ids.isEmpty()) {
                return;
            }
            try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
                ps.setInt(1, threadShard());
                ps.setArray(2, c.createArrayOf("int8", ids.toArray()));
                ps.setArray(3, c.createArrayOf("text", tabs.toArray()));
                ps.setArray(4, c.createArrayOf("int8", deltas.toArray()));
                ps.executeUpdate();
            }
        }
    }

    /** A message just queued, as the counters see it: its campaign ({@code null}: a single send) and number. */
    public record Queued(Long campaignId, String recipient) {
    }

    /**
     * Counts newly queued messages (all Pending) on {@code c}, inside the transaction that inserted them: +n
     * pending per campaign, and the numbers new to each campaign into its unique recipients. Single sends
     * (no campaign) are not counted.
     */
    public static void queued(Connection c, List<Queued> messages) throws SQLException {
        entered(c, Tab.PENDING, messages);
    }

    /**
     * Counts new messages that enter {@code tab} as they are written ({@link #queued} for Pending; Hard bounces for
     * numbers filed at the door), like {@link #queued}: +n per campaign and tab, and the new unique numbers.
     */
    public static void entered(Connection c, Tab tab, List<Queued> messages) throws SQLException {
        Deltas deltas = new Deltas();
        Map<Long, Set<String>> recipients = new TreeMap<>();
        for (Queued m : messages) {
            if (m.campaignId() != null) {
                deltas.add(m.campaignId(), tab, 1);
                recipients.computeIfAbsent(m.campaignId(), k -> new HashSet<>()).add(m.recipient());
            }
        }
        if (recipients.isEmpty()) {
            return;
        }
        deltas.write(c);
        List<Long> ids = new ArrayList<>();
        List<String> numbers = new ArrayList<>();
        for (Map.Entry<Long, Set<String>> e : recipients.entrySet()) {
            List<String> sorted = new ArrayList<>(e.getValue());
            sorted.sort(null);
            for (String n : sorted) {
                ids.add(e.getKey());
                numbers.add(n);
            }
        }
        // New (campaign, number) pairs only; each adds one to its campaign's unique_recipients.
        try (PreparedStatement ps = c.prepareStatement("with n as (insert into campaign_recipients (campaign_id, "
                + "recipient) select * from unnest(?::int8[], ?::text[]) on conflict do nothing returning campaign_id) "
                + "update campaigns c set unique_recipients = c.unique_recipients + a.n "
                + "from (select campaign_id, count(*) as n from n group by campaign_id) a where c.id = a.campaign_id")) {
            ps.setArray(1, c.createArrayOf("int8", ids.toArray()));
            ps.setArray(2, c.createArrayOf("text", numbers.toArray()));
            ps.executeUpdate();
        }
    }

    /**
     * Recounts every counter from the messages and clicks, in one transaction on {@code c} (which must not be in
     * autocommit mode for the result to be atomic; the caller commits). For stores whose rows were written around
     * the write paths (benchmark seeding, repairs); the write paths themselves never need it.
     */
    public static void rebuild(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("lock table campaign_counters, campaign_recipients, link_click_recipients in exclusive mode");
            s.execute("delete from campaign_counters");
            s.execute("insert into campaign_counters (campaign_id, tab, shard, count) select campaign_id, tab, 0, "
                    + "count(*) from messages where campaign_id is not null group by campaign_id, tab");
            s.execute("delete from campaign_recipients");
            s.execute("insert into campaign_recipients (campaign_id, recipient) select distinct campaign_id, recipient "
                    + "from messages where campaign_id is not null");
            s.execute("update campaigns c set unique_recipients = coalesce((select count(*) from campaign_recipients r "
                    + "where r.campaign_id = c.id), 0)");
            s.execute("delete from link_click_recipients");
            s.execute("insert into link_click_recipients (link_id, recipient) select distinct link_id, recipient "
                    + "from link_clicks");
            s.execute("update links l set total_clicks = coalesce(k.total, 0), unique_clicks = coalesce(k.uniq, 0) "
                    + "from links l2 left join (select link_id, count(*) as total, count(distinct recipient) as uniq "
                    + "from link_clicks group by link_id) k on k.link_id = l2.id where l2.id = l.id");
        }
    }

    /** Messages per tab of one campaign; every tab present, zero where empty. */
    public static Map<Tab, Long> tabCounts(Connection c, long campaignId) throws SQLException {
        Map<Tab, Long> out = zeroPerTab();
        try (PreparedStatement ps = c.prepareStatement(
                "select tab, sum(count) from campaign_counters where campaign_id = ? group by tab")) {
            ps.setLong(1, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(Tab.fromSlug(rs.getString(1)).orElseThrow(), rs.getLong(2));
                }
            }
        }
        return out;
    }

    /** Distinct numbers the campaign was sent to, over all its sends (0 for an unknown campaign). */
    public static long uniqueRecipients(Connection c, long campaignId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select coalesce((select unique_recipients from campaigns where id = ?), 0)")) {
            ps.setLong(1, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Messages per tab in the whole store, every tab present: the campaigns' counters plus a count of the single
     * sends (which have no counters), so the cost does not grow with the campaign messages.
     */
    public static Map<Tab, Long> messagesPerTab(Connection c) throws SQLException {
        Map<Tab, Long> out = zeroPerTab();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select tab, sum(n) from ("
                     + "select tab, sum(count) as n from campaign_counters group by tab "
                     + "union all select tab, count(*) from messages where campaign_id is null group by tab"
                     + ") t group by tab")) {
            while (rs.next()) {
                out.put(Tab.fromSlug(rs.getString(1)).orElseThrow(), rs.getLong(2));
            }
        }
        return out;
    }

    private static Map<Tab, Long> zeroPerTab() {
        Map<Tab, Long> out = new EnumMap<>(Tab.class);
        for (Tab t : Tab.values()) {
            out.put(t, 0L);
        }
        return out;
    }

    /** Campaign -> tab -> count as the counters say (shards summed), for checks and tests. */
    public static Map<Long, Map<Tab, Long>> read(Connection c) throws SQLException {
        Map<Long, Map<Tab, Long>> out = new HashMap<>();
        try (Statement s = c.createStatement();
             var rs = s.executeQuery("select campaign_id, tab, sum(count) from campaign_counters "
                     + "group by campaign_id, tab having sum(count) <> 0")) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getLong(1), k -> new EnumMap<>(Tab.class))
                        .put(Tab.fromSlug(rs.getString(2)).orElseThrow(), rs.getLong(3));
            }
        }
        return out;
    }
}
