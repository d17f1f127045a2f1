package io.dlrgate.reporting.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.Tab;
import io.dlrgate.reporting.correlation.CorrelationWindow;
import io.dlrgate.reporting.correlation.OrphanStore;
import io.dlrgate.reporting.expiry.ExpirySweeper;
import io.dlrgate.reporting.message.MessageView;
import io.dlrgate.reporting.message.OutboundMessage;
import io.dlrgate.reporting.message.SubmitOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Messages sent as concatenated parts, through the group-commit writer against a real PostgreSQL: each part's id
 * stored, the message submitted when every part is, per-part receipts in any order, duplicated, before their
 * submit_sm_resp, and the documented rule deciding the message's tab.
 */
class PartReceiptsTest {

    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    static WriterTestStore store;

    @BeforeAll
    static void up() {
        store = new WriterTestStore(NOW);
    }

    @AfterAll
    static void down() {
        store.close();
    }

    static long inFlight(String carrier) throws Exception {
        return store.inFlight(carrier, "+4477008");
    }

    static IncomingReceipt receipt(String carrier, String id, String stat, String err) {
        return new IncomingReceipt(NOW, carrier, "deliver_sm", 0x04, id, id, stat, err, null, null, null, null,
                false, "id:" + id + " stat:" + stat + " err:" + err);
    }

    static SubmitOutcome part(long id, String carrier, String carrierId, int part, int parts) {
        return SubmitOutcome.accepted(id, carrier, carrierId, NOW, 0).ofPart(part, parts);
    }

    /** Accepts all three parts of a message (ids prefix-1..3) in one batch. */
    static long threeParts(String carrier, String prefix) throws Exception {
        long id = inFlight(carrier);
        store.writer.write(List.of(part(id, carrier, prefix + "-1", 1, 3), part(id, carrier, prefix + "-2", 2, 3),
                part(id, carrier, prefix + "-3", 3, 3)), List.of());
        return id;
    }

    static MessageView view(long id) throws Exception {
        return store.messages.find(id).orElseThrow();
    }

    static void execute(String sql) throws Exception {
        try (java.sql.Connection c = store.db.database().dataSource().getConnection();
             java.sql.Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static String partTabs(long id) throws Exception {
        try (java.sql.Connection c = store.db.database().dataSource().getConnection();
             java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("select string_agg(part_no || ':' || tab, ',' order by part_no) from message_parts "
                + "where message_id = " + id)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void messageIsSubmittedOnlyWhenEveryPartIsAccepted() throws Exception {
        long id = inFlight("p1");
        store.writer.write(List.of(part(id, "p1", "a-1", 1, 2)), List.of());
        assertEquals("in_flight", view(id).dispatchState());
        store.writer.write(List.of(part(id, "p1", "a-2", 2, 2)), List.of());
        assertEquals("submitted", view(id).dispatchState());
        assertEquals(2, store.db.count("select count(*) from message_parts where message_id = " + id
                + " and carrier_message_id is not null"));
    }

    @Test
    void secondOfThreeUndelivIsAHardBounceAtOnceEvenWithAPartPending() throws Exception {
        long id = threeParts("p2", "b");
        store.writer.write(List.of(), List.of(receipt("p2", "b-1", "DELIVRD", "000")));
        assertEquals(Tab.PENDING, view(id).tab(), "one part of three delivered: still pending");
        store.writer.write(List.of(), List.of(receipt("p2", "b-2", "UNDELIV", "001")));
        assertEquals(Tab.HARD_BOUNCES, view(id).tab(), "a part failed: the message failed, part 3 still pending");
        assertEquals("001", view(id).error());
        store.writer.write(List.of(), List.of(receipt("p2", "b-3", "DELIVRD", "000")));
        assertEquals(Tab.HARD_BOUNCES, view(id).tab(), "first match wins: still a hard bounce");
        assertEquals("1:delivered,2:hard-bounces,3:delivered", partTabs(id));
        assertEquals(1, store.db.count("select count(*) from messages where id = " + id + " and final_by = 'receipt'"));
    }

    @Test
    void receiptsInReverseOrderAndDuplicatedDeliverOnce() throws Exception {
        long id = threeParts("p3", "c");
        List<IncomingReceipt> batch = new ArrayList<>();
        for (String p : List.of("c-3", "c-3", "c-2", "c-1", "c-2", "c-1")) {
            batch.add(receipt("p3", p, "DELIVRD", "000"));
        }
        WriteResult r = store.writer.write(List.of(), batch.subList(0, 3));
        assertEquals(Tab.PENDING, view(id).tab());
        assertEquals("duplicate", r.receipts().get(1).result());
        store.writer.write(List.of(), batch.subList(3, 6));
        assertEquals(Tab.DELIVERED, view(id).tab());
        assertEquals("1:delivered,2:delivered,3:delivered", partTabs(id));
        // counted once, per message
        assertEquals(1, store.db.count("select coalesce(sum(count), 0) from carrier_counters where carrier_id = 'p3' and tab = 'delivered'"));
    }

    @Test
    void partReceiptBeforeItsSubmitRespWaitsAsAnOrphanAndIsMatched() throws Exception {
        long id = inFlight("p4");
        store.writer.write(List.of(part(id, "p4", "d-1", 1, 2)), List.of());
        WriteResult early = store.writer.write(List.of(), List.of(receipt("p4", "d-2", "DELETED", "000")));
        assertTrue(early.receipts().get(0).orphan());
        WriteResult later = store.writer.write(List.of(part(id, "p4", "d-2", 2, 2)), List.of());
        assertEquals(1, later.matchedOrphans().size());
        assertEquals(Tab.DELETED, view(id).tab());
        assertEquals(0, store.db.count("select count(*) from orphan_receipts where matched_at is null and carrier_id = 'p4'"));
    }

    @Test
    void theOrphanBackstopSeesPartIds() throws Exception {
        long id = inFlight("p5");
        store.writer.write(List.of(), List.of(receipt("p5", "e-1", "DELIVRD", "000")));
        store.writer.write(List.of(part(id, "p5", "e-1", 1, 2)), List.of());
        // matched in that batch already; a fresh orphan for a part id known since is what the backstop looks for
        store.writer.write(List.of(), List.of(receipt("p5", "e-x", "DELIVRD", "000")));
        execute("insert into message_parts (message_id, part_no, total, carrier_id, carrier_message_id) values ("
                + id + ", 2, 2, 'p5', 'e-x')");
        OrphanStore orphans = new OrphanStore(store.db.database().dataSource(), CorrelationWindow.withoutHorizon());
        assertTrue(orphans.matchableOlderThan(NOW.plusSeconds(1), 10).stream()
                .anyMatch(k -> k.receiptedId().equals("e-x")));
    }

    @Test
    void refusedPartFailsTheMessageAndKeepsItsSiblingsIds() throws Exception {
        long id = inFlight("p6");
        store.writer.write(List.of(part(id, "p6", "f-1", 1, 3),
                SubmitOutcome.rejected(id, "p6", 0x45, "part 2 of 3: ESME_RSUBMITFAIL", NOW, 0).ofPart(2, 3)),
                List.of());
        assertEquals(Tab.HARD_BOUNCES, view(id).tab());
        assertEquals("failed", view(id).dispatchState());
        store.writer.write(List.of(part(id, "p6", "f-3", 3, 3)), List.of(receipt("p6", "f-1", "DELIVRD", "000")));
        assertEquals("1:delivered,2:hard-bounces,3:pending", partTabs(id));
        assertEquals(Tab.HARD_BOUNCES, view(id).tab());
    }

    @Test
    void nextAttemptSendsOnlyThePartsNotAccepted() throws Exception {
        long id = inFlight("p7");
        store.writer.write(List.of(part(id, "p7", "g-1", 1, 3), part(id, "p7", "g-3", 3, 3),
                SubmitOutcome.retry(id, "p7", NOW, 0)), List.of());
        List<OutboundMessage> claimed = store.messages.claim("p7", 10);
        assertEquals(1, claimed.size());
        assertEquals(Set.of(1, 3), claimed.get(0).partsAccepted());
    }

    /**
     * The message went back to the queue (a RETRY, or a survivor's takeover of a dead instance) while the answers to
     * its last parts were still coming in: once every part is accepted it is submitted, not left queued to be claimed
     * with nothing to send (which used to leave it in flight for ever).
     */
    @Test
    void aMessageRequeuedBeforeItsLastPartWasAcceptedIsSubmittedWhenItIs() throws Exception {
        long id = inFlight("p9");
        store.writer.write(List.of(part(id, "p9", "i-1", 1, 2), SubmitOutcome.retry(id, "p9", NOW, 0)), List.of());
        assertEquals("queued", view(id).dispatchState());
        store.writer.write(List.of(part(id, "p9", "i-2", 2, 2)), List.of());
        assertEquals("submitted", view(id).dispatchState());
        assertEquals(List.of(), store.messages.claim("p9", 10), "nothing left to send");
    }

    @Test
    void expiryTakesEveryPendingPartWithTheMessage() throws Exception {
        long id = inFlight("p8");
        store.writer.write(List.of(part(id, "p8", "h-1", 1, 2), part(id, "p8", "h-2", 2, 2)),
                List.of(receipt("p8", "h-1", "DELIVRD", "000")));
        execute("update messages set validity_deadline = '2026-11-20T00:00:00Z' where id = " + id);
        new ExpirySweeper(store.db.database().dataSource(), Duration.ZERO, 100).sweepOnce(NOW);
        assertEquals(Tab.SOFT_BOUNCES, view(id).tab());
        assertEquals("1:delivered,2:soft-bounces", partTabs(id));
    }
}
