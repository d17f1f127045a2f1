package io.dlrgate.reporting.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.Tab;
import io.dlrgate.reporting.correlation.CorrelationWindow;
import io.dlrgate.reporting.correlation.OrphanStore;
import io.dlrgate.reporting.message.MessageStore;
import io.dlrgate.reporting.message.SubmitOutcome;
import io.dlrgate.reporting.state.DeliveryStateMachine;
import io.dlrgate.reporting.testing.TestDatabase;
import io.dlrgate.reporting.testing.TestMessages;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Receipts for carriers that recycle their message ids, against a real PostgreSQL: the id-reuse horizon and
 * causality ({@link CorrelationWindow}) decide which message with the id a receipt can be for. Every test uses
 * carriers of its own; carriers named {@code h*} have a 7-day horizon, the others none.
 */
class RecycledIdTest {

    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    static final Duration HORIZON = Duration.ofDays(7);
    static final AtomicInteger SEQ = new AtomicInteger();
    static TestDatabase db;
    static MessageStore messages;
    static DeliveryWriter writer;
    static OrphanStore orphans;

    @BeforeAll
    static void up() {
        db = TestDatabase.create();
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        messages = new MessageStore(db.database().dataSource(), clock);
        DeliveryStateMachine machine = DeliveryStateMachine.withDefaults();
        CorrelationWindow window = new CorrelationWindow(Map.of("h1", HORIZON, "h2", HORIZON, "h3", HORIZON,
                "h4", HORIZON, "h5", HORIZON));
        writer = new DeliveryWriter(db.database().dataSource(), carrier -> machine, clock,
                io.dlrgate.reporting.bounce.BounceRules.defaults(), window);
        orphans = new OrphanStore(db.database().dataSource(), window);
    }

    @AfterAll
    static void down() {
        db.close();
    }

    /** Queues and claims one message; its times are NOW unless moved with {@link #age}. */
    static long inFlight(String carrier) throws Exception {
        return TestMessages.inFlight(messages, carrier, "+4477008" + String.format("%05d", SEQ.incrementAndGet()),
                NOW.plus(Duration.ofDays(2)));
    }

    /** A message that was sent {@code ago} before NOW with carrier id {@code carrierId} and is delivered. */
    static long deliveredLongAgo(String carrier, String carrierId, Duration ago) throws Exception {
        long id = inFlight(carrier);
        writer.write(List.of(SubmitOutcome.accepted(id, carrier, carrierId, NOW, 0)),
                List.of(receipt(carrier, carrierId, "DELIVRD", NOW)));
        age(id, ago);
        return id;
    }

    /** Moves a message's created and sent times {@code ago} into the past. */
    static void age(long id, Duration ago) throws Exception {
        try (Connection c = db.database().connection();
             PreparedStatement ps = c.prepareStatement("update messages set created_at = created_at - ?::interval, "
                     + "sent_at = sent_at - ?::interval, submitted_at = submitted_at - ?::interval where id = ?")) {
            String interval = ago.toSeconds() + " seconds";
            ps.setString(1, interval);
            ps.setString(2, interval);
            ps.setString(3, interval);
            ps.setLong(4, id);
            assertEquals(1, ps.executeUpdate());
        }
    }

    static IncomingReceipt receipt(String carrier, String id, String stat, Instant receivedAt) {
        return new IncomingReceipt(receivedAt, carrier, "deliver_sm", 0x04, id, id, stat, "000", null, null, null,
                null, false, "id:" + id + " stat:" + stat);
    }

    static Tab tab(long id) throws Exception {
        return messages.find(id).orElseThrow().tab();
    }

    static long count(String sql) throws Exception {
        return db.count(sql);
    }

    @Test
    void aReceiptBeatingTheSubmitRespOfARecycledIdWaitsForTheNewMessage() throws Exception {
        long old = deliveredLongAgo("h1", "4711", Duration.ofDays(40));
        long fresh = inFlight("h1"); // sent, its submit_sm_resp (id 4711 again) not stored yet

        WriteResult early = writer.write(List.of(), List.of(receipt("h1", "4711", "UNDELIV", NOW)));
        assertTrue(early.receipts().get(0).orphan(), "the 40-day-old message is outside the 7-day horizon");
        assertEquals(Tab.DELIVERED, tab(old), "the old message is left alone");

        WriteResult resp = writer.write(List.of(SubmitOutcome.accepted(fresh, "h1", "4711", NOW, 0)), List.of());
        assertEquals(1, resp.matchedOrphans().size());
        assertEquals(Tab.HARD_BOUNCES, tab(fresh), "the receipt lands on the new message");
        assertEquals(1, count("select count(*) from receipts where message_id = " + fresh));
        assertEquals(1, count("select count(*) from receipts where message_id = " + old), "only its own receipt");
    }

    @Test
    void withinTheHorizonTheNewestMessageWithTheIdTakesTheReceipt() throws Exception {
        long older = deliveredLongAgo("h2", "77", Duration.ofDays(3));
        long newer = inFlight("h2");
        writer.write(List.of(SubmitOutcome.accepted(newer, "h2", "77", NOW, 0)), List.of());

        WriteResult r = writer.write(List.of(), List.of(receipt("h2", "77", "DELIVRD", NOW)));
        assertEquals("applied", r.receipts().get(0).result());
        assertEquals(Tab.DELIVERED, tab(newer));
        assertEquals(Tab.DELIVERED, tab(older));
        assertEquals(1, count("select count(*) from receipts where message_id = " + newer));
    }

    @Test
    void aMessageSentJustInsideTheHorizonStillTakesItsLateReceipt() throws Exception {
        long id = inFlight("h3");
        writer.write(List.of(SubmitOutcome.accepted(id, "h3", "late", NOW, 0)), List.of());
        age(id, HORIZON.minusMinutes(1));
        WriteResult r = writer.write(List.of(), List.of(receipt("h3", "late", "EXPIRED", NOW)));
        assertEquals("applied", r.receipts().get(0).result());
        assertEquals(Tab.SOFT_BOUNCES, tab(id));
    }

    @Test
    void withoutAHorizonTheOldMessageTakesTheReceipt() throws Exception {
        // Carrier "n1" has no horizon: the behaviour for carriers configured with id_reuse_horizon: 0s.
        long old = deliveredLongAgo("n1", "4711", Duration.ofDays(40));
        long fresh = inFlight("n1");
        WriteResult r = writer.write(List.of(), List.of(receipt("n1", "4711", "UNDELIV", NOW)));
        assertFalse(r.receipts().get(0).orphan());
        assertEquals(old, r.receipts().get(0).messageId());
        assertEquals(Tab.PENDING, tab(fresh));
    }

    @Test
    void anOrphanOlderThanTheMessageIsNeverAppliedToIt() throws Exception {
        // An id nobody issued, kept as an orphan 30 days ago; today a new message gets that id.
        Instant monthAgo = NOW.minus(Duration.ofDays(30));
        WriteResult stray = writer.write(List.of(), List.of(receipt("n2", "recycled", "UNDELIV", monthAgo)));
        assertTrue(stray.receipts().get(0).orphan());

        long fresh = inFlight("n2");
        WriteResult resp = writer.write(List.of(SubmitOutcome.accepted(fresh, "n2", "recycled", NOW, 0)), List.of());
        assertEquals(0, resp.matchedOrphans().size(), "the receipt came before the message existed");
        assertEquals(Tab.PENDING, tab(fresh));
        assertEquals(1, count("select count(*) from orphan_receipts where carrier_id = 'n2' and matched_at is null"),
                "kept open for inspection");
        assertEquals(List.of(), orphans.matchableOlderThan(NOW, 100).stream()
                .filter(k -> k.carrierId().equals("n2")).toList(), "the re-match backstop does not pick it up either");

        // Its own receipt, when it comes, is applied as usual.
        WriteResult own = writer.write(List.of(), List.of(receipt("n2", "recycled", "DELIVRD", NOW)));
        assertEquals("applied", own.receipts().get(0).result());
        assertEquals(Tab.DELIVERED, tab(fresh));
    }

    @Test
    void theReMatchBackstopListsOnlyOrphansAMessageCanTake() throws Exception {
        // h4/a: an orphan whose message learnt its id in another process: listed.
        WriteResult a = writer.write(List.of(), List.of(receipt("h4", "a", "DELIVRD", NOW)));
        assertTrue(a.receipts().get(0).orphan());
        long takesA = inFlight("h4");
        setCarrierId(takesA, "a"); // as the other process would, without this writer seeing it

        // h5/b: its only message with the id was sent 40 days before the receipt: outside the horizon, not listed.
        long old = deliveredLongAgo("h5", "b", Duration.ofDays(40));
        WriteResult b = writer.write(List.of(), List.of(receipt("h5", "b", "DELIVRD", NOW)));
        assertTrue(b.receipts().get(0).orphan());

        List<OrphanStore.CarrierKey> listed = orphans.matchableOlderThan(NOW.plusSeconds(1), 100);
        assertTrue(listed.contains(new OrphanStore.CarrierKey("h4", "a")), listed.toString());
        assertFalse(listed.contains(new OrphanStore.CarrierKey("h5", "b")), listed.toString());
        assertEquals(Tab.DELIVERED, tab(old));
    }

    @Test
    void anOrphanGoesToTheOlderMessageWhenTheNewestWithItsIdCameAfterIt() throws Exception {
        // Another process stored this orphan while it learnt the id for "older"; since then the carrier reused
        // the id for "newer", created after the receipt. The orphan is older's, and both the backstop and the
        // writer must say so (the writer used to look at the newest message only, and skip the orphan for ever).
        WriteResult o = writer.write(List.of(), List.of(receipt("n3", "k", "DELIVRD", NOW.minus(Duration.ofHours(2)))));
        assertTrue(o.receipts().get(0).orphan());
        long older = inFlight("n3");
        setCarrierId(older, "k");
        age(older, Duration.ofHours(3));
        long newer = inFlight("n3");
        setCarrierId(newer, "k");

        assertTrue(orphans.matchableOlderThan(NOW, 100).contains(new OrphanStore.CarrierKey("n3", "k")));
        WriteResult w = writer.write(List.of(SubmitOutcome.rematch("n3", "k", NOW)), List.of());
        assertEquals(1, w.matchedOrphans().size());
        assertEquals(Tab.DELIVERED, tab(older));
        assertEquals(Tab.PENDING, tab(newer));
        assertFalse(orphans.matchableOlderThan(NOW, 100).contains(new OrphanStore.CarrierKey("n3", "k")),
                "nothing left for the backstop");
    }

    static void setCarrierId(long id, String carrierId) throws Exception {
        try (Connection c = db.database().connection();
             PreparedStatement ps = c.prepareStatement("update messages set carrier_message_id = ?, "
                     + "dispatch_state = 'submitted', sent_at = ? where id = ?")) {
            ps.setString(1, carrierId);
            ps.setTimestamp(2, Timestamp.from(NOW));
            ps.setLong(3, id);
            assertEquals(1, ps.executeUpdate());
        }
    }
}
