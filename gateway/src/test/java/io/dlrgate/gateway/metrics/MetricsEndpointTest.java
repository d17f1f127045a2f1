package io.dlrgate.gateway.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.DeliverSm;
import com.cloudhopper.smpp.pdu.PduResponse;
import io.dlrgate.config.BindType;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.TestCarrier;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} of a real gateway (real PostgreSQL, real SMPP sessions) after a scripted run whose figures are
 * known: 9 sends (7 accepted, 2 rejected by the carrier), 8 receipts (4 DELIVRD, 1 UNDELIV, 1 duplicate DELIVRD,
 * 1 for an unknown id, 1 with a stat word nobody maps), 1 deliver_sm that is no receipt, 3 binds (1 ok, 1 wrong
 * password, 1 unknown system_id). The exposition is parsed and the numbers compared exactly.
 */
class MetricsEndpointTest {

    static final String CARRIERS = """
            carriers:
              - id: acme
                system_id: acme
                password: acme-pw
                prefixes: ["+44"]
                max_submit_rate: 20000
                window_size: 25
              - id: idle
                system_id: idle
                password: idle-pw
                prefixes: ["+33"]
            """;
    static final Duration WAIT = Duration.ofSeconds(30);
    /** The numbers the carrier refuses (ESME_RINVDSTADR, a permanent error). */
    static final Set<String> REFUSED = Set.of("447700900008", "447700900009");

    GatewayHarness gw;
    final List<TestCarrier> carriers = new ArrayList<>();

    @AfterEach
    void tearDown() {
        carriers.forEach(TestCarrier::close);
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void countersEqualTheScriptedRun() throws Exception {
        gw = GatewayHarness.start(CARRIERS);

        // Binds: one refused for its password, one for an unknown system_id, one accepted.
        assertEquals(SmppConstants.STATUS_INVPASWD, TestCarrier.to(gw.smppPort()).systemId("acme").password("nope")
                .bindExpectingFailure());
        assertEquals(SmppConstants.STATUS_INVSYSID, TestCarrier.to(gw.smppPort()).systemId("+447700900123")
                .password("x").bindExpectingFailure());
        TestCarrier acme = TestCarrier.to(gw.smppPort()).systemId("acme").password("acme-pw")
                .bindType(BindType.TRANSCEIVER)
                .onSubmit(s -> REFUSED.contains(s.getDestAddress().getAddress())
                        ? TestCarrier.SubmitAnswer.error(SmppConstants.STATUS_INVDSTADR)
                        : TestCarrier.SubmitAnswer.ok("acme-" + s.getDestAddress().getAddress()))
                .bind();
        carriers.add(acme);

        // Sends: 9 single messages, 7 accepted, 2 rejected.
        Map<Integer, Long> ids = new LinkedHashMap<>();
        for (int i = 1; i <= 9; i++) {
            HttpResponse<String> r = gw.post("/api/v1/messages", new JsonObject().put("to", number(i))
                    .put("content", "hello").encode());
            assertEquals(202, r.statusCode(), r.body());
            ids.put(i, new JsonObject(r.body()).getLong("id"));
        }
        await().atMost(WAIT).until(() -> gw.count("select count(*) from messages where dispatch_state in "
                + "('submitted', 'failed')") == 9);

        // Receipts: 4 DELIVRD, 1 UNDELIV, a duplicate, an unknown id, an unknown stat; then one non-receipt.
        for (int i = 1; i <= 4; i++) {
            assertOk(acme.sendDeliverSm(receipt("acme-" + number(i).substring(1), "DELIVRD", "000")));
        }
        assertOk(acme.sendDeliverSm(receipt("acme-" + number(5).substring(1), "UNDELIV", "001")));
        assertOk(acme.sendDeliverSm(receipt("acme-" + number(1).substring(1), "DELIVRD", "000")));
        assertOk(acme.sendDeliverSm(receipt("acme-447700999999", "DELIVRD", "000")));
        assertOk(acme.sendDeliverSm(receipt("acme-" + number(6).substring(1), "WEIRDO", "000")));
        DeliverSm mo = TestCarrier.receipt("hello, an SME acknowledgement, not a receipt");
        mo.setEsmClass((byte) 0x08); // esm_class 0 would be a recipient's reply, which is stored
        PduResponse refused = acme.sendDeliverSm(mo);
        assertTrue(refused.getCommandStatus() != 0, "a non-receipt is refused");

        // Metrics are counted right after the batch commits, just after the carrier got its answer: wait for
        // the last receipt to show, then compare everything exactly.
        await().atMost(WAIT).until(() -> sum(scrape(), "dlrgate_receipts_total", Map.of("carrier", "acme")) >= 8);
        Map<String, String> tabs = new HashMap<>();
        for (var e : ids.entrySet()) {
            tabs.put(number(e.getKey()), gw.get("/api/v1/messages/" + e.getValue()).body());
        }
        String undelivTab = new JsonObject(tabs.get(number(5))).getString("tab");
        Exposition m = scrape();

        // submits
        assertEquals(7, m.value("dlrgate_submits_total", "carrier", "acme", "result", "accepted"));
        assertEquals(2, m.value("dlrgate_submits_total", "carrier", "acme", "result", "rejected"));
        assertEquals(0, m.value("dlrgate_submits_total", "carrier", "acme", "result", "retry"));
        assertEquals(0, m.value("dlrgate_submits_total", "carrier", "acme", "result", "failed"));
        assertEquals(0, m.value("dlrgate_submits_total", "carrier", "idle", "result", "accepted"));
        assertEquals(9, m.value("dlrgate_submit_response_seconds_count", "carrier", "acme"));

        // receipts by stat and tab after
        assertEquals(5, m.value("dlrgate_receipts_total", "carrier", "acme", "stat", "DELIVRD", "tab", "delivered"));
        assertEquals(1, m.value("dlrgate_receipts_total", "carrier", "acme", "stat", "DELIVRD", "tab", "none"));
        assertEquals(1, m.value("dlrgate_receipts_total", "carrier", "acme", "stat", "UNDELIV", "tab", undelivTab));
        assertEquals(1, m.value("dlrgate_receipts_total", "carrier", "acme", "stat", "OTHER", "tab", "pending"));
        assertEquals(8, sum(m, "dlrgate_receipts_total", Map.of("carrier", "acme")));
        assertEquals(0, m.value("dlrgate_receipts_total", "carrier", "idle", "stat", "DELIVRD", "tab", "delivered"));
        assertEquals(1, m.value("dlrgate_receipts_duplicate_total", "carrier", "acme"));
        assertEquals(1, m.value("dlrgate_receipts_orphaned_total", "carrier", "acme"));
        assertEquals(1, m.value("dlrgate_receipts_unknown_stat_total", "carrier", "acme"));
        assertEquals(1, m.value("dlrgate_receipts_refused_total", "carrier", "acme"));
        assertEquals(0, m.value("dlrgate_receipts_late_total", "carrier", "acme", "result", "applied"));
        assertEquals(0, m.value("dlrgate_receipts_late_total", "carrier", "acme", "result", "ignored"));
        for (String reason : List.of("queue_full", "queue_wait", "db_error", "stopping")) {
            assertEquals(0, m.value("dlrgate_receipts_throttled_total", "reason", reason), reason);
        }
        // 4 DELIVRD and the UNDELIV made their message final: 5 observations, all within a day
        assertEquals(5, m.value("dlrgate_delivery_seconds_count", "carrier", "acme"));
        for (String le : List.of("1.0", "5.0", "30.0", "300.0", "3600.0", "86400.0", "+Inf")) {
            assertNotNull(m.find("dlrgate_delivery_seconds_bucket", Map.of("carrier", "acme", "le", le)),
                    "bucket le=" + le + " in " + m.names("dlrgate_delivery_seconds_bucket"));
        }
        assertEquals(5, m.value("dlrgate_delivery_seconds_bucket", "carrier", "acme", "le", "86400.0"));
        assertEquals(0, m.value("dlrgate_delivery_seconds_count", "carrier", "idle"));

        // SMPP: PDUs, binds, sessions, window
        assertEquals(9, m.value("dlrgate_smpp_pdus_total", "direction", "out", "command", "submit_sm", "result", "ok"));
        assertEquals(7, m.value("dlrgate_smpp_pdus_total", "direction", "in", "command", "submit_sm_resp", "result", "ok"));
        assertEquals(2, m.value("dlrgate_smpp_pdus_total", "direction", "in", "command", "submit_sm_resp", "result",
                "error"));
        assertEquals(9, m.value("dlrgate_smpp_pdus_total", "direction", "in", "command", "deliver_sm", "result", "ok"));
        assertEquals(8, m.value("dlrgate_smpp_pdus_total", "direction", "out", "command", "deliver_sm_resp", "result",
                "ok"));
        assertEquals(1, m.value("dlrgate_smpp_pdus_total", "direction", "out", "command", "deliver_sm_resp", "result",
                "error"));
        assertEquals(1, m.value("dlrgate_smpp_bind_attempts_total", "carrier", "acme", "result", "ok"));
        assertEquals(1, m.value("dlrgate_smpp_bind_attempts_total", "carrier", "acme", "result", "invalid_password"));
        assertEquals(1, m.value("dlrgate_smpp_bind_attempts_total", "carrier", "unknown", "result",
                "invalid_system_id"));
        assertEquals(0, m.value("dlrgate_smpp_bind_attempts_total", "carrier", "idle", "result", "ok"));
        // Registered at start, at zero: this gateway's carriers bind from anywhere and the limit was never reached.
        assertEquals(0, m.value("dlrgate_smpp_connections_refused_total", "reason", "allowed_ips"));
        assertEquals(0, m.value("dlrgate_smpp_connections_refused_total", "reason", "max_connections"));
        assertEquals(0, m.value("dlrgate_smpp_connections_refused_total", "reason", "max_unbound_connections"));
        assertEquals(0, m.value("dlrgate_smpp_connections_refused_total", "reason", "max_unbound_per_address"));
        assertEquals(0, m.value("dlrgate_smpp_bind_lockouts_total"));
        assertEquals(1, m.value("dlrgate_smpp_sessions", "carrier", "acme", "direction", "in", "bind_type",
                "transceiver"));
        assertEquals(0, m.value("dlrgate_smpp_sessions", "carrier", "acme", "direction", "out", "bind_type",
                "transceiver"));
        assertEquals(0, m.value("dlrgate_smpp_sessions", "carrier", "acme", "direction", "in", "bind_type",
                "receiver"));
        assertEquals(0, m.value("dlrgate_smpp_sessions", "carrier", "idle", "direction", "in", "bind_type",
                "transceiver"));
        assertEquals(0, m.value("dlrgate_submit_throttled_total", "carrier", "acme"));
        assertEquals(20000, m.value("dlrgate_submit_rate_effective", "carrier", "acme"), "max_submit_rate");
        assertEquals(25, m.value("dlrgate_smpp_window_size", "carrier", "acme"));
        assertEquals(0, m.value("dlrgate_smpp_window_in_use", "carrier", "acme"));
        assertEquals(0, m.value("dlrgate_smpp_window_size", "carrier", "idle"));

        // store, commit, the rest
        assertEquals(0, m.value("dlrgate_expiries_total", "carrier", "acme"));
        assertEquals(0, m.value("dlrgate_suppressions_added_total"));
        assertEquals(0, m.value("dlrgate_suppressions_lifted_total"));
        assertEquals(17, m.value("dlrgate_commit_batch_size_sum"), "9 submit outcomes + 8 receipts");
        assertTrue(m.value("dlrgate_commit_seconds_count") >= 1);
        assertEquals(m.value("dlrgate_commit_seconds_count"), m.value("dlrgate_commit_batch_size_count"));
        assertEquals(1, m.value("dlrgate_build_info", "version", m.labelOf("dlrgate_build_info", "version")));
        assertEquals(1, m.value("dlrgate_cluster_instances_live"), "this instance alone");
        assertTrue(m.value("hikaricp_connections_max", "pool", m.labelOf("hikaricp_connections_max", "pool")) >= 1);

        // messages per carrier and tab and the queue: counted in the store every few seconds
        Map<String, Long> byTab = new TreeMap<>();
        for (String t : List.of("delivered", "pending", "soft-bounces", "hard-bounces", "deleted")) {
            byTab.put(t, gw.count("select count(*) from messages where carrier_id = 'acme' and tab = '" + t + "'"));
        }
        assertEquals(4, byTab.get("delivered"));
        assertEquals(2, byTab.get("pending"), "the unknown stat and the one without receipts");
        assertEquals(9, gw.count("select count(*) from messages"), "every message is acme's");
        await().atMost(WAIT).untilAsserted(() -> {
            Exposition now = scrape();
            for (var e : byTab.entrySet()) {
                assertEquals(e.getValue().doubleValue(), now.value("dlrgate_messages", "carrier", "acme",
                        "tab", e.getKey()), e.getKey());
                assertEquals(0, now.value("dlrgate_messages", "carrier", "idle", "tab", e.getKey()), e.getKey());
            }
            assertEquals(0, now.value("dlrgate_queue_messages", "carrier", "acme"));
        });

        assertStructure(m);
    }

    @Test
    void queuedMessagesShowInTheQueueGaugeAndOpenMetricsIsServedWhenAskedFor() throws Exception {
        gw = GatewayHarness.start(CARRIERS);
        for (int i = 1; i <= 3; i++) { // nobody bound: they wait in the store
            assertEquals(202, gw.post("/api/v1/messages", new JsonObject().put("to", number(i))
                    .put("content", "hello").encode()).statusCode());
        }
        await().atMost(WAIT).until(() -> scrape().value("dlrgate_queue_messages", "carrier", "acme") == 3);
        assertEquals(0, scrape().value("dlrgate_queue_messages", "carrier", "idle"));
        assertEquals(3, scrape().value("dlrgate_messages", "carrier", "acme", "tab", "pending"));

        HttpResponse<String> om = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/metrics"))
                .header("Accept", "application/openmetrics-text; version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1")
                .GET());
        assertEquals(200, om.statusCode());
        assertTrue(om.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"),
                om.headers().toString());
        assertTrue(om.body().endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
        Exposition parsed = Exposition.parse(om.body());
        assertEquals(0, parsed.value("dlrgate_submits_total", "carrier", "acme", "result", "accepted"));
        assertTrue(om.body().contains("# TYPE dlrgate_submits counter"), "OpenMetrics names the counter family");

        HttpResponse<String> text = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/metrics")).GET());
        assertTrue(text.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        assertFalse(text.body().contains("# EOF"));
        assertStructure(Exposition.parse(text.body()));
    }

    @Test
    void messagesPerTabCarryTheCarrierThatTookThemAndUnknownForNumbersNoCarrierTook() throws Exception {
        gw = GatewayHarness.start(CARRIERS);
        HttpResponse<String> created = gw.post("/api/v1/campaigns", new JsonObject().put("name", "Per carrier")
                .put("content", "hi").put("createdBy", "ana").encode());
        assertEquals(201, created.statusCode(), created.body());
        long campaign = new JsonObject(created.body()).getLong("id");
        // Nobody bound: the messages of acme (+44) and idle (+33) wait Pending; "not a number" and a number no
        // carrier's prefixes take are filed at once as Hard bounces, taken by no carrier.
        HttpResponse<String> sent = gw.post("/api/v1/campaigns/" + campaign + "/sends", new JsonObject()
                .put("contacts", new JsonArray(List.of(number(1), number(2), number(3), "+33612345678",
                        "not a number", "+12025550123")))
                .put("sentBy", "ana").encode());
        assertEquals(202, sent.statusCode(), sent.body());
        assertEquals(202, gw.post("/api/v1/messages", new JsonObject().put("to", "+33612345679")
                .put("content", "a single send").encode()).statusCode());

        await().atMost(WAIT).untilAsserted(() -> {
            Exposition m = scrape();
            // three for acme, two for idle: a gauge that swapped or merged the carriers would not match
            assertEquals(3, m.value("dlrgate_messages", "carrier", "acme", "tab", "pending"));
            assertEquals(2, m.value("dlrgate_messages", "carrier", "idle", "tab", "pending"), "single sends count");
            assertEquals(2, m.value("dlrgate_messages", "carrier", "unknown", "tab", "hard-bounces"));
        });
        Exposition m = scrape();
        assertEquals(0, m.value("dlrgate_messages", "carrier", "acme", "tab", "hard-bounces"), "from the start");
        assertEquals(7, sum(m, "dlrgate_messages", Map.of()), "the gauge sums to every message in the store");
        assertEquals(5, m.samples("dlrgate_messages").stream()
                .filter(x -> "unknown".equals(x.labels().get("carrier"))).count(), "every tab, once counted");
        assertEquals(7, gw.count("select count(*) from messages"));
    }

    @Test
    void suppressionsAddedAtTheThresholdAndByHandAndLiftedAreCounted() throws Exception {
        gw = GatewayHarness.start(CARRIERS);
        java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong();
        TestCarrier acme = TestCarrier.to(gw.smppPort()).systemId("acme").password("acme-pw")
                .onSubmit(s -> TestCarrier.SubmitAnswer.ok("s" + next.incrementAndGet())).bind();
        carriers.add(acme);
        String n = number(42);
        for (int i = 1; i <= 3; i++) { // three permanent hard bounces (err 001: unknown subscriber) suppress it
            HttpResponse<String> r = gw.post("/api/v1/messages", new JsonObject().put("to", n).put("content", "hi")
                    .encode());
            assertEquals(202, r.statusCode(), r.body());
            long id = new JsonObject(r.body()).getLong("id");
            await().atMost(WAIT).until(() -> gw.count("select count(*) from messages where id = " + id
                    + " and dispatch_state = 'submitted'") == 1);
            assertOk(acme.sendDeliverSm(receipt("s" + i, "UNDELIV", "001")));
        }
        await().atMost(WAIT).until(() -> gw.count("select count(*) from suppressions") == 1);
        await().atMost(WAIT).until(() -> scrape().value("dlrgate_receipts_total", "carrier", "acme", "stat",
                "UNDELIV", "tab", "hard-bounces") == 3);
        assertEquals(1, scrape().value("dlrgate_suppressions_added_total"));
        assertEquals(0, scrape().value("dlrgate_suppressions_lifted_total"));

        HttpRequest.Builder lift = HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/v1/suppressions/"
                + n.replace("+", "%2B"))).header("Authorization", "Bearer " + GatewayHarness.API_KEY).DELETE();
        assertEquals(200, gw.send(lift).statusCode());
        assertEquals(404, gw.send(lift).statusCode(), "lifting twice lifts nothing");
        assertEquals(201, gw.post("/api/v1/suppressions", new JsonObject().put("number", number(43)).encode())
                .statusCode());
        assertEquals(200, gw.post("/api/v1/suppressions", new JsonObject().put("number", number(43)).encode())
                .statusCode(), "already suppressed: nothing added");
        Exposition m = scrape();
        assertEquals(2, m.value("dlrgate_suppressions_added_total"));
        assertEquals(1, m.value("dlrgate_suppressions_lifted_total"));
    }

    /** Every specified name present with HELP and TYPE; buckets as specified; no label value looking like a number. */
    static void assertStructure(Exposition m) {
        Map<String, String> types = Map.ofEntries(
                Map.entry("dlrgate_smpp_sessions", "gauge"),
                Map.entry("dlrgate_submit_throttled_total", "counter"),
                Map.entry("dlrgate_submit_rate_effective", "gauge"),
                Map.entry("dlrgate_smpp_bind_attempts_total", "counter"),
                Map.entry("dlrgate_smpp_connections_refused_total", "counter"),
                Map.entry("dlrgate_smpp_bind_lockouts_total", "counter"),
                Map.entry("dlrgate_smpp_pdus_total", "counter"),
                Map.entry("dlrgate_smpp_window_in_use", "gauge"),
                Map.entry("dlrgate_smpp_window_size", "gauge"),
                Map.entry("dlrgate_submit_response_seconds", "histogram"),
                Map.entry("dlrgate_submits_total", "counter"),
                Map.entry("dlrgate_queue_messages", "gauge"),
                Map.entry("dlrgate_receipts_total", "counter"),
                Map.entry("dlrgate_receipts_unknown_stat_total", "counter"),
                Map.entry("dlrgate_receipts_orphaned_total", "counter"),
                Map.entry("dlrgate_receipts_duplicate_total", "counter"),
                Map.entry("dlrgate_receipts_late_total", "counter"),
                Map.entry("dlrgate_receipts_throttled_total", "counter"),
                Map.entry("dlrgate_receipts_refused_total", "counter"),
                Map.entry("dlrgate_delivery_seconds", "histogram"),
                Map.entry("dlrgate_messages", "gauge"),
                Map.entry("dlrgate_expiries_total", "counter"),
                Map.entry("dlrgate_messages_finalized_total", "counter"),
                Map.entry("dlrgate_suppressions_added_total", "counter"),
                Map.entry("dlrgate_suppressions_lifted_total", "counter"),
                Map.entry("dlrgate_commit_batch_size", "histogram"),
                Map.entry("dlrgate_commit_seconds", "histogram"),
                Map.entry("dlrgate_build_info", "gauge"),
                Map.entry("dlrgate_cluster_instances_live", "gauge"),
                Map.entry("dlrgate_live_events_resyncs_total", "counter"),
                Map.entry("hikaricp_connections", "gauge"),
                Map.entry("jvm_memory_used_bytes", "gauge"),
                Map.entry("process_cpu_usage", "gauge"));
        for (var e : types.entrySet()) {
            String name = e.getKey();
            assertEquals(e.getValue(), m.types.get(name), "# TYPE of " + name);
            String help = m.help.get(name);
            assertNotNull(help, "# HELP of " + name);
            assertFalse(help.isBlank(), "# HELP of " + name + " says something");
            assertFalse(m.samples(name).isEmpty() && m.samples(name + "_count").isEmpty(), "samples of " + name);
        }
        for (String le : List.of("1.0", "5.0", "30.0", "300.0", "3600.0", "86400.0", "+Inf")) {
            assertNotNull(m.find("dlrgate_delivery_seconds_bucket", Map.of("carrier", "idle", "le", le)), "le=" + le);
        }
        assertEquals(7, m.samples("dlrgate_delivery_seconds_bucket").stream()
                .filter(s -> "idle".equals(s.labels().get("carrier"))).count(), "exactly the specified buckets");
        Pattern numberLike = Pattern.compile(".*\\d{6,}.*");
        for (Sample s : m.all) {
            if (!s.name().startsWith("dlrgate_")) {
                continue;
            }
            for (var l : s.labels().entrySet()) {
                assertFalse(numberLike.matcher(l.getValue()).matches(),
                        "label " + l.getKey() + "=" + l.getValue() + " of " + s.name() + " looks like a number or id");
            }
            assertTrue(Set.of("carrier", "bind_type", "result", "direction", "command", "stat", "tab", "reason", "le",
                    "version", "class", "cause", "kind").containsAll(s.labels().keySet()), s.name() + " has only bounded labels: " + s.labels());
        }
    }

    // ------------------------------------------------------------------ helpers

    static String number(int i) {
        return String.format("+4477009%05d", i);
    }

    static DeliverSm receipt(String id, String stat, String err) {
        return TestCarrier.receipt("id:" + id + " sub:001 dlvrd:" + ("DELIVRD".equals(stat) ? "001" : "000")
                + " submit date:2401011200 done date:2401011205 stat:" + stat + " err:" + err + " text:hello");
    }

    static void assertOk(PduResponse r) {
        assertEquals(SmppConstants.STATUS_OK, r.getCommandStatus(), r.toString());
    }

    Exposition scrape() throws Exception {
        return scrape(gw);
    }

    static Exposition scrape(GatewayHarness gw) throws Exception {
        HttpResponse<String> r = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/metrics")).GET());
        assertEquals(200, r.statusCode(), r.body());
        return Exposition.parse(r.body());
    }

    static double sum(Exposition m, String name, Map<String, String> labels) {
        return m.samples(name).stream().filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value).sum();
    }

    record Sample(String name, Map<String, String> labels, double value) {
    }

    /** A small parser of the Prometheus text format (0.0.4) and OpenMetrics: samples, HELP and TYPE lines. */
    static final class Exposition {
        private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\S+)?");
        private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,?\\s*");

        final List<Sample> all = new ArrayList<>();
        final Map<String, String> types = new HashMap<>();
        final Map<String, String> help = new HashMap<>();

        static Exposition parse(String body) {
            Exposition e = new Exposition();
            for (String line : body.split("\n")) {
                if (line.isBlank() || line.equals("# EOF")) {
                    continue;
                }
                if (line.startsWith("# TYPE ") || line.startsWith("# HELP ")) {
                    String[] p = line.substring(7).split(" ", 2);
                    (line.startsWith("# TYPE ") ? e.types : e.help).put(p[0], p.length > 1 ? p[1] : "");
                    continue;
                }
                if (line.startsWith("#")) {
                    continue;
                }
                Matcher m = SAMPLE.matcher(line);
                if (!m.matches()) {
                    throw new AssertionError("not an exposition line: " + line);
                }
                Map<String, String> labels = new TreeMap<>();
                if (m.group(3) != null) {
                    Matcher l = LABEL.matcher(m.group(3));
                    int at = 0;
                    while (l.lookingAt()) {
                        labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\n", "\n")
                                .replace("\\\\", "\\"));
                        at = l.end();
                        l.region(at, m.group(3).length());
                    }
                    if (at != m.group(3).length()) {
                        throw new AssertionError("bad labels: " + line);
                    }
                }
                e.all.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
            }
            return e;
        }

        List<Sample> samples(String name) {
            return all.stream().filter(s -> s.name().equals(name)).toList();
        }

        List<Map<String, String>> names(String name) {
            return samples(name).stream().map(Sample::labels).toList();
        }

        Sample find(String name, Map<String, String> labels) {
            List<Sample> found = samples(name).stream().filter(s -> s.labels().equals(labels)).toList();
            if (found.size() > 1) {
                throw new AssertionError("two samples " + name + labels);
            }
            return found.isEmpty() ? null : found.get(0);
        }

        /** The value of the sample with exactly these labels; fails when it does not exist. */
        double value(String name, String... labelPairs) {
            Map<String, String> labels = new TreeMap<>();
            for (int i = 0; i < labelPairs.length; i += 2) {
                labels.put(labelPairs[i], labelPairs[i + 1]);
            }
            Sample s = find(name, labels);
            if (s == null) {
                throw new AssertionError("no sample " + name + labels + "; samples of that name: " + names(name));
            }
            return s.value();
        }

        String labelOf(String name, String label) {
            List<Sample> s = samples(name);
            if (s.isEmpty()) {
                throw new AssertionError("no sample " + name);
            }
            return s.get(0).labels().get(label);
        }
    }
}
