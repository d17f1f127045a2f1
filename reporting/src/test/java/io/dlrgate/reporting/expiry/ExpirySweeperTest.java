package io.dlrgate.reporting.expiry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.Tab;
import io.dlrgate.reporting.campaign.CampaignStore;
import io.dlrgate.reporting.counters.ReportCounters;
import io.dlrgate.reporting.message.MessageStore;
import io.dlrgate.reporting.message.MessageView;
import io.dlrgate.reporting.message.NewMessage;
import io.dlrgate.reporting.message.Source;
import io.dlrgate.reporting.message.SubmitOutcome;
import io.dlrgate.reporting.state.DeliveryStateMachine;
import io.dlrgate.reporting.testing.KeptConnection;
import io.dlrgate.reporting.testing.TestDatabase;
import io.dlrgate.reporting.write.DeliveryWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The expiry sweeper against a real PostgreSQL (a fresh database per test): what is due, what it writes, what it leaves alone. */
class ExpirySweeperTest {

    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    static final Duration GRACE = Duration.ofMinutes(5);
    static final AtomicInteger SEQ = new AtomicInteger();
    static TestDatabase db;
    static MessageStore messages;
    static DeliveryWriter writer;

    @BeforeEach
    void up() {
        db = TestDatabase.create();
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        messages = new MessageStore(db.database().dataSource(), clock);
        DeliveryStateMachine machine = DeliveryStateMachine.withDefaults();
        writer = new DeliveryWriter(db.database().dataSource(), carrier -> machine, clock);
    }

    @AfterEach
    void down() {
        db.close();
    }

    /** A database per test, so no test sees another's messages; the instants just keep the cases readable. */
    static Instant epoch(int n) {
        return NOW.plus(Duration.ofDays(10L * n));
    }

    static long queue(String carrier, Instant deadline) throws Exception {
        return messages.insert(new NewMessage(null, null, Source.API,
                "+4477009" + String.format("%05d", SEQ.incrementAndGet()), "GB", "hi", carrier, deadline));
    }

    static MessageView view(long id) throws Exception {
        return messages.find(id).orElseThrow();
    }

    ExpirySweeper sweeper(int batch) {
        return new ExpirySweeper(db.database().dataSource(), GRACE, batch);
    }

    @Test
    void dueExactlyAtDeadlinePlusGraceNotBefore() throws Exception {
        Instant deadline = epoch(1);
        long id = queue("e1", deadline);
        messages.claim("e1", 10);
        writer.write(List.of(SubmitOutcome.accepted(id, "e1", "x1", NOW, 0)), List.of());
        ExpirySweeper s = sweeper(100);

        assertEquals(0, s.sweepOnce(deadline));
        assertEquals(0, s.sweepOnce(deadline.plus(GRACE).minusMillis(1)));
        MessageView before = view(id);
        assertEquals(Tab.PENDING, before.tab());
        assertNull(before.finalBy());

        Instant at = deadline.plus(GRACE);
        List<ExpirySweeper.Expired> seen = new ArrayList<>();
        assertEquals(1, s.sweepOnce(at, seen::addAll));
        assertEquals(List.of(new ExpirySweeper.Expired(id, "e1", false)), seen);
        MessageView v = view(id);
        assertEquals(Tab.SOFT_BOUNCES, v.tab());
        assertEquals("EXPIRED", v.lastStat());
        assertEquals("expiry", v.finalBy());
        assertEquals(at, v.finalAt());
        assertEquals("submitted", v.dispatchState(), "a submitted message keeps its dispatch state");

        assertEquals(0, s.sweepOnce(at.plus(Duration.ofDays(1))), "expired once only");
    }

    @Test
    void queuedMessageExpiresAndIsNeverClaimedAfterwards() throws Exception {
        Instant deadline = epoch(2);
        long id = queue("e2", deadline);
        assertEquals(1, sweeper(100).sweepOnce(deadline.plus(GRACE)));
        MessageView v = view(id);
        assertEquals(Tab.SOFT_BOUNCES, v.tab());
        assertEquals("expired", v.dispatchState(), "taken out of the queue");
        assertEquals(0, v.submitAttempts());
        assertTrue(messages.claim("e2", 10).isEmpty());
        assertEquals(0, messages.countQueued("e2"));
    }

    @Test
    void claimNeverHandsOutAMessageThatIsNoLongerPending() throws Exception {
        // Whatever put it there (a requeue racing the sweeper), a queued row outside Pending is not dispatched.
        long id = queue("e3", epoch(3));
        try (Connection c = db.database().connection(); Statement st = c.createStatement()) {
            st.executeUpdate("update messages set tab = 'soft-bounces', last_stat = 'EXPIRED', final_by = 'expiry', "
                    + "final_at = now() where id = " + id);
        }
        assertTrue(messages.claim("e3", 10).isEmpty());
        assertEquals("queued", view(id).dispatchState());
    }

    @Test
    void inFlightMessageExpiredThenHandedBackIsNotRequeued() throws Exception {
        Instant deadline = epoch(4);
        long a = queue("e4", deadline);
        long b = queue("e4", deadline);
        long c = queue("e4", deadline.plus(Duration.ofDays(1)));
        assertEquals(3, messages.claim("e4", 10).size());
        assertEquals(2, sweeper(100).sweepOnce(deadline.plus(GRACE)));
        assertEquals("in_flight", view(a).dispatchState());

        writer.write(List.of(SubmitOutcome.retry(a, "e4", NOW, 0)), List.of());     // submit timed out: retry
        assertEquals(2, messages.requeue(List.of(b, c)));                        // session closed
        assertEquals("expired", view(a).dispatchState());
        assertEquals("expired", view(b).dispatchState());
        assertEquals("queued", view(c).dispatchState(), "a message still Pending goes back to the queue");
        assertEquals(List.of(c), messages.claim("e4", 10).stream().map(m -> m.id()).toList());
    }

    @Test
    void finalMessagesAreLeftAlone() throws Exception {
        Instant deadline = epoch(5);
        long delivered = queue("e5", deadline);
        long rejected = queue("e5", deadline);
        messages.claim("e5", 10);
        writer.write(List.of(SubmitOutcome.accepted(delivered, "e5", "d1", NOW, 0),
                SubmitOutcome.rejected(rejected, "e5", 0x0B, "invalid destination", NOW, 0)), List.of());
        writer.write(List.of(), List.of(new io.dlrgate.reporting.write.IncomingReceipt(NOW, "e5", "deliver_sm", 4,
                "d1", "d1", "DELIVRD", "000", null, null, null, null, false, "stat:DELIVRD")));
        assertEquals(Tab.DELIVERED, view(delivered).tab());

        assertEquals(0, sweeper(100).sweepOnce(deadline.plus(Duration.ofDays(3))));
        assertEquals(Tab.DELIVERED, view(delivered).tab());
        assertEquals("receipt", view(delivered).finalBy());
        assertEquals(Tab.HARD_BOUNCES, view(rejected).tab());
        assertEquals("submit", view(rejected).finalBy());
    }

    @Test
    void worksInBatchesOldestDeadlineFirstUntilNothingIsDue() throws Exception {
        Instant base = epoch(6);
        int n = 2_345;
        try (Connection c = db.database().connection();
             PreparedStatement ps = c.prepareStatement("insert into messages (source, recipient, content, carrier_id, "
                     + "created_at, validity_deadline) select 'api', '+44' || g, 'x', 'e6', ?, "
                     + "?::timestamptz + g * interval '1 second' from generate_series(1, ?) g")) {
            ps.setTimestamp(1, Timestamp.from(NOW));
            ps.setTimestamp(2, Timestamp.from(base));
            ps.setInt(3, n);
            ps.executeUpdate();
        }
        List<Integer> batchSizes = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        ExpirySweeper s = sweeper(1000);
        // Due: deadlines base+1s .. base+2000s (cutoff = now - grace).
        Instant now = base.plusSeconds(2000).plus(GRACE);
        int done = s.sweepOnce(now, batch -> {
            batchSizes.add(batch.size());
            batch.forEach(e -> ids.add(e.id()));
        });
        assertEquals(2000, done);
        assertEquals(List.of(1000, 1000), batchSizes, "full batches, and the loop stops on an empty one");
        assertEquals(2000, ids.stream().distinct().count());
        assertEquals(345, count("select count(*) from messages where carrier_id = 'e6' and tab = 'pending'"));
        assertEquals(0, count("select count(*) from messages where carrier_id = 'e6' and tab = 'pending' "
                + "and validity_deadline <= timestamptz '" + base.plusSeconds(2000) + "'"));
        assertEquals(345, s.sweepOnce(now.plus(Duration.ofDays(1))));
        assertEquals(0, count("select count(*) from messages where carrier_id = 'e6' and tab = 'pending'"));
    }

    @Test
    void aBatchWhoseCountersCannotBeWrittenIsRolledBackWhole() throws Exception {
        Instant deadline = epoch(7);
        long campaign = new CampaignStore(db.database().dataSource(), messages, Clock.fixed(NOW, ZoneOffset.UTC))
                .create("refused", "hi", "test", false).id();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(messages.insert(new NewMessage(campaign, null, Source.CAMPAIGN,
                    "+4477007" + String.format("%05d", SEQ.incrementAndGet()), "GB", "hi", "e7", deadline)));
        }
        Map<Tab, Long> before = tabCounts(campaign);
        assertEquals(3L, before.get(Tab.PENDING));
        // The batch's update succeeds; its counter write, the second statement of the transaction, fails.
        try (Connection c = db.database().connection(); Statement st = c.createStatement()) {
            st.execute("create function refuse_counters() returns trigger language plpgsql as "
                    + "$$ begin raise exception 'counters refused'; end $$");
            st.execute("create trigger refuse_counters before insert or update on campaign_counters "
                    + "for each row execute function refuse_counters()");
        }

        try (KeptConnection kept = new KeptConnection(db.database().dataSource())) {
            ExpirySweeper sweeper = new ExpirySweeper(kept.dataSource(), GRACE, 100);
            SQLException e = assertThrows(SQLException.class, () -> sweeper.sweepOnce(deadline.plus(GRACE)));
            assertTrue(e.getMessage().contains("counters refused"), e.getMessage());
            for (long id : ids) {
                assertEquals(Tab.PENDING, view(id).tab(), "the update went with its counters");
                assertEquals("queued", view(id).dispatchState());
            }
            assertEquals(before, tabCounts(campaign));
            // Rolled back, not left failed: the next borrower of the sweeper's connection can use it.
            try (Statement st = kept.connection().createStatement();
                 ResultSet rs = st.executeQuery("select count(*) from messages where tab = 'pending'")) {
                rs.next();
                assertEquals(3, rs.getLong(1));
            }
        }
    }

    static Map<Tab, Long> tabCounts(long campaign) throws SQLException {
        try (Connection c = db.database().connection()) {
            return ReportCounters.tabCounts(c, campaign);
        }
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class,
                () -> new ExpirySweeper(db.database().dataSource(), Duration.ofSeconds(-1), 10));
        assertThrows(IllegalArgumentException.class,
                () -> new ExpirySweeper(db.database().dataSource(), GRACE, 0));
    }

    static long count(String sql) throws Exception {
        return db.count(sql);
    }
}
