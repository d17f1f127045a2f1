package io.dlrgate.simulator.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.simulator.carrier.IdFormat;
import io.dlrgate.simulator.carrier.Ledger;
import io.dlrgate.simulator.carrier.SimCarrierSettings;
import io.dlrgate.simulator.carrier.SimulatedCarrier;
import io.dlrgate.simulator.outcome.DelayRange;
import io.dlrgate.simulator.outcome.OutcomeWeights;
import io.dlrgate.simulator.outcome.Stat;
import io.dlrgate.simulator.receipt.ReceiptDialect;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The tabs of a campaign's report against the ground truth of the carriers: a real gateway (real PostgreSQL,
 * SMPP and HTTP over loopback) sends a campaign to three simulated carriers with seeded outcomes, each in its
 * own receipt dialect; once every receipt is acknowledged, every tab's count must equal the count computed
 * from the carriers' ledgers, exactly, and the hard-bounces tab must list exactly the numbers that bounced.
 *
 * <p>The stat-to-tab table below is the test's own, written from the product's reporting model, not taken
 * from the gateway's code, so a wrong mapping in the gateway shows up here as a wrong count.
 */
class TabCountsEndToEndTest {

    /** The reporting model's table: which tab each final stat the carriers send belongs in. */
    static final Map<Stat, String> TAB_OF = Map.of(
            Stat.DELIVRD, "delivered",
            Stat.EXPIRED, "soft-bounces",
            Stat.UNDELIV, "hard-bounces",
            Stat.REJECTD, "hard-bounces",
            Stat.DELETED, "deleted");
    static final List<String> TABS = List.of("delivered", "pending", "soft-bounces", "hard-bounces", "deleted");

    /**
     * north: plain decimal ids, ENROUTE before every final. hexa: ids in upper-case hex from above 2^63 (so the
     * gateway must read them as unsigned 64-bit), receipt text ids in hex too. payload: receipts as data_sm with
     * the text in message_payload and no TLVs, so the gateway has to read the id and stat from the payload text.
     */
    static final String GATEWAY_CARRIERS = """
            carriers:
              - id: north
                system_id: north
                password: north-pw
                prefixes: ["+44"]
                max_submit_rate: 20000
                window_size: 100
              - id: hexa
                system_id: hexa
                password: hexa-pw
                prefixes: ["+33"]
                max_submit_rate: 20000
                window_size: 100
                submit_id_format: hex
                receipt_id_format: hex
              - id: payload
                system_id: payload
                password: payl-pw
                prefixes: ["+49"]
                max_submit_rate: 20000
                window_size: 100
            """;

    static final Duration SETTLE = Duration.ofSeconds(180);

    GatewayHarness gw;
    final List<SimulatedCarrier> carriers = new ArrayList<>();

    @AfterEach
    void tearDown() {
        carriers.forEach(SimulatedCarrier::stop);
        if (gw != null) {
            gw.close();
        }
    }

    // ------------------------------------------------------------------ tests

    @Test
    void everyTabCountEqualsTheCountFromTheCarriersLedgers() throws Exception {
        gw = GatewayHarness.start(GATEWAY_CARRIERS);
        SimulatedCarrier north = start(SimCarrierSettings.builder("north", "north-pw")
                .weights(OutcomeWeights.parse("DELIVRD=55,EXPIRED=10,UNDELIV=15,DELETED=8,REJECTD=12"))
                .enroute(true).delay(new DelayRange(0, 200)).seed(11).build());
        SimulatedCarrier hexa = start(SimCarrierSettings.builder("hexa", "hexa-pw")
                .weights(OutcomeWeights.parse("DELIVRD=40,EXPIRED=20,UNDELIV=15,DELETED=15,REJECTD=10"))
                .idFormat(IdFormat.HEX).idStart(0x812FC74700000000L)
                .dialect(ReceiptDialect.STANDARD.withIdStyle(ReceiptDialect.IdStyle.HEX))
                .delay(new DelayRange(0, 200)).seed(22).build());
        SimulatedCarrier payload = start(SimCarrierSettings.builder("payload", "payl-pw")
                .weights(OutcomeWeights.parse("DELIVRD=30,EXPIRED=15,UNDELIV=25,DELETED=10,REJECTD=20"))
                .dialect(ReceiptDialect.STANDARD.withDataSm(true).withTlvs(false)
                        .withLabels(ReceiptDialect.LabelCase.UPPER))
                .delay(new DelayRange(0, 200)).seed(33).build());

        int perCarrier = 1000;
        List<String> contacts = new ArrayList<>();
        contacts.addAll(numbers("+447700", perCarrier));
        contacts.addAll(numbers("+33612", perCarrier));
        contacts.addAll(numbers("+4915100", perCarrier));
        long campaign = createCampaign("Tab counts");
        send(campaign, contacts);

        awaitLedgersSettled(contacts.size(), north, hexa, payload);
        Map<String, Long> expected = expectedTabs(north, hexa, payload);
        assertEquals(contacts.size(), expected.values().stream().mapToLong(Long::longValue).sum());
        // every stat must really occur, or the test would prove less than it says
        for (Stat s : TAB_OF.keySet()) {
            assertTrue(finalStats(north, hexa, payload).getOrDefault(s, 0L) > 0, "the seeds produce some " + s);
        }

        Map<String, Long> actual = awaitAllFinal(campaign, contacts.size());
        assertEquals(expected, actual, "tab counts: gateway report vs carriers' ledgers");

        // the hard-bounces tab lists exactly the numbers that got UNDELIV or REJECTD, each with its stat
        Map<String, String> expectedHard = new TreeMap<>();
        for (SimulatedCarrier c : List.of(north, hexa, payload)) {
            for (Ledger.Entry e : c.ledger().entries()) {
                if ("hard-bounces".equals(TAB_OF.get(e.finalStat()))) {
                    expectedHard.put("+" + e.destination(), e.finalStat().name());
                }
            }
        }
        Map<String, String> listed = tabPage(campaign, "hard-bounces");
        assertEquals(expectedHard, listed, "numbers on the hard-bounces tab, with their stat");
    }

    @Test
    void aCarrierWhoseBindDropsMidRunStillEndsWithExactCounts() throws Exception {
        gw = GatewayHarness.start(GATEWAY_CARRIERS);
        // receipts spread over a few seconds so that plenty are due or in flight when the bind drops
        SimulatedCarrier north = start(SimCarrierSettings.builder("north", "north-pw")
                .weights(OutcomeWeights.parse("DELIVRD=50,EXPIRED=10,UNDELIV=20,DELETED=10,REJECTD=10"))
                .enroute(true).delay(new DelayRange(0, 3000)).seed(7).build());
        SimulatedCarrier hexa = start(SimCarrierSettings.builder("hexa", "hexa-pw")
                .weights(OutcomeWeights.parse("DELIVRD=60,UNDELIV=20,DELETED=20"))
                .idFormat(IdFormat.HEX).dialect(ReceiptDialect.STANDARD.withIdStyle(ReceiptDialect.IdStyle.HEX))
                .delay(new DelayRange(0, 1000)).seed(8).build());

        List<String> contacts = new ArrayList<>();
        contacts.addAll(numbers("+447700", 1500));
        contacts.addAll(numbers("+33612", 500));
        long campaign = createCampaign("Bind drops");
        send(campaign, contacts);

        // drop only once every submit has its carrier id stored: then every receipt refers to a known message
        // and the ledgers hold one entry per number (a drop during submits makes the gateway resubmit)
        awaitUntil("all 2000 messages submitted", Duration.ofSeconds(60), () -> gw.count(
                "select count(*) from messages where dispatch_state = 'submitted'") == contacts.size());
        long planned = north.stats().receiptsPlanned();
        awaitUntil("a third of north's receipts acknowledged", Duration.ofSeconds(60),
                () -> north.stats().receiptsAcknowledged() >= planned / 3);
        long ackedAtFirstDrop = north.stats().receiptsAcknowledged();
        north.dropBinds();
        awaitUntil("north bound again", Duration.ofSeconds(30), () -> north.boundSessions() == 1);
        awaitUntil("two thirds of north's receipts acknowledged", Duration.ofSeconds(60),
                () -> north.stats().receiptsAcknowledged() >= 2 * planned / 3);
        north.dropBinds();

        awaitLedgersSettled(contacts.size(), north, hexa);
        assertTrue(north.stats().reconnects() >= 2, "north re-bound after each drop: " + north.stats().describe("north"));
        assertTrue(ackedAtFirstDrop < planned, "the first drop came while receipts were still outstanding");
        Map<String, Long> expected = expectedTabs(north, hexa);
        Map<String, Long> actual = awaitAllFinal(campaign, contacts.size());
        assertEquals(expected, actual, "tab counts after two dropped binds: gateway report vs carriers' ledgers");
    }

    // ------------------------------------------------------------------ helpers

    SimulatedCarrier start(SimCarrierSettings config) throws InterruptedException {
        SimCarrierSettings c = config.toBuilder().port(gw.smppPort()).reconnect(50, 500).retry(5, 200)
                .requestTimeoutMillis(10_000).build();
        SimulatedCarrier carrier = new SimulatedCarrier(c);
        carriers.add(carrier);
        carrier.start();
        assertTrue(carrier.awaitBound(Duration.ofSeconds(30)), "carrier " + c.name() + " bound");
        return carrier;
    }

    static List<String> numbers(String prefix, int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(prefix + String.format("%06d", i));
        }
        return out;
    }

    long createCampaign(String name) throws Exception {
        HttpResponse<String> r = gw.post("/api/v1/campaigns", new JsonObject().put("name", name)
                .put("content", "Spring sale: 20% off until Sunday").put("createdBy", "qa").encode());
        assertEquals(201, r.statusCode(), r.body());
        return new JsonObject(r.body()).getLong("id");
    }

    void send(long campaign, List<String> contacts) throws Exception {
        HttpResponse<String> r = gw.post("/api/v1/campaigns/" + campaign + "/sends",
                new JsonObject().put("contacts", new JsonArray(contacts)).put("sentBy", "qa").encode());
        assertEquals(202, r.statusCode(), r.body());
        assertEquals(contacts.size(), new JsonObject(r.body()).getInteger("queued"), r.body());
    }

    /** Waits until the carriers hold {@code total} submits between them and every planned receipt is acknowledged. */
    static void awaitLedgersSettled(int total, SimulatedCarrier... cs) throws Exception {
        awaitUntil("the carriers received " + total + " submits and every receipt was acknowledged", SETTLE, () -> {
            long submits = 0;
            for (SimulatedCarrier c : cs) {
                submits += c.stats().submitsReceived();
                if (c.stats().receiptsOutstanding() != 0) {
                    return false;
                }
            }
            return submits >= total;
        });
        for (SimulatedCarrier c : cs) {
            List<Ledger.Entry> entries = c.ledger().entries();
            Map<String, Integer> perNumber = new HashMap<>();
            for (Ledger.Entry e : entries) {
                perNumber.merge(e.destination(), 1, Integer::sum);
                assertEquals(0, e.submitStatus(), "every submit accepted");
                assertTrue(e.allAcknowledged(), "every receipt acknowledged, none refused: " + e);
            }
            perNumber.forEach((n, k) -> assertEquals(1, k, c.config().name() + " received " + n + " once"));
        }
        assertEquals(total, java.util.Arrays.stream(cs).mapToInt(c -> c.ledger().size()).sum(),
                "submits across carriers");
    }

    static Map<Stat, Long> finalStats(SimulatedCarrier... cs) {
        Map<Stat, Long> out = new TreeMap<>();
        for (SimulatedCarrier c : cs) {
            c.ledger().finalStatCounts().forEach((s, n) -> out.merge(s, n, Long::sum));
        }
        return out;
    }

    /** Tab counts computed from the ledgers with the test's own table. */
    static Map<String, Long> expectedTabs(SimulatedCarrier... cs) {
        Map<String, Long> out = new LinkedHashMap<>();
        TABS.forEach(t -> out.put(t, 0L));
        finalStats(cs).forEach((stat, n) -> {
            String tab = TAB_OF.get(stat);
            if (tab == null) {
                fail("the test's carriers never send a final " + stat);
            }
            out.merge(tab, n, Long::sum);
        });
        return out;
    }

    Map<String, Long> report(long campaign) throws Exception {
        HttpResponse<String> r = gw.get("/api/v1/campaigns/" + campaign + "/report");
        assertEquals(200, r.statusCode(), r.body());
        JsonObject tabs = new JsonObject(r.body()).getJsonObject("tabs");
        Map<String, Long> out = new LinkedHashMap<>();
        for (String t : TABS) {
            out.put(t, tabs.getLong(t));
        }
        return out;
    }

    /**
     * The report once nothing is pending any more. Acknowledged receipts are durable at once, but a receipt that
     * beat its submit_sm_resp is applied only when the id is stored, so allow a short, bounded catch-up.
     * Returns the last report read either way; the caller compares it.
     */
    Map<String, Long> awaitAllFinal(long campaign, int total) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<String, Long> r = report(campaign);
        for (int i = 0; i < 300 && System.nanoTime() < end; i++) {
            long sum = r.values().stream().mapToLong(Long::longValue).sum();
            if (r.get("pending") == 0 && sum == total) {
                return r;
            }
            Thread.sleep(100);
            r = report(campaign);
        }
        return r;
    }

    /** Every number listed on a tab, following the pages, with its stat. */
    Map<String, String> tabPage(long campaign, String tab) throws Exception {
        Map<String, String> out = new TreeMap<>();
        String path = "/api/v1/campaigns/" + campaign + "/report/" + tab + "?limit=250";
        for (int page = 0; path != null; page++) {
            assertTrue(page < 1000, "paging ends");
            HttpResponse<String> r = gw.get(path);
            assertEquals(200, r.statusCode(), r.body());
            JsonObject body = new JsonObject(r.body());
            for (Object o : body.getJsonArray("items")) {
                JsonObject row = (JsonObject) o;
                String previous = out.put(row.getString("number"), row.getString("stat"));
                assertEquals(null, previous, "number listed twice on " + tab + ": " + row);
            }
            path = body.getString("next");
        }
        return out;
    }

    @FunctionalInterface
    interface Check {
        boolean ok() throws Exception;
    }

    /** Polls {@code check} every 20 ms, at most {@code limit} long and 20,000 times; fails naming what it waited for. */
    static void awaitUntil(String what, Duration limit, Check check) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        for (int i = 0; i < 20_000; i++) {
            if (check.ok()) {
                return;
            }
            if (System.nanoTime() > end) {
                break;
            }
            Thread.sleep(20);
        }
        if (!check.ok()) {
            fail("timed out after " + limit + " waiting until " + what);
        }
    }
}
