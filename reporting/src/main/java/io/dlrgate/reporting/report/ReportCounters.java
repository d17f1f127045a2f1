package io.dlrgate.reporting.report;

import io.dlrgate.config.Tab;
import io.dlrgate.reporting.message.NewMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Write side of the maintained report counters (schema: migration V11). Every change to a campaign message's tab
 * adds its delta here, on the caller's connection and inside the caller's transaction, so the counters commit or
 * roll back with the change itself:
 * <ul>
 *   <li>{@code campaign_counters(campaign_id, tab, shard, count)}: messages per campaign and tab. Deltas are
 *       aggregated per (campaign, tab) by the caller ({@link Deltas}) and written in ONE upsert per transaction,
 *       rows in (campaign_id, tab) order so two writers sharing a shard never deadlock. Each writer thread uses its
 *       own shard ({@link #threadShard()}), so the two group-commit lanes do not queue on each other's row locks.</li>
 *   <li>{@code campaign_recipients} + {@code campaigns.unique_recipients}: distinct numbers per campaign.</li>
 *   <li>{@code link_click_recipients} + {@code links.total_clicks/unique_clicks}: kept by the click statement
 *       ({@link io.dlrgate.reporting.links.LinkStore#click}).</li>
 * </ul>
 * Readers sum the shards ({@link ReportQueries}). {@link #rebuild(Connection)} recounts everything from the
 * messages and clicks (for stores seeded around the write paths, e.g. benchmarks).
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

    /**
     * Counts newly queued messages (all Pending) on {@code c}, inside the transaction that inserted them: +n
     * pending per campaign, and the numbers new to each campaign into its unique recipients. Single sends
     * (no campaign) are not counted.
     */
    public static void queued(Connection c, List<NewMessage> messages) throws SQLException {
        Deltas deltas = new Deltas();
        Map<Long, Set<String>> recipients = new TreeMap<>();
        for (NewMessage m : messages) {
            if (m.campaignId() != null) {
                deltas.add(m.campaignId(), Tab.PENDING, 1);
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

    /** Campaign -> tab -> count as the counters say (shards summed), for checks and tests. */
    public static Map<Long, Map<Tab, Long>> read(Connection c) throws SQLException {
        Map<Long, Map<Tab, Long>> out = new HashMap<>();
        try (Statement s = c.createStatement();
             var rs = s.executeQuery("select campaign_id, tab, sum(count) from campaign_counters "
                     + "group by campaign_id, tab having sum(count) <> 0")) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getLong(1), k -> new java.util.EnumMap<>(Tab.class))
                        .put(Tab.fromSlug(rs.getString(2)).orElseThrow(), rs.getLong(3));
            }
        }
        return out;
    }
}
