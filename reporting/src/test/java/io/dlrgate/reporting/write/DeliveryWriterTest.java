package io.dlrgate.reporting.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.Tab;
import io.dlrgate.reporting.message.MessageStore;
import io.dlrgate.reporting.message.MessageView;
import io.dlrgate.reporting.message.NewMessage;
import io.dlrgate.reporting.message.OutboundMessage;
import io.dlrgate.reporting.message.Source;
import io.dlrgate.reporting.message.SubmitOutcome;
import io.dlrgate.reporting.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The group-commit writer against a real PostgreSQL: the correctness rules of receipt intake, end to end in SQL. */
class DeliveryWriterTest {

    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    static final AtomicInteger SEQ = new AtomicInteger();
    static WriterTestStore store;
    static TestDatabase db;
    static MessageStore messages;
    static DeliveryWriter writer;

    @BeforeAll
    static void up() {
        store = new WriterTestStore(NOW);
        db = store.db;
        messages = store.messages;
        writer = store.writer;
    }

    @AfterAll
    static void down() {
        store.close();
    }

    /** Queues and claims one message of its own carrier so tests never see each other's rows. */
    static long inFlight(String carrier) throws Exception {
        return store.inFlight(carrier, "+4477009");
    }

    static IncomingReceipt receipt(String carrier, String id, String stat, boolean intermediate) {
        return new IncomingReceipt(NOW, carrier, "deliver_sm", intermediate ? 0x20 : 0x04, id.toUpperCase(), id, stat,
                "000", null, null, null, null, intermediate, "id:" + id + " stat:" + stat);
    }

    static MessageView view(long id) throws Exception {
        return messages.find(id).orElseThrow();
    }

    @Test
    void acceptedSubmitThenDeliveredReceiptLandsInDelivered() throws Exception {
        long id = inFlight("c1");
        writer.write(List.of(SubmitOutcome.accepted(id, "c1", "abc1", NOW, 0)), List.of());
        assertEquals("submitted", view(id).dispatchState());
        assertEquals("abc1", view(id).carrierMessageId());

        WriteResult r = writer.write(List.of(), List.of(receipt("c1", "abc1", "DELIVRD", false)));
        assertEquals("applied", r.receipts().get(0).result());
        assertEquals(Tab.DELIVERED, view(id).tab());
        assertEquals("DELIVRD", view(id).lastStat());
        assertEquals("receipt", view(id).finalBy());
    }

    @Test
    void receiptBeforeSubmitRespIsKeptAsOrphanAndAppliedWhenTheIdArrives() throws Exception {
        long id = inFlight("c2");
        WriteResult first = writer.write(List.of(), List.of(receipt("c2", "early-1", "UNDELIV", false)));
        assertTrue(first.receipts().get(0).orphan());
        assertEquals(Tab.PENDING, view(id).tab());

        WriteResult second = writer.write(List.of(SubmitOutcome.accepted(id, "c2", "early-1", NOW, 0)), List.of());
        assertEquals(1, second.matchedOrphans().size());
        assertEquals(Tab.HARD_BOUNCES, view(id).tab());
        assertEquals(0, count("select count(*) from orphan_receipts where matched_at is null and carrier_id = 'c2'"));
        assertEquals(1, count("select count(*) from receipts where carrier_id = 'c2' and message_id = " + id));
    }

    @Test
    void receiptInTheSameBatchAsItsSubmitRespIsApplied() throws Exception {
        long id = inFlight("c3");
        WriteResult r = writer.write(List.of(SubmitOutcome.accepted(id, "c3", "same-batch", NOW, 0)),
                List.of(receipt("c3", "same-batch", "DELETED", false)));
        assertEquals("applied", r.receipts().get(0).result());
        assertEquals(Tab.DELETED, view(id).tab());
    }

    @Test
    void theSameReceiptThreeTimesChangesNothingAfterTheFirst() throws Exception {
        long id = inFlight("c4");
        writer.write(List.of(SubmitOutcome.accepted(id, "c4", "dup", NOW, 0)), List.of());
        WriteResult r = writer.write(List.of(), List.of(receipt("c4", "dup", "DELIVRD", false),
                receipt("c4", "dup", "DELIVRD", false), receipt("c4", "dup", "DELIVRD", false)));
        assertEquals(List.of("applied", "duplicate", "duplicate"),
                r.receipts().stream().map(ReceiptOutcome::result).toList());
        assertEquals(Tab.DELIVERED, view(id).tab());
        assertEquals(3, count("select count(*) from receipts where carrier_id = 'c4'"), "every receipt is logged");
    }

    @Test
    void enrouteAfterDeliveredNeverMovesItBack() throws Exception {
        long id = inFlight("c5");
        writer.write(List.of(SubmitOutcome.accepted(id, "c5", "e1", NOW, 0)), List.of(receipt("c5", "e1", "DELIVRD", false)));
        WriteResult r = writer.write(List.of(), List.of(receipt("c5", "e1", "ENROUTE", true)));
        assertEquals("intermediate_after_final", r.receipts().get(0).result());
        assertEquals(Tab.DELIVERED, view(id).tab());
    }

    @Test
    void unknownIdIsLoggedAsOrphanAndKept() throws Exception {
        WriteResult r = writer.write(List.of(), List.of(receipt("c6", "never-sent", "DELIVRD", false)));
        assertTrue(r.receipts().get(0).orphan());
        assertEquals(1, count("select count(*) from orphan_receipts where carrier_id = 'c6' and receipted_id = 'never-sent'"));
        assertEquals(1, count("select count(*) from receipts where carrier_id = 'c6' and outcome = 'orphan'"));
    }

    @Test
    void rejectedSubmitIsAHardBounceWithItsStatusAndLaterReceiptsDoNotMoveIt() throws Exception {
        long id = inFlight("c7");
        writer.write(List.of(SubmitOutcome.rejected(id, "c7", 0x0B, "ESME_RINVDSTADR", NOW, 0)), List.of());
        MessageView v = view(id);
        assertEquals("failed", v.dispatchState());
        assertEquals(Tab.HARD_BOUNCES, v.tab());
        assertEquals(0x0B, v.submitStatus());
        assertNull(v.carrierMessageId());
    }

    @Test
    void retryPutsTheMessageBackInTheQueue() throws Exception {
        long id = inFlight("c8");
        writer.write(List.of(SubmitOutcome.retry(id, "c8", NOW, 0)), List.of());
        assertEquals("queued", view(id).dispatchState());
        assertEquals(1, messages.claim("c8", 10).size());
    }

    @Test
    void aBatchReportsItsTabMovesPerCampaignAndPairOfTabs() throws Exception {
        long campaign = new io.dlrgate.reporting.campaign.CampaignStore(db.database().dataSource(), messages,
                Clock.fixed(NOW, ZoneOffset.UTC)).create("moves", "hi", "test", false).id();
        String carrier = "c-moves";
        List<Long> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(messages.insert(new NewMessage(i < 3 ? campaign : null, null, i < 3 ? Source.CAMPAIGN : Source.API,
                    "+4477008" + String.format("%05d", SEQ.incrementAndGet()), "GB", "hi", carrier,
                    NOW.plus(Duration.ofDays(2)))));
        }
        assertEquals(4, messages.claim(carrier, 10).size());
        List<SubmitOutcome> accepted = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            accepted.add(SubmitOutcome.accepted(ids.get(i), carrier, "mv-" + i, NOW, 0));
        }
        writer.write(accepted, List.of());

        // Two campaign messages delivered, one hard-bounced, the single send delivered, and a duplicate: the
        // duplicate moves nothing, and the moves are aggregated per (campaign, from, to).
        WriteResult r = writer.write(List.of(), List.of(
                receipt(carrier, "mv-0", "DELIVRD", false), receipt(carrier, "mv-1", "DELIVRD", false),
                receipt(carrier, "mv-2", "UNDELIV", false), receipt(carrier, "mv-3", "DELIVRD", false),
                receipt(carrier, "mv-0", "DELIVRD", false)));
        assertEquals(java.util.Set.of(
                        new TabMove(campaign, Tab.PENDING, Tab.DELIVERED, 2),
                        new TabMove(campaign, Tab.PENDING, Tab.HARD_BOUNCES, 1),
                        new TabMove(null, Tab.PENDING, Tab.DELIVERED, 1)),
                new java.util.HashSet<>(r.moves()));
        assertEquals(3, r.moves().size(), "one entry per (campaign, from, to)");
    }

    @Test
    void receiptDatesFarFromNowAreStoredExactly() throws Exception {
        // Carriers send 14-digit dates such as 99991231235959; epoch nanoseconds overflow a long past 2262.
        long id = inFlight("c-dates");
        writer.write(List.of(SubmitOutcome.accepted(id, "c-dates", "far-1", NOW, 0)), List.of());
        Instant far = Instant.parse("9999-12-31T23:59:59.123456Z");
        Instant early = Instant.parse("0001-01-01T00:00:00Z");
        IncomingReceipt r = new IncomingReceipt(NOW, "c-dates", "deliver_sm", 0x04, "FAR-1", "far-1", "DELIVRD",
                "000", null, null, far, early, false, "id:far-1 stat:DELIVRD");
        assertEquals("applied", writer.write(List.of(), List.of(r)).receipts().get(0).result());
        try (Connection c = db.database().connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select submit_date, done_date from receipts where receipted_id = 'far-1'")) {
            rs.next();
            assertEquals(far, rs.getObject(1, java.time.OffsetDateTime.class).toInstant());
            assertEquals(early, rs.getObject(2, java.time.OffsetDateTime.class).toInstant());
        }
    }

    @Test
    void epochMicrosIsExactWithoutOverflowAcrossTheWholeRange() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        java.math.BigInteger thousand = java.math.BigInteger.valueOf(1_000);
        for (int i = 0; i < 100_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_800L),
                    random.nextInt(1_000_000_000));
            // total nanos + 500, floor-divided by 1,000, computed without overflow
            java.math.BigInteger nanos = java.math.BigInteger.valueOf(t.getEpochSecond()).multiply(
                    java.math.BigInteger.valueOf(1_000_000_000L)).add(java.math.BigInteger.valueOf(t.getNano() + 500L));
            java.math.BigInteger[] qr = nanos.divideAndRemainder(thousand);
            long expected = (qr[1].signum() < 0 ? qr[0].subtract(java.math.BigInteger.ONE) : qr[0]).longValueExact();
            assertEquals(expected, EpochMicros.of(t), t::toString);
        }
    }

    @Test
    void anOutcomeAboutAnEarlierAttemptNeverTouchesTheAttemptNowInFlight() throws Exception {
        // A RETRY written twice (its first COMMIT succeeded but the connection died before the answer), or a late
        // ACCEPTED of attempt 1, must not requeue or settle attempt 2: that would send the text twice and strand
        // the receipts of the id that did arrive.
        String carrier = "c-attempts";
        long id = inFlight(carrier);
        assertEquals(1, view(id).submitAttempts());
        writer.write(List.of(SubmitOutcome.retry(id, carrier, NOW, 1)), List.of());
        assertEquals("queued", view(id).dispatchState());
        List<OutboundMessage> again = messages.claim(carrier, 10);
        assertEquals(1, again.size());
        assertEquals(2, again.get(0).attempt());

        writer.write(List.of(SubmitOutcome.retry(id, carrier, NOW, 1)), List.of());
        assertEquals("in_flight", view(id).dispatchState(), "the stale RETRY does not requeue attempt 2");
        writer.write(List.of(SubmitOutcome.accepted(id, carrier, "attempt-1-id", NOW, 1)), List.of());
        assertEquals("in_flight", view(id).dispatchState(), "a late ACCEPTED of attempt 1 does not settle attempt 2");
        writer.write(List.of(SubmitOutcome.failed(id, carrier, "timed out", NOW, 1)), List.of());
        assertEquals("in_flight", view(id).dispatchState(), "nor does a late FAILED");

        writer.write(List.of(SubmitOutcome.accepted(id, carrier, "attempt-2-id", NOW, 2)), List.of());
        assertEquals("submitted", view(id).dispatchState());
        assertEquals("attempt-2-id", view(id).carrierMessageId());
        assertEquals(Tab.PENDING, view(id).tab());
    }

    @Test
    void epochMicrosStoresTheSameValueAsTheDriversSetTimestamp() throws Exception {
        // The writer sends timestamps as epoch microseconds; the driver's setTimestamp rounds nanoseconds its own
        // way. Both must land on the same stored value, sub-microsecond rounding and dates before 1970 included.
        try (Connection c = db.database().connection(); java.sql.PreparedStatement ps = c.prepareStatement(
                "select ?::timestamptz = (timestamptz 'epoch' + ?::int8 * interval '1 microsecond'), ?::timestamptz")) {
            for (Instant t : List.of(Instant.parse("2026-11-27T10:00:00.000000499Z"),
                    Instant.parse("2026-11-27T10:00:00.000000500Z"), Instant.parse("2026-11-27T10:00:00.999999999Z"),
                    Instant.parse("1969-12-31T23:59:59.000000500Z"), Instant.parse("1901-06-01T00:00:00.123456789Z"))) {
                ps.setTimestamp(1, java.sql.Timestamp.from(t));
                ps.setLong(2, EpochMicros.of(t));
                ps.setTimestamp(3, java.sql.Timestamp.from(t));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertTrue(rs.getBoolean(1), t + ": driver stored " + rs.getString(2) + ", epochMicros "
                            + EpochMicros.of(t));
                }
            }
        }
    }

    static long count(String sql) throws Exception {
        return db.count(sql);
    }
}
