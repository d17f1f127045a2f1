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
 * The one owner of the maintained report counters (schema: migrations V11, V18): every statement that writes or
 * reads {@code campaign_counters} or {@code carrier_counters} is here (or is SQL text defined here), so the
 * sharding, the ordering that keeps writers from deadlocking, and what a figure means are in one place. Every change
 * to a message's tab adds its delta on the caller's connection and inside the caller's transaction, so the counters
 * commit or roll back with the change itself:
 * <ul>
 *   <li>{@code campaign_counters(campaign_id, tab, shard, count)}: messages per campaign and tab. Deltas are
 *       aggregated per (campaign, tab) by the caller ({@link Deltas}) and written in ONE upsert per transaction,
 *       rows in (campaign_id, tab) order so two writers sharing a shard never deadlock. Each writer thread uses its
 *       own shard ({@link #threadShard()}), so the two group-commit lanes do not queue on each other's row locks.
 *       Readers sum the shards.</li>
 *   <li>{@code carrier_counters(carrier_id, tab, shard, count)}: every message (single sends too) per carrier and
 *       tab, for the store-wide gauge. Aggregated by the same {@link Deltas} and upserted right after the campaign
 *       rows, in the same round trip, on the same shard, in (carrier_id, tab) order.</li>
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

    private static final String UPSERT_CAMPAIGNS = "insert into campaign_counters as k (campaign_id, tab, shard, "
            + "count) select u.campaign_id, u.tab, ?, u.delta from unnest(?::int8[], ?::text[], ?::int8[]) "
            + "as u(campaign_id, tab, delta) order by u.campaign_id, u.tab "
            + "on conflict (campaign_id, tab, shard) do update set count = k.count + excluded.count";

    private static final String UPSERT_CARRIERS = "insert into carrier_counters as k (carrier_id, tab, shard, count) "
            + "select u.carrier_id, u.tab, ?, u.delta from unnest(?::text[], ?::text[], ?::int8[]) "
            + "as u(carrier_id, tab, delta) order by u.carrier_id, u.tab "
            + "on conflict (carrier_id, tab, shard) do update set count = k.count + excluded.count";

    /**
     * Both upserts as one statement text: pgjdbc sends the two statements in one round trip and PostgreSQL runs them
     * in this order, so the campaign rows are always locked before the carrier rows (no deadlock between writers
     * sharing a shard) without a second round trip on the hot path.
     */
    private static final String UPSERT_BOTH = UPSERT_CAMPAIGNS + ";\n" + UPSERT_CARRIERS;

    /** The {@code carrier_counters} key of the messages no carrier took ({@code messages.carrier_id} null; V18). */
    private static final String NO_CARRIER = "";

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

    /**
     * Aggregated tab deltas of one transaction: campaign -> tab -> delta and carrier -> tab -> delta. Not
     * thread-safe.
     */
    public static final class Deltas {
        private final Map<Long, long[]> byCampaign = new TreeMap<>();
        private final Map<String, long[]> byCarrier = new TreeMap<>();

        /**
         * {@code n} messages of {@code campaignId} ({@code null}: single sends, which have no campaign counters) that
         * {@code carrierId} took ({@code null}: no carrier did) entered {@code tab} ({@code n} < 0: left it).
         */
        public void add(Long campaignId, String carrierId, Tab tab, long n) {
            if (n == 0) {
                return;
            }
            if (campaignId != null) {
                byCampaign.computeIfAbsent(campaignId, k -> new long[Tab.values().length])[tab.ordinal()] += n;
            }
            byCarrier.computeIfAbsent(carrierId == null ? NO_CARRIER : carrierId,
                    k -> new long[Tab.values().length])[tab.ordinal()] += n;
        }

        /**
         * Writes the non-zero deltas on {@code c} (in its transaction) in one round trip: the campaign rows, then
         * the carrier rows. Nothing when none.
         */
        public void write(Connection c) throws SQLException {
            Rows campaigns = Rows.of(byCampaign);
            Rows carriers = Rows.of(byCarrier);
            if (campaigns.isEmpty() && carriers.isEmpty()) {
                return;
            }
            String sql = campaigns.isEmpty() ? UPSERT_CARRIERS : carriers.isEmpty() ? UPSERT_CAMPAIGNS : UPSERT_BOTH;
            int shard = threadShard();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int at = 1;
                if (!campaigns.isEmpty()) {
                    at = campaigns.bind(c, ps, at, shard, "int8");
                }
                if (!carriers.isEmpty()) {
                    carriers.bind(c, ps, at, shard, "text");
                }
                ps.execute();
            }
        }
    }

    /** The non-zero (key, tab, delta) rows of one map of deltas, in key then tab order, as parallel arrays. */
    private record Rows(List<Object> keys, List<String> tabs, List<Long> deltas) {

        static Rows of(Map<?, long[]> byKey) {
            Rows out = new Rows(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            Tab[] all = Tab.values();
            for (Map.Entry<?, long[]> e : byKey.entrySet()) {
                for (Tab t : all) {
                    long v = e.getValue()[t.ordinal()];
                    if (v != 0) {
                        out.keys.add(e.getKey());
                        out.tabs.add(t.slug());
                        out.deltas.add(v);
                    }
                }
            }
            return out;
        }

        boolean isEmpty() {
            return keys.isEmpty();
        }

        /** Binds shard, keys, tabs, deltas from parameter {@code at}; returns the next parameter's index. */
        int bind(Connection c, PreparedStatement ps, int at, int shard, String keyType) throws SQLException {
            ps.setInt(at, shard);
            ps.setArray(at + 1, c.createArrayOf(keyType, keys.toArray()));
            ps.setArray(at + 2, c.createArrayOf("text", tabs.toArray()));
            ps.setArray(at + 3, c.createArrayOf("int8", deltas.toArray()));
            return at + 4;
        }
    }

    /**
     * A message just queued, as the counters see it: its campaign ({@code null}: a single send), the carrier that
     * takes it ({@code null}: none) and its number.
     */
    public record Queued(Long campaignId, String carrierId, String recipient) {
    }

    /**
     * Counts newly queued messages (all Pending) on {@code c}, inside the transaction that inserted them: +n
     * pending per campaign and per carrier, and the numbers new to each campaign into its unique recipients.
     * Single sends (no campaign) count only in their carrier's figures.
     */
    public static void queued(Connection c, List<Queued> messages) throws SQLException {
        entered(c, Tab.PENDING, messages);
    }

    /**
     * Counts new messages that enter {@code tab} as they are written ({@link #queued} for Pending; Hard bounces for
     * numbers filed at the door), like {@link #queued}: +n per campaign and tab and per carrier and tab, and the
     * new unique numbers.
     */
    public static void entered(Connection c, Tab tab, List<Queued> messages) throws SQLException {
        Deltas deltas = new Deltas();
        Map<Long, Set<String>> recipients = new TreeMap<>();
        for (Queued m : messages) {
            deltas.add(m.campaignId(), m.carrierId(), tab, 1);
            if (m.campaignId() != null) {
                recipients.computeIfAbsent(m.campaignId(), k -> new HashSet<>()).add(m.recipient());
            }
        }
        deltas.write(c);
        if (recipients.isEmpty()) {
            return;
        }
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
     * the write paths (benchmark seeding, repairs); the write paths themselves never need it. It counts the messages
     * that are left: after retention dropped months of messages, the kept counters are the complete ones, and a
     * rebuild would forget the dropped months.
     */
    public static void rebuild(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("lock table campaign_counters, carrier_counters, campaign_recipients, link_click_recipients "
                    + "in exclusive mode");
            s.execute("delete from campaign_counters");
            s.execute("insert into campaign_counters (campaign_id, tab, shard, count) select campaign_id, tab, 0, "
                    + "count(*) from messages where campaign_id is not null group by campaign_id, tab");
            s.execute("delete from carrier_counters");
            s.execute("insert into carrier_counters (carrier_id, tab, shard, count) select coalesce(carrier_id, '"
                    + NO_CARRIER + "'), tab, 0, count(*) from messages group by coalesce(carrier_id, '" + NO_CARRIER
                    + "'), tab");
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
     * A carrier and a tab.
     *
     * @param carrierId the configured carrier id, or {@code null} for the messages no carrier took (numbers filed at
     *                  the door as invalid or without a route)
     */
    public record CarrierTab(String carrierId, Tab tab) {
    }

    /**
     * Messages per carrier and tab in the whole store, single sends included, read from the counters (a few rows
     * per carrier whatever the store's size); only the pairs that hold messages.
     */
    public static Map<CarrierTab, Long> messagesPerCarrierAndTab(Connection c) throws SQLException {
        Map<CarrierTab, Long> out = new HashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select carrier_id, tab, sum(count) from carrier_counters "
                     + "group by carrier_id, tab having sum(count) <> 0")) {
            while (rs.next()) {
                String carrier = rs.getString(1);
                out.put(new CarrierTab(carrier.equals(NO_CARRIER) ? null : carrier,
                        Tab.fromSlug(rs.getString(2)).orElseThrow()), rs.getLong(3));
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
