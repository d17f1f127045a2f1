package io.dlrgate.reporting.report;

import io.dlrgate.config.Tab;
import io.dlrgate.reporting.counters.ReportCounters;
import io.dlrgate.reporting.db.ReportReads;
import io.dlrgate.reporting.db.StoreErrors;
import io.dlrgate.reporting.message.Source;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Read side of the reports: the campaign list, a campaign's tab counts and tab pages, single sends. The figures
 * (sent, per tab, unique sends, clicks) are read from counters maintained in the transactions that change them
 * ({@link ReportCounters}, migration V11), so their cost does not grow with the messages; the tab pages are read
 * by keyset from {@code messages_campaign_tab} on (campaign_id, tab, id).
 *
 * <p>No SQL is built from request input: the only variable SQL text is the ORDER BY of the campaign list, picked
 * from the constants of {@link CampaignSort}, and the suppressed list's optional conditions, also constants; every
 * value is a bind parameter. Each list has a paged form and a
 * streamed form (a server-side cursor, {@link #FETCH_SIZE} rows at a time) for CSV export.
 *
 * <p>With a read replica ({@code database.read_url}), the reports, their exports, the campaign list and the single
 * sends read through {@link ReportReads}, and may be a little behind ({@link #freshness}); the suppressed list
 * (edited by admins, who expect to see their change) and a single send's preview (opened right after the send)
 * read the primary.
 */
public final class ReportQueries {

    /** Rows fetched per round trip when streaming: memory stays constant however many rows there are. */
    public static final int FETCH_SIZE = 1000;

    /** The figures of the campaigns of one page, read from the maintained counters (primary-key lookups). */
    private static final String FIGURES = ReportCounters.sentAndDeliveredOf("c") + ", "
            + "case when c.link_tracking then (select coalesce(sum(l.total_clicks), 0) from links l "
            + "where l.campaign_id = c.id) end as total_clicks, "
            + "case when c.link_tracking then (select coalesce(sum(l.unique_clicks), 0) from links l "
            + "where l.campaign_id = c.id) end as unique_clicks";
    /**
     * The figures of every campaign at once, for sorting by one: the counters are aggregated in one pass each
     * (a few rows per campaign) and hash-joined, instead of per-campaign lookups.
     */
    private static final String ALL_FIGURES = "coalesce(f.sent, 0) as sent, coalesce(f.delivered, 0) as delivered, "
            + "case when c.link_tracking then coalesce(l.total_clicks, 0) end as total_clicks, "
            + "case when c.link_tracking then coalesce(l.unique_clicks, 0) end as unique_clicks "
            + "from campaigns c left join " + ReportCounters.SENT_AND_DELIVERED_BY_CAMPAIGN + " f "
            + "on f.campaign_id = c.id left join (select campaign_id, sum(total_clicks) as total_clicks, "
            + "sum(unique_clicks) as unique_clicks from links group by campaign_id) l on l.campaign_id = c.id";
    private static final String CAMPAIGN_COLUMNS = "c.id, c.name, c.created_by, c.last_modified_by, "
            + "c.last_modified_at, c.link_tracking, c.last_sent_at";
    private static final String NAME_FILTER = "(cast(? as text) is null or lower(c.name) like ? escape '\\')";

    /** The campaign list's SQL for each sort and direction, built once from constants. */
    private static final Map<CampaignSort, String[]> CAMPAIGN_SQL = new EnumMap<>(CampaignSort.class);

    static {
        for (CampaignSort s : CampaignSort.values()) {
            String[] byDir = new String[2];
            for (int d = 0; d < 2; d++) {
                String dir = d == 0 ? "asc" : "desc";
                String order = s.column + " " + dir + " nulls last, c.id " + dir;
                byDir[d] = s.byFigure
                        ? "select * from (select " + CAMPAIGN_COLUMNS + ", " + ALL_FIGURES + " where "
                          + NAME_FILTER + ") c order by " + order + " limit cast(? as bigint) offset ?"
                        : "with page as materialized (select * from campaigns c where " + NAME_FILTER
                          + " order by " + order + " limit cast(? as bigint) offset ?) select " + CAMPAIGN_COLUMNS
                          + ", " + FIGURES + " from page c order by " + order;
            }
            CAMPAIGN_SQL.put(s, byDir);
        }
    }

    private static final String TAB_PAGE = "select id, recipient, country, tab, last_stat, error, final_by, sent_at, "
            + "final_at, error_class, submit_status, carrier_id, sender, " + PartColumns.SQL
            + " from messages where campaign_id = ? and tab = ? "
            + "and id > ? and (cast(? as text) is null or recipient like ? escape '\\') order by id "
            + "limit cast(? as bigint)";

    private static final String TAB_MATCHES = "select count(*) from messages where campaign_id = ? and tab = ? "
            + "and (cast(? as text) is null or recipient like ? escape '\\')";

    /**
     * Single sends, sent or skipped as suppressed (V17), as one list: both parts are read newest first from their
     * keyset indexes and merged; the filters apply to both. The cursor is the (created_at, id) of a single send in
     * either table (their ids come from one sequence).
     */
    private static final String SINGLE_SENDS = "select id, recipient, country, created_at, sent_at, content_start, tab, "
            + "last_stat, source, sender from (select id, recipient, country, created_at, sent_at, left(content, 200) "
            + "as content_start, tab, last_stat, source, sender from messages where campaign_id is null union all "
            + "select id, recipient, country, created_at, null::timestamptz, left(content, 200), '"
            + SingleSendRow.SUPPRESSED + "', null, source, sender from skipped_single_sends) s where true "
            + "and (cast(? as text) is null or tab = ?) "
            + "and (cast(? as text) is null or source = ?) "
            + "and (cast(? as timestamptz) is null or created_at >= ?) "
            + "and (cast(? as timestamptz) is null or created_at < ?) "
            + "and (cast(? as text) is null or recipient like ? escape '\\') "
            + "and (cast(? as bigint) is null or (created_at, id) < (select b.created_at, b.id from (select created_at, "
            + "id from messages where id = ? and campaign_id is null union all select created_at, id from "
            + "skipped_single_sends where id = ?) b)) "
            + "order by created_at desc, id desc limit cast(? as bigint)";

    private static final String LAST_SENT_CONTENT = "select m.content from unnest(?::text[]) t(tab) cross join "
            + "lateral (select id, content from messages where campaign_id = ? and tab = t.tab order by id desc "
            + "limit 1) m order by m.id desc limit 1";

    /** Bucket index of a time: 0 to the last (?), from the start (?), bucket width in seconds (?). */
    private static final String BUCKET_OF = "least(cast(? as int), greatest(0, floor(extract(epoch from (%s - "
            + "cast(? as timestamptz)))::float8 / cast(? as float8))))::int";

    /**
     * Per bucket: messages queued in it (grouping set 1) and messages that became final in it, per tab (set 2). A
     * final message without a final time (none is written so) counts as final from when it was queued.
     */
    private static final String TIMELINE = "select grouping(entered) = 0, entered, finalized, tab, count(*) from ("
            + "select " + BUCKET_OF.formatted("created_at") + " as entered, case when tab <> 'pending' then "
            + BUCKET_OF.formatted("coalesce(final_at, created_at)") + " end as finalized, tab from messages "
            + "where campaign_id = ?) m group by grouping sets ((entered), (finalized, tab))";

    /** The store itself: what must read its own writes (the suppressed list, a single send's preview). */
    private final DataSource primary;
    /** Reports, exports and the campaign list: the read replica when one is configured ({@link ReportReads}). */
    private final DataSource reads;
    private final ReportReads routing;

    /** Every query on the primary. */
    public ReportQueries(DataSource primary) {
        this.primary = primary;
        this.reads = primary;
        this.routing = null;
    }

    /** Reports, exports and the campaign list through {@code reads}; the rest on {@code primary}. */
    public ReportQueries(DataSource primary, ReportReads reads) {
        this.primary = primary;
        this.reads = reads;
        this.routing = reads;
    }

    /** Where the reports read now (or in the open {@link #request}) and how far behind that is. */
    public ReportReads.Freshness freshness() {
        return routing != null ? routing.freshness() : ReportReads.ON_PRIMARY;
    }

    /** Opens a request on this thread whose {@link #freshness} is that of its own reads ({@link ReportReads#request}). */
    public ReportReads.Request request() {
        return routing != null ? routing.request() : () -> { };
    }

    // ------------------------------------------------------------------ campaign list

    /** A page of the campaign list. {@code search}: part of the name, any case; null for all. */
    public List<CampaignSummary> campaigns(String search, CampaignSort sort, boolean descending, int limit, int offset)
            throws SQLException {
        List<CampaignSummary> out = new ArrayList<>(limit);
        try (Connection c = reads.getConnection()) {
            campaignsOn(c, search, sort, descending, (long) limit, offset, out::add);
        }
        return out;
    }

    /** The whole campaign list in order, streamed. */
    public void streamCampaigns(String search, CampaignSort sort, boolean descending, RowSink<CampaignSummary> sink)
            throws Exception {
        streamed(reads, c -> campaignsOn(c, search, sort, descending, null, 0, sink));
    }

    /** How many campaigns match {@code search}. */
    public long campaignCount(String search) throws SQLException {
        try (Connection c = reads.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from campaigns c where " + NAME_FILTER)) {
            bindContains(ps, 1, search == null ? null : search.toLowerCase());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void campaignsOn(Connection c, String search, CampaignSort sort, boolean descending, Long limit,
                                    int offset, RowSink<CampaignSummary> sink) throws SQLException {
        String sql = CAMPAIGN_SQL.get(sort)[descending ? 1 : 0];
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setFetchSize(FETCH_SIZE);
            bindContains(ps, 1, search == null ? null : search.toLowerCase());
            setLong(ps, 3, limit);
            ps.setInt(4, offset);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    boolean tracking = rs.getBoolean(6);
                    long total = rs.getLong(10);
                    long unique = rs.getLong(11);
                    feed(sink, new CampaignSummary(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            instant(rs.getTimestamp(5)), tracking, rs.getLong(8), rs.getLong(9),
                            tracking ? total : null, tracking ? unique : null, instant(rs.getTimestamp(7))));
                }
            }
        }
    }

    // ------------------------------------------------------------------ one campaign

    /**
     * The parts figure beside a campaign's counts (which stay per message): its messages sent as concatenated parts,
     * and their parts by state. A part not answered yet counts as pending.
     */
    public record PartFigures(long messages, long parts, long delivered, long failed, long deleted, long expired,
                              long pending) {
    }

    /** {@link PartFigures} of one campaign (read from the parts of its messages). */
    public PartFigures partFigures(long campaignId) throws SQLException {
        try (Connection c = reads.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*), coalesce(sum(total), 0), "
                     + "coalesce(sum(delivered), 0), coalesce(sum(failed), 0), coalesce(sum(deleted), 0), "
                     + "coalesce(sum(expired), 0) from (select max(p.total) as total, "
                     + "count(*) filter (where p.tab = 'delivered') as delivered, "
                     + "count(*) filter (where p.tab = 'hard-bounces') as failed, "
                     + "count(*) filter (where p.tab = 'deleted') as deleted, "
                     + "count(*) filter (where p.tab = 'soft-bounces') as expired "
                     + "from messages m join message_parts p on p.message_id = m.id where m.campaign_id = ? "
                     + "group by p.message_id) x")) {
            ps.setLong(1, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long parts = rs.getLong(2);
                long settled = rs.getLong(3) + rs.getLong(4) + rs.getLong(5) + rs.getLong(6);
                return new PartFigures(rs.getLong(1), parts, rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6), parts - settled);
            }
        }
    }

    /** Count of messages per tab for one campaign (maintained counters); every tab present, zero where empty. */
    public Map<Tab, Long> tabCounts(long campaignId) throws SQLException {
        try (Connection c = reads.getConnection()) {
            return ReportCounters.tabCounts(c, campaignId);
        }
    }

    /** Distinct numbers the campaign was sent to, over all its sends (maintained by the send, V11). */
    public long uniqueRecipients(long campaignId) throws SQLException {
        try (Connection c = reads.getConnection()) {
            return ReportCounters.uniqueRecipients(c, campaignId);
        }
    }

    /** Sends of the campaign (each a list sent at once). */
    public long sendCount(long campaignId) throws SQLException {
        try (Connection c = reads.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from campaign_sends where campaign_id = ?")) {
            ps.setLong(1, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Contacts of one tab, oldest message first, {@code limit} rows after message id {@code afterId}, keeping only
     * numbers that contain {@code numberPart} (null: all). Keyset paging: page 1,000 costs what page 1 costs.
     */
    public List<ContactRow> tabPage(long campaignId, Tab tab, String numberPart, long afterId, int limit)
            throws SQLException {
        List<ContactRow> out = new ArrayList<>(limit);
        try (Connection c = reads.getConnection()) {
            tabOn(c, campaignId, tab, numberPart, afterId, (long) limit, out::add);
        }
        return out;
    }

    /**
     * How many contacts one tab holds, narrowed to numbers containing {@code numberPart} (null: all, read from the
     * maintained counters; a search counts the matching rows).
     */
    public long tabTotal(long campaignId, Tab tab, String numberPart) throws SQLException {
        if (numberPart == null) {
            return tabCounts(campaignId).get(tab);
        }
        try (Connection c = reads.getConnection(); PreparedStatement ps = c.prepareStatement(TAB_MATCHES)) {
            ps.setLong(1, campaignId);
            ps.setString(2, tab.slug());
            bindContains(ps, 3, numberPart);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Every contact of one tab, streamed. */
    public void streamTab(long campaignId, Tab tab, String numberPart, RowSink<ContactRow> sink) throws Exception {
        streamed(reads, c -> tabOn(c, campaignId, tab, numberPart, 0, null, sink));
    }

    private static void tabOn(Connection c, long campaignId, Tab tab, String numberPart, long afterId, Long limit,
                              RowSink<ContactRow> sink) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(TAB_PAGE)) {
            ps.setFetchSize(FETCH_SIZE);
            ps.setLong(1, campaignId);
            ps.setString(2, tab.slug());
            ps.setLong(3, afterId);
            bindContains(ps, 4, numberPart);
            setLong(ps, 6, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Tab t = Tab.fromSlug(rs.getString(4)).orElseThrow();
                    String error = rs.getString(6);
                    int status = rs.getInt(11);
                    Integer submitStatus = rs.wasNull() ? null : status;
                    feed(sink, new ContactRow(rs.getLong(1), rs.getString(2), rs.getString(3), t, rs.getString(5),
                            error, rs.getString(10), FailureCause.of(t, rs.getString(7), submitStatus, error),
                            instant(rs.getTimestamp(8)), instant(rs.getTimestamp(9)), rs.getString(12),
                            rs.getString(13), PartColumns.read(rs, 14)));
                }
            }
        }
    }

    /**
     * The text of the campaign's most recent message: what was sent (the campaign's content may have been edited
     * since). One backward index probe per tab on (campaign_id, tab, id). Null when nothing was sent.
     */
    public String lastSentContent(long campaignId) throws SQLException {
        try (Connection c = reads.getConnection(); PreparedStatement ps = c.prepareStatement(LAST_SENT_CONTENT)) {
            ps.setArray(1, c.createArrayOf("text", Arrays.stream(Tab.values()).map(Tab::slug).toArray()));
            ps.setLong(2, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** When the campaign was first sent; null when never. */
    public Instant firstSentAt(long campaignId) throws SQLException {
        try (Connection c = reads.getConnection();
             PreparedStatement ps = c.prepareStatement("select min(sent_at) from campaign_sends where campaign_id = ?")) {
            ps.setLong(1, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return instant(rs.getTimestamp(1));
            }
        }
    }

    /**
     * The campaign's tabs over time: {@code bucketCount} buckets of {@code bucket} from {@code start} (see
     * {@link TabTimeline}). One pass over the campaign's messages, aggregated in the store: it returns at most
     * six rows per bucket however many messages there are. Times outside the span fall in the first or last bucket.
     */
    public TabTimeline timeline(long campaignId, Instant start, Duration bucket, int bucketCount)
            throws SQLException {
        long[] entered = new long[bucketCount];
        long[][] finalized = new long[bucketCount][Tab.values().length];
        try (Connection c = reads.getConnection(); PreparedStatement ps = c.prepareStatement(TIMELINE)) {
            Timestamp from = Timestamp.from(start);
            double width = bucket.toMillis() / 1000.0;
            for (int i = 0; i < 2; i++) {
                ps.setInt(1 + 3 * i, bucketCount - 1);
                ps.setTimestamp(2 + 3 * i, from);
                ps.setDouble(3 + 3 * i, width);
            }
            ps.setLong(7, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean(1)) {
                        entered[rs.getInt(2)] += rs.getLong(5);
                    } else {
                        int b = rs.getInt(3);
                        if (!rs.wasNull()) {
                            finalized[b][Tab.fromSlug(rs.getString(4)).orElseThrow().ordinal()] += rs.getLong(5);
                        }
                    }
                }
            }
        }
        List<TabTimeline.Bucket> buckets = new ArrayList<>(bucketCount);
        long queued = 0;
        long[] finals = new long[Tab.values().length];
        for (int b = 0; b < bucketCount; b++) {
            queued += entered[b];
            long finalTotal = 0;
            Map<Tab, Long> counts = new EnumMap<>(Tab.class);
            for (Tab t : Tab.values()) {
                finals[t.ordinal()] += finalized[b][t.ordinal()];
                finalTotal += finals[t.ordinal()];
                counts.put(t, finals[t.ordinal()]);
            }
            counts.put(Tab.PENDING, queued - finalTotal);
            buckets.add(new TabTimeline.Bucket(start.plus(bucket.multipliedBy(b + 1L)), counts));
        }
        return new TabTimeline(start, bucket, buckets);
    }

    // ------------------------------------------------------------------ single sends

    /**
     * What the single sends list is narrowed to; null fields do not filter. {@code tab} is a tab's slug or
     * {@link SingleSendRow#SUPPRESSED}; {@code to} is exclusive.
     */
    public record SingleSendFilter(String tab, Source source, Instant from, Instant to, String numberPart) {
    }

    /** Single sends, newest first; {@code beforeId} (the id of the previous page's last row) or null. */
    public List<SingleSendRow> singleSends(SingleSendFilter f, Long beforeId, int limit) throws SQLException {
        List<SingleSendRow> out = new ArrayList<>(limit);
        try (Connection c = reads.getConnection()) {
            singleOn(c, f, beforeId, (long) limit, out::add);
        }
        return out;
    }

    public void streamSingleSends(SingleSendFilter f, RowSink<SingleSendRow> sink) throws Exception {
        streamed(reads, c -> singleOn(c, f, null, null, sink));
    }

    /**
     * Whether a message is a single send: the {@code before} cursor of the single-send pages is one, and the page
     * query looks up its position; an unknown id would otherwise read as an empty page (the end of the list). On the
     * primary: a page read there while the replica was away may hand out an id the replica has not replayed yet.
     */
    public boolean isSingleSend(long id) throws SQLException {
        try (Connection c = primary.getConnection();
             PreparedStatement ps = c.prepareStatement("select 1 from messages where id = ? and campaign_id is null "
                     + "union all select 1 from skipped_single_sends where id = ?")) {
            ps.setLong(1, id);
            ps.setLong(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** A single send skipped because its number was suppressed (V17), with its full content, for the preview. */
    public record SkippedSingleSend(long id, Source source, String recipient, String country, String content,
                                    String carrierId, Instant createdAt, String sender) {
    }

    /** The skipped single send of this id; empty when there is none (the id may be a message's). */
    public java.util.Optional<SkippedSingleSend> skippedSingleSend(long id) throws SQLException {
        try (Connection c = primary.getConnection();
             PreparedStatement ps = c.prepareStatement("select id, source, recipient, country, content, carrier_id, "
                     + "created_at, sender from skipped_single_sends where id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return java.util.Optional.empty();
                }
                return java.util.Optional.of(new SkippedSingleSend(rs.getLong(1),
                        Source.fromName(rs.getString(2)).orElseThrow(), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), instant(rs.getTimestamp(7)), rs.getString(8)));
            }
        }
    }

    private static void singleOn(Connection c, SingleSendFilter f, Long beforeId, Long limit,
                                 RowSink<SingleSendRow> sink) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SINGLE_SENDS)) {
            ps.setFetchSize(FETCH_SIZE);
            ps.setString(1, f.tab());
            ps.setString(2, f.tab());
            String source = f.source() == null ? null : f.source().dbName();
            ps.setString(3, source);
            ps.setString(4, source);
            setTime(ps, 5, f.from());
            setTime(ps, 6, f.from());
            setTime(ps, 7, f.to());
            setTime(ps, 8, f.to());
            bindContains(ps, 9, f.numberPart());
            setLong(ps, 11, beforeId);
            setLong(ps, 12, beforeId);
            setLong(ps, 13, beforeId);
            setLong(ps, 14, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String tab = rs.getString(7);
                    feed(sink, new SingleSendRow(rs.getLong(1), rs.getString(2), rs.getString(3),
                            instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5)),
                            SingleSendRow.startOf(rs.getString(6)),
                            SingleSendRow.SUPPRESSED.equals(tab) ? null : Tab.fromSlug(tab).orElseThrow(),
                            rs.getString(8), Source.fromName(rs.getString(9)).orElseThrow(), rs.getString(10)));
                }
            }
        }
    }

    /**
     * One page of the suppressed list, newest first, by keyset on (created_at, number) (index of V16): the cost
     * of a page does not grow with its position. {@code numberPrefix} (null: all) keeps the numbers starting with
     * it; {@code after} (null: the first page) is the last row of the page before.
     */
    public List<Suppressed> suppressions(String numberPrefix, SuppressedCursor after, int limit) throws SQLException {
        List<Suppressed> out = new ArrayList<>();
        try (Connection c = primary.getConnection()) {
            suppressionsOn(c, numberPrefix, after, limit, out::add);
        }
        return out;
    }

    /** The whole suppressed list (or the numbers starting with a prefix), newest first, streamed for CSV. */
    public void streamSuppressions(String numberPrefix, RowSink<Suppressed> sink) throws SQLException {
        streamed(primary, c -> suppressionsOn(c, numberPrefix, null, null, sink));
    }

    /** How many numbers are suppressed (starting with the prefix, when given). */
    public long countSuppressions(String numberPrefix) throws SQLException {
        try (Connection c = primary.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from suppressions where true"
                     + (numberPrefix == null ? "" : PREFIX_RANGE))) {
            if (numberPrefix != null) {
                bindPrefixRange(ps, 1, numberPrefix);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * The numbers starting with a prefix, as the byte-wise range that index {@code suppressions_number_prefix}
     * (text_pattern_ops) answers whatever the collation. The prefix and the cursor are left out of the SQL when
     * absent rather than made optional with "? is null or", which would keep a generic plan off the indexes.
     */
    private static final String PREFIX_RANGE = " and number ~>=~ ? and number ~<~ ?";
    private static final String AFTER_CURSOR = " and (created_at, number) < (?, ?)";

    private static void suppressionsOn(Connection c, String numberPrefix, SuppressedCursor after, Integer limit,
                                       RowSink<Suppressed> sink) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select number, reason, created_at, created_by from suppressions "
                + "where true" + (numberPrefix == null ? "" : PREFIX_RANGE) + (after == null ? "" : AFTER_CURSOR)
                + " order by created_at desc, number desc limit cast(? as bigint)")) {
            ps.setFetchSize(FETCH_SIZE);
            int i = 1;
            if (numberPrefix != null) {
                bindPrefixRange(ps, i, numberPrefix);
                i += 2;
            }
            if (after != null) {
                setTime(ps, i++, after.createdAt());
                ps.setString(i++, after.number());
            }
            setLong(ps, i, limit == null ? null : limit.longValue());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    feed(sink, new Suppressed(rs.getString(1), rs.getString(2), instant(rs.getTimestamp(3)),
                            rs.getString(4)));
                }
            }
        }
    }

    /** Binds {@link #PREFIX_RANGE}: from the prefix up to, not including, the prefix with its last byte raised. */
    private static void bindPrefixRange(PreparedStatement ps, int index, String prefix) throws SQLException {
        ps.setString(index, prefix);
        ps.setString(index + 1, prefix.substring(0, prefix.length() - 1)
                + (char) (prefix.charAt(prefix.length() - 1) + 1));
    }

    /** One suppressed number. */
    public record Suppressed(String number, String reason, Instant createdAt, String createdBy) {
    }

    /** Where a page of the suppressed list starts: after this row (the last of the page before). */
    public record SuppressedCursor(Instant createdAt, String number) {
    }

    // ------------------------------------------------------------------ helpers

    /** Binds a "contains" filter as two parameters: the raw value (null: no filter) and its LIKE pattern. */
    private static void bindContains(PreparedStatement ps, int index, String part) throws SQLException {
        ps.setString(index, part);
        ps.setString(index + 1, part == null ? null : "%" + escapeLike(part) + "%");
    }

    static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static void setLong(PreparedStatement ps, int index, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, v);
        }
    }

    private static void setTime(PreparedStatement ps, int index, Instant t) throws SQLException {
        if (t == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setTimestamp(index, Timestamp.from(t));
        }
    }

    /** A read on a connection. */
    private interface Read {
        void on(Connection c) throws SQLException;
    }

    /**
     * Runs a streamed read in a transaction of its own, which pgjdbc needs to fetch through a cursor
     * ({@link #FETCH_SIZE} rows at a time), and ends it by rolling back: it wrote nothing.
     */
    private static void streamed(DataSource ds, Read read) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                read.on(c);
            } catch (SQLException | RuntimeException e) {
                StoreErrors.rollBackAfter(c, e);
                throw e;
            }
            c.rollback();
        }
    }

    private static <T> void feed(RowSink<T> sink, T row) throws SQLException {
        try {
            sink.accept(row);
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SinkException(e);
        }
    }

    /** A sink's own failure (the client went away), carried through the JDBC loop. */
    public static final class SinkException extends RuntimeException {
        SinkException(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
