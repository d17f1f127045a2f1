package io.dlrgate.reporting.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.Tab;
import io.dlrgate.reporting.bounce.BounceRules;
import io.dlrgate.reporting.correlation.CorrelationWindow;
import io.dlrgate.reporting.expiry.ExpirySweeper;
import io.dlrgate.reporting.message.MessageStore;
import io.dlrgate.reporting.message.NewMessage;
import io.dlrgate.reporting.message.Source;
import io.dlrgate.reporting.message.SubmitOutcome;
import io.dlrgate.reporting.state.DeliveryStateMachine;
import io.dlrgate.reporting.suppression.SuppressionStore;
import io.dlrgate.reporting.testing.TestDatabase;
import io.dlrgate.reporting.testing.TestMessages;
import io.dlrgate.reporting.write.DeliveryWriter;
import io.dlrgate.reporting.write.IncomingReceipt;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox is written in the transaction of the change it reports, by every writer of state changes: the group
 * commit (submits, receipts, suppressions), the expiry sweeper, the send path, the suppressed list.
 */
class OutboxTest {

    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    static final AtomicInteger SEQ = new AtomicInteger();
    static TestDatabase db;
    static DataSource ds;
    static Outbox outbox;
    static WebhookEndpointStore endpoints;
    static MessageStore messages;
    static DeliveryWriter writer;

    @BeforeAll
    static void up() {
        db = TestDatabase.create();
        ds = db.database().dataSource();
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        outbox = new Outbox();
        endpoints = new WebhookEndpointStore(ds, clock, outbox);
        messages = new MessageStore(ds, clock, outbox);
        DeliveryStateMachine machine = DeliveryStateMachine.withDefaults();
        writer = new DeliveryWriter(ds, carrier -> machine, clock, BounceRules.defaults(),
                CorrelationWindow.withoutHorizon(), outbox);
    }

    @AfterAll
    static void down() {
        db.close();
    }

    @BeforeEach
    void noEndpoints() throws Exception {
        for (WebhookEndpoint e : endpoints.list()) {
            endpoints.delete(e.id());
        }
    }

    static WebhookEndpoint endpoint(List<String> events, Long campaignId) throws SQLException {
        return endpoints.create("https://hooks.example/" + SEQ.incrementAndGet(), events, campaignId, "s", true);
    }

    static WebhookEndpoint all() throws SQLException {
        return endpoint(EventType.wireNames(), null);
    }

    static long inFlight(String carrier) throws Exception {
        return TestMessages.inFlight(messages, carrier, "+4477008" + String.format("%05d", SEQ.incrementAndGet()),
                NOW.plus(Duration.ofDays(2)));
    }

    static IncomingReceipt receipt(String carrier, String id, String stat) {
        return new IncomingReceipt(NOW, carrier, "deliver_sm", 0x04, id.toUpperCase(), id, stat, "000", null, null,
                null, null, false, "id:" + id + " stat:" + stat);
    }

    /** The endpoint's outbox rows, in delivery order: "type messageId tab". */
    static List<String> rows(long endpointId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select type, message_id, tab, number, cause from "
                     + "webhook_events where endpoint_id = ? order by id")) {
            ps.setLong(1, endpointId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String subject = rs.getString(2) != null ? rs.getString(2) : rs.getString(4);
                    out.add(rs.getString(1) + " " + subject + " " + rs.getString(3) + " " + rs.getString(5));
                }
            }
        }
        return out;
    }

    @Test
    void aMessagesLifeIsWrittenInOrderWithItsChanges() throws Exception {
        WebhookEndpoint e = all();
        long id = inFlight("wh1");
        writer.write(List.of(SubmitOutcome.accepted(id, "wh1", "w" + id, NOW, 0)), List.of());
        writer.write(List.of(), List.of(receipt("wh1", "w" + id, "DELIVRD")));
        assertEquals(List.of("message.queued " + id + " pending null", "message.submitted " + id + " pending null",
                "message.tab_changed " + id + " delivered null", "message.final " + id + " delivered receipt"),
                rows(e.id()));
    }

    @Test
    void nothingIsWrittenWithoutAnEnabledEndpoint() throws Exception {
        long before = db.count("select count(*) from webhook_events");
        long id = inFlight("wh2");
        writer.write(List.of(SubmitOutcome.accepted(id, "wh2", "x" + id, NOW, 0)), List.of());
        writer.write(List.of(), List.of(receipt("wh2", "x" + id, "UNDELIV")));
        assertEquals(before, db.count("select count(*) from webhook_events"));
        assertTrue(!outbox.active());
    }

    @Test
    void anEndpointGetsOnlyTheTypesAndTheCampaignItAskedFor() throws Exception {
        WebhookEndpoint finals = endpoint(List.of("message.final"), null);
        WebhookEndpoint otherCampaign = endpoint(EventType.wireNames(), 987654L);
        long id = inFlight("wh3");
        writer.write(List.of(SubmitOutcome.accepted(id, "wh3", "y" + id, NOW, 0)), List.of());
        writer.write(List.of(), List.of(receipt("wh3", "y" + id, "ENROUTE"), receipt("wh3", "y" + id, "UNDELIV")));
        assertEquals(List.of("message.final " + id + " hard-bounces receipt"), rows(finals.id()));
        assertEquals(List.of(), rows(otherCampaign.id()));
    }

    @Test
    void aRefusedSubmitReportsItsHardBounce() throws Exception {
        WebhookEndpoint e = endpoint(List.of("message.tab_changed", "message.final"), null);
        long id = inFlight("wh4");
        writer.write(List.of(SubmitOutcome.rejected(id, "wh4", 0x0b, "ESME_RINVDSTADR", NOW, 0)), List.of());
        assertEquals(List.of("message.tab_changed " + id + " hard-bounces null",
                "message.final " + id + " hard-bounces submit-rejected"), rows(e.id()));
    }

    @Test
    void theSweepersExpiriesAreWrittenInItsBatch() throws Exception {
        WebhookEndpoint e = endpoint(List.of("message.final"), null);
        long id = TestMessages.inFlight(messages, "wh5", "+447700811111", NOW.minus(Duration.ofDays(1)));
        new ExpirySweeper(ds, Duration.ZERO, 100, outbox).sweepOnce(NOW);
        assertTrue(rows(e.id()).contains("message.final " + id + " soft-bounces gateway-expiry"), rows(e.id())::toString);
    }

    @Test
    void aCampaignSendTellsEachQueuedMessageWithItsOwnId() throws Exception {
        WebhookEndpoint e = endpoint(List.of("message.queued"), null);
        List<NewMessage> batch = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            batch.add(new NewMessage(null, null, Source.API, "+4477007" + String.format("%05d", i), "GB", "hi",
                    "wh6", NOW.plus(Duration.ofDays(1))));
        }
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            messages.insertAll(c, batch);
            c.commit();
        }
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*), count(*) filter (where m.recipient = w.number) "
                     + "from webhook_events w join messages m on m.id = w.message_id where w.endpoint_id = "
                     + e.id())) {
            rs.next();
            assertEquals(1500, rs.getInt(1));
            assertEquals(1500, rs.getInt(2), "each event names its own message");
        }
    }

    @Test
    void aSuppressionByHandIsTold() throws Exception {
        WebhookEndpoint e = endpoint(List.of("number.suppressed"), null);
        new SuppressionStore(ds, Clock.fixed(NOW, ZoneOffset.UTC), outbox).add("+447700922222", "asked", "admin");
        assertEquals(List.of("number.suppressed +447700922222 null asked"), rows(e.id()));
    }

    @Test
    void aChangeThatRollsBackLeavesNoEvent() throws Exception {
        WebhookEndpoint e = all();
        long before = rows(e.id()).size();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            assertThrows(SQLException.class, () -> messages.insertAll(c, List.of(new NewMessage(null, null,
                    Source.API, "+447700933333", "GB", "hi\u0000", "wh7", NOW))));
            c.rollback();
        }
        assertEquals(before, rows(e.id()).size());
    }

    @Test
    void anEventIsTheSameForEveryEndpoint() throws Exception {
        WebhookEndpoint a = endpoint(List.of("message.queued"), null);
        WebhookEndpoint b = endpoint(List.of("message.queued"), null);
        messages.insert(new NewMessage(null, null, Source.API, "+447700944444", "GB", "hi", "wh8",
                NOW.plus(Duration.ofDays(1))));
        assertEquals(1, db.count("select count(distinct event_id) from webhook_events where endpoint_id in ("
                + a.id() + "," + b.id() + ")"));
        assertEquals(Tab.PENDING.slug(), "pending");
    }
}
