package io.dlrgate.reporting.counters;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dlrgate.config.Tab;
import io.dlrgate.reporting.campaign.CampaignStore;
import io.dlrgate.reporting.counters.ReportCounters.CarrierTab;
import io.dlrgate.reporting.expiry.ExpirySweeper;
import io.dlrgate.reporting.message.MessageStore;
import io.dlrgate.reporting.message.NewMessage;
import io.dlrgate.reporting.message.OutboundMessage;
import io.dlrgate.reporting.message.RefusedNumber;
import io.dlrgate.reporting.message.Source;
import io.dlrgate.reporting.message.SubmitOutcome;
import io.dlrgate.reporting.state.DeliveryStateMachine;
import io.dlrgate.reporting.state.LateReceiptPolicy;
import io.dlrgate.reporting.state.StatMapping;
import io.dlrgate.reporting.testing.TestDatabase;
import io.dlrgate.reporting.write.DeliveryWriter;
import io.dlrgate.reporting.write.IncomingReceipt;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-carrier tab counters ({@code carrier_counters}, migration V18) against a GROUP BY over the messages, after
 * every way a message enters or changes tab: campaign sends and single sends, numbers filed at the door with no
 * carrier, a refused submit, receipts (intermediate, final, duplicate), the gateway's expiry and a late DELIVRD that
 * moves a message from Soft bounces to Delivered. Also the rebuild and the migration's backfill.
 */
class CarrierCountersTest {

    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    static final Instant DEADLINE = NOW.plus(Duration.ofHours(48));

    TestDatabase db;
    MessageStore messages;
    DeliveryWriter writer;
    long campaign;
    int seq;

    @BeforeEach
    void up() throws Exception {
        db = TestDatabase.create();
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        messages = new MessageStore(db.database().dataSource(), clock);
        DeliveryStateMachine machine = new DeliveryStateMachine(StatMapping.defaults(),
                LateReceiptPolicy.DELIVERED_WINS);
        writer = new DeliveryWriter(db.database().dataSource(), carrier -> machine, clock);
        campaign = new CampaignStore(db.database().dataSource(), messages, clock).create("Winter", "hi", "ana", false)
                .id();
    }

    @AfterEach
    void down() {
        db.close();
    }

    @Test
    void countsEqualAGroupByOverTheMessagesAfterSendsReceiptsAndExpiry() throws Exception {
        // Sends: a campaign over two carriers with two numbers no carrier takes, and single sends of both carriers
        // (one with nothing else but a number no carrier takes).
        try (Connection c = db.database().connection()) {
            c.setAutoCommit(false);
            messages.insertAll(c, List.of(message(campaign, "alpha"), message(campaign, "alpha"),
                    message(campaign, "alpha"), message(campaign, "alpha"), message(campaign, "alpha"),
                    message(campaign, "beta"), message(campaign, "beta"), message(campaign, "beta")));
            messages.fileRefused(c, campaign, null, Source.CAMPAIGN, "hi", List.of(
                    new RefusedNumber("not a number", null, RefusedNumber.INVALID_NUMBER, "unreadable"),
                    new RefusedNumber("+999123", null, RefusedNumber.NO_ROUTE, "no carrier takes it")));
            messages.fileRefused(c, null, null, Source.API, "hi", List.of(
                    new RefusedNumber("12", null, RefusedNumber.INVALID_NUMBER, "too short")));
            c.commit();
        }
        messages.insert(message(null, "alpha"));
        messages.insert(message(null, "beta"));
        assertCountersEqualTheMessages("after the sends");

        // Submits: alpha's first message is refused by the carrier, the others accepted (carrier id = message id).
        List<OutboundMessage> alpha = messages.claim("alpha", 100);
        List<OutboundMessage> beta = messages.claim("beta", 100);
        List<SubmitOutcome> submits = new ArrayList<>();
        submits.add(SubmitOutcome.rejected(alpha.get(0).id(), "alpha", 0x0B, null, NOW, 0));
        for (OutboundMessage m : alpha.subList(1, alpha.size())) {
            submits.add(SubmitOutcome.accepted(m.id(), "alpha", "a" + m.id(), NOW, 0));
        }
        for (OutboundMessage m : beta) {
            submits.add(SubmitOutcome.accepted(m.id(), "beta", "b" + m.id(), NOW, 0));
        }
        writer.write(submits, List.of());
        assertCountersEqualTheMessages("after the submits");

        // Receipts: alpha 1 DELIVRD (twice), 2 UNDELIV, 3 ENROUTE (stays Pending), 4 DELETED, 5 nothing;
        // beta 0 DELIVRD, 1 EXPIRED, 2 ENROUTE, 3 nothing. Pending ones then expire in the gateway.
        writer.write(List.of(), List.of(receipt("alpha", "a" + alpha.get(1).id(), "DELIVRD", false),
                receipt("alpha", "a" + alpha.get(1).id(), "DELIVRD", false),
                receipt("alpha", "a" + alpha.get(2).id(), "UNDELIV", false),
                receipt("alpha", "a" + alpha.get(3).id(), "ENROUTE", true),
                receipt("alpha", "a" + alpha.get(4).id(), "DELETED", false),
                receipt("beta", "b" + beta.get(0).id(), "DELIVRD", false),
                receipt("beta", "b" + beta.get(1).id(), "EXPIRED", false),
                receipt("beta", "b" + beta.get(2).id(), "ENROUTE", true)));
        assertCountersEqualTheMessages("after the receipts");

        int expired = new ExpirySweeper(db.database().dataSource(), Duration.ZERO, 2)
                .sweepOnce(DEADLINE.plusSeconds(1));
        assertEquals(4, expired, "alpha 3 and 5, beta 2 and 3 were still Pending");
        assertCountersEqualTheMessages("after the expiry");

        // A late DELIVRD after the gateway's expiry (delivered_wins): Soft bounces -> Delivered.
        writer.write(List.of(), List.of(receipt("alpha", "a" + alpha.get(3).id(), "DELIVRD", false)));
        Map<CarrierTab, Long> end = assertCountersEqualTheMessages("after a late receipt");

        // alpha: 0..4 the campaign's, 5 the single send; beta: 0..2 the campaign's, 3 the single send.
        Map<CarrierTab, Long> expected = new HashMap<>();
        expected.put(new CarrierTab("alpha", Tab.DELIVERED), 2L);     // 1, and 3 late
        expected.put(new CarrierTab("alpha", Tab.HARD_BOUNCES), 2L);  // 0 refused at submit, 2 UNDELIV
        expected.put(new CarrierTab("alpha", Tab.DELETED), 1L);       // 4
        expected.put(new CarrierTab("alpha", Tab.SOFT_BOUNCES), 1L);  // 5 expired
        expected.put(new CarrierTab("beta", Tab.DELIVERED), 1L);      // 0
        expected.put(new CarrierTab("beta", Tab.SOFT_BOUNCES), 3L);   // 1 EXPIRED, 2 and 3 expired
        expected.put(new CarrierTab(null, Tab.HARD_BOUNCES), 3L);     // filed at the door, no carrier
        assertEquals(expected, end, "what the scripted run leaves");
    }

    @Test
    void rebuildRecountsFromTheMessages() throws Exception {
        messages.insert(message(campaign, "alpha"));
        messages.insert(message(null, "beta"));
        try (Connection c = db.database().connection(); Statement s = c.createStatement()) {
            s.execute("update carrier_counters set count = count + 7"); // drifted, e.g. rows seeded around the paths
            s.execute("insert into messages (source, recipient, content, carrier_id, created_at, validity_deadline) "
                    + "values ('api', '+447700900999', 'hi', 'gamma', now(), now() + interval '1 day')");
            c.setAutoCommit(false);
            ReportCounters.rebuild(c);
            c.commit();
        }
        assertEquals(Map.of(new CarrierTab("alpha", Tab.PENDING), 1L, new CarrierTab("beta", Tab.PENDING), 1L,
                new CarrierTab("gamma", Tab.PENDING), 1L), assertCountersEqualTheMessages("after a rebuild"));
    }

    @Test
    void theMigrationBackfillsFromTheMessagesThereAre() throws Exception {
        try (Connection c = db.database().connection(); Statement s = c.createStatement()) {
            // The store as it was before V18, holding messages of every carrier (none too) and tab. (Single sends:
            // campaign messages would need their campaign counters seeded too.)
            s.execute("drop table carrier_counters");
            s.execute("delete from flyway_schema_history where version = '18'");
            s.execute("insert into messages (source, recipient, content, carrier_id, tab, created_at, "
                    + "validity_deadline) select 'api', "
                    + "'+4477009' || lpad(g::text, 5, '0'), 'hi', (array['alpha', 'beta', null])[1 + g % 3], "
                    + "(array['pending', 'delivered', 'hard-bounces', 'soft-bounces', 'deleted'])[1 + g % 5], "
                    + "now(), now() + interval '1 day' from generate_series(1, 60) g");
        }
        // Out of order: later migrations (V21 on) are applied already; only V18 is to run again.
        Flyway.configure().dataSource(db.database().dataSource()).locations("classpath:db/migration").outOfOrder(true)
                .load().migrate();
        assertEquals(15, assertCountersEqualTheMessages("after the migration").size(), "3 carriers x 5 tabs");
    }

    /**
     * The carrier counters, asserted equal to a GROUP BY over the messages, and the campaign counters (written in the
     * same round trip) likewise; returns the carrier counters.
     */
    Map<CarrierTab, Long> assertCountersEqualTheMessages(String when) throws Exception {
        Map<CarrierTab, Long> recount = new HashMap<>();
        Map<Long, Map<Tab, Long>> campaignRecount = new HashMap<>();
        try (Connection c = db.database().connection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select carrier_id, tab, count(*) from messages "
                    + "group by carrier_id, tab")) {
                while (rs.next()) {
                    recount.put(new CarrierTab(rs.getString(1), Tab.fromSlug(rs.getString(2)).orElseThrow()),
                            rs.getLong(3));
                }
            }
            try (ResultSet rs = s.executeQuery("select campaign_id, tab, count(*) from messages "
                    + "where campaign_id is not null group by campaign_id, tab")) {
                while (rs.next()) {
                    campaignRecount.computeIfAbsent(rs.getLong(1), k -> new EnumMap<>(Tab.class))
                            .put(Tab.fromSlug(rs.getString(2)).orElseThrow(), rs.getLong(3));
                }
            }
            Map<CarrierTab, Long> counters = ReportCounters.messagesPerCarrierAndTab(c);
            assertEquals(recount, counters, "carrier_counters vs GROUP BY over messages, " + when);
            assertEquals(campaignRecount, ReportCounters.read(c), "campaign_counters vs GROUP BY, " + when);
            return counters;
        }
    }

    NewMessage message(Long campaignId, String carrier) {
        return new NewMessage(campaignId, null, campaignId == null ? Source.API : Source.CAMPAIGN,
                String.format("+4477009%05d", ++seq), "GB", "hi", carrier, DEADLINE);
    }

    static IncomingReceipt receipt(String carrier, String id, String stat, boolean intermediate) {
        return new IncomingReceipt(NOW, carrier, "deliver_sm", intermediate ? 0x20 : 0x04, id, id, stat, "000", null,
                null, null, null, intermediate, "id:" + id + " stat:" + stat);
    }
}
