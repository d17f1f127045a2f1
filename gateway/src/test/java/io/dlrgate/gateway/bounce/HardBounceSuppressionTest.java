package io.dlrgate.gateway.bounce;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppConstants;
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
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hard-bounce suppression end to end: sends through the API, a {@link TestCarrier} over real SMPP accepts them and
 * answers with receipts, the gateway classes each failure, counts permanent hard bounces per number in PostgreSQL
 * and suppresses the number at the threshold. Every receipt is acknowledged only once stored, so the state is
 * read right after the deliver_sm_resp without waiting.
 */
class HardBounceSuppressionTest {

    static final String CARRIERS = """
            carriers:
              - id: acme
                system_id: acme
                password: acme-pw
                prefixes: ["+44"]
                max_submit_rate: 20000
                max_binds: 4
                error_classes:
                  "077": transient
            """;
    static final Duration WAIT = Duration.ofSeconds(30);
    /** Numbers the test carrier refuses with ESME_RINVDSTADR. */
    static final String INVALID_PREFIX = "4477009009";

    GatewayHarness gw;
    final List<TestCarrier> carriers = new ArrayList<>();
    final AtomicLong ids = new AtomicLong();

    @AfterEach
    void tearDown() {
        carriers.forEach(TestCarrier::close);
        if (gw != null) {
            gw.close();
        }
    }

    // ---------------------------------------------------------------- helpers

    void start(String extraYaml) throws Exception {
        gw = GatewayHarness.start(CARRIERS + extraYaml);
    }

    TestCarrier bind() {
        TestCarrier c = TestCarrier.to(gw.smppPort()).systemId("acme").password("acme-pw")
                .bindType(BindType.TRANSCEIVER).onSubmit(s -> s.getDestAddress().getAddress().startsWith(INVALID_PREFIX)
                        ? TestCarrier.SubmitAnswer.error(SmppConstants.STATUS_INVDSTADR)
                        : TestCarrier.SubmitAnswer.ok("m" + ids.incrementAndGet())).bind();
        carriers.add(c);
        return c;
    }

    HttpResponse<String> trySend(String to) throws Exception {
        return gw.post("/api/v1/messages", new JsonObject().put("to", to).put("content", "hello").encode());
    }

    long send(String to) throws Exception {
        HttpResponse<String> r = trySend(to);
        assertEquals(202, r.statusCode(), r.body());
        return new JsonObject(r.body()).getLong("id");
    }

    void assertSkipped(String to) throws Exception {
        HttpResponse<String> r = trySend(to);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("skipped", new JsonObject(r.body()).getString("status"), r.body());
        assertEquals("suppressed", new JsonObject(r.body()).getString("reason"), r.body());
    }

    JsonObject message(long id) throws Exception {
        HttpResponse<String> r = gw.get("/api/v1/messages/" + id);
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    /** Sends to the number and waits until the carrier's id is known. */
    String sendAndSubmit(String to) throws Exception {
        long id = send(to);
        await().atMost(WAIT).until(() -> "submitted".equals(message(id).getString("dispatchState")));
        return message(id).getString("carrierMessageId");
    }

    static String text(String id, String stat, String err) {
        return "id:" + id + " sub:001 dlvrd:" + ("DELIVRD".equals(stat) ? "001" : "000")
                + " submit date:2401011200 done date:2401011205 stat:" + stat + " err:" + err + " text:hello";
    }

    void receipt(TestCarrier via, String carrierId, String stat, String err) throws Exception {
        PduResponse r = via.sendDeliverSm(TestCarrier.receipt(text(carrierId, stat, err)), Duration.ofSeconds(20));
        assertEquals(SmppConstants.STATUS_OK, r.getCommandStatus(), "deliver_sm_resp status");
    }

    /** One message to the number, answered with this stat and err; returns the message as the API shows it. */
    JsonObject sendWithOutcome(TestCarrier via, String to, String stat, String err) throws Exception {
        long id = send(to);
        await().atMost(WAIT).until(() -> "submitted".equals(message(id).getString("dispatchState")));
        receipt(via, message(id).getString("carrierMessageId"), stat, err);
        return message(id);
    }

    boolean suppressed(String number) throws Exception {
        return gw.count("select count(*) from suppressions where number = '" + number + "'") == 1;
    }

    long counter(String column, String number) throws Exception {
        return gw.count("select coalesce((select " + column + " from bounce_counts where number = '" + number
                + "'), 0)");
    }

    JsonObject suppressionEntry(String number) throws Exception {
        HttpResponse<String> r = gw.get("/api/v1/suppressions?number=" + number.substring(1));
        assertEquals(200, r.statusCode(), r.body());
        JsonArray items = new JsonObject(r.body()).getJsonArray("items");
        assertEquals(1, items.size(), r.body());
        return items.getJsonObject(0);
    }

    JsonObject putSettings(JsonObject body, int expectedStatus) throws Exception {
        HttpResponse<String> r = gw.put("/api/v1/settings", body.encode());
        assertEquals(expectedStatus, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    HttpResponse<String> delete(String path) throws Exception {
        return gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                .header("Authorization", "Bearer " + GatewayHarness.API_KEY).DELETE());
    }

    // ---------------------------------------------------------------- tests

    @Test
    void threePermanentHardBouncesSuppressTheNumber() throws Exception {
        start("");
        TestCarrier acme = bind();
        String n = "+447700900101";
        JsonObject first = sendWithOutcome(acme, n, "UNDELIV", "001");
        assertEquals("hard-bounces", first.getString("tab"));
        assertEquals("permanent", first.getString("errorClass"));
        sendWithOutcome(acme, n, "UNDELIV", "001");
        assertFalse(suppressed(n), "two bounces are below the threshold");
        assertEquals(2, counter("consecutive", n));
        sendWithOutcome(acme, n, "REJECTD", "005");
        assertTrue(suppressed(n), "the third permanent hard bounce suppresses");

        JsonObject entry = suppressionEntry(n);
        assertEquals("3 consecutive permanent hard bounces, last err 005 on carrier acme", entry.getString("reason"));
        assertEquals("gateway", entry.getString("createdBy"));
        assertTrue(entry.getString("createdAt") != null);
        assertSkipped(n);
        // another number is not affected
        send("+447700900102");
    }

    @Test
    void twoPermanentAndOneTransientDoNotSuppress() throws Exception {
        start("");
        TestCarrier acme = bind();
        String n = "+447700900111";
        sendWithOutcome(acme, n, "UNDELIV", "001");
        JsonObject absent = sendWithOutcome(acme, n, "UNDELIV", "027");     // absent subscriber
        assertEquals("hard-bounces", absent.getString("tab"), "a transient UNDELIV stays a hard bounce by default");
        assertEquals("transient", absent.getString("errorClass"));
        JsonObject overridden = sendWithOutcome(acme, n, "UNDELIV", "077"); // transient by the carrier's table
        assertEquals("transient", overridden.getString("errorClass"));
        sendWithOutcome(acme, n, "UNDELIV", "013");                         // call barred: permanent
        assertFalse(suppressed(n), "only two of the four bounces are permanent");
        assertEquals(2, counter("consecutive", n), "transient bounces neither count nor reset");
        send(n);
        sendWithOutcome(acme, n, "UNDELIV", "011");
        assertTrue(suppressed(n), "the third permanent one does");
    }

    @Test
    void aDeliveryResetsTheCountInConsecutiveMode() throws Exception {
        start("");
        TestCarrier acme = bind();
        String n = "+447700900121";
        sendWithOutcome(acme, n, "UNDELIV", "001");
        sendWithOutcome(acme, n, "UNDELIV", "001");
        JsonObject delivered = sendWithOutcome(acme, n, "DELIVRD", "000");
        assertNull(delivered.getString("errorClass"));
        assertEquals(0, counter("consecutive", n));
        sendWithOutcome(acme, n, "UNDELIV", "001");
        assertFalse(suppressed(n), "the delivery reset the count");
        assertEquals(1, counter("consecutive", n));
        assertEquals(3, counter("total", n));
        sendWithOutcome(acme, n, "UNDELIV", "001");
        sendWithOutcome(acme, n, "UNDELIV", "001");
        assertTrue(suppressed(n));
    }

    @Test
    void aDeliveryDoesNotResetTheCountInTotalMode() throws Exception {
        start("bounces:\n  suppression_mode: total\n");
        assertEquals("total", new JsonObject(gw.get("/api/v1/settings").body()).getString("suppressionMode"),
                "the default comes from the config");
        TestCarrier acme = bind();
        String n = "+447700900131";
        sendWithOutcome(acme, n, "UNDELIV", "001");
        sendWithOutcome(acme, n, "UNDELIV", "001");
        sendWithOutcome(acme, n, "DELIVRD", "000");
        assertFalse(suppressed(n));
        sendWithOutcome(acme, n, "UNDELIV", "001");
        assertTrue(suppressed(n), "three permanent bounces in all");
        assertEquals("3 permanent hard bounces, last err 001 on carrier acme", suppressionEntry(n).getString("reason"));
    }

    @Test
    void modeAndThresholdChangedThroughTheApiApplyToTheNextBounce() throws Exception {
        start("");
        TestCarrier acme = bind();
        JsonObject s = putSettings(new JsonObject().put("suppressionMode", "total").put("suppressionThreshold", 2), 200);
        assertEquals(new JsonObject().put("suppressHardBounces", true).put("suppressionThreshold", 2)
                .put("suppressionMode", "total").put("countInvalidNumbers", false), withoutRule(s));
        String n = "+447700900141";
        sendWithOutcome(acme, n, "UNDELIV", "001");
        sendWithOutcome(acme, n, "DELIVRD", "000");
        sendWithOutcome(acme, n, "UNDELIV", "001");
        assertTrue(suppressed(n));
    }

    @Test
    void turningTheSettingOffStopsSuppression() throws Exception {
        start("");
        TestCarrier acme = bind();
        assertTrue(new JsonObject(gw.get("/api/v1/settings").body()).getBoolean("suppressHardBounces"), "on by default");
        assertEquals(false, putSettings(new JsonObject().put("suppressHardBounces", false), 200)
                .getBoolean("suppressHardBounces"));
        String n = "+447700900151";
        for (int i = 0; i < 4; i++) {
            sendWithOutcome(acme, n, "UNDELIV", "001");
        }
        assertFalse(suppressed(n), "the account does not suppress");
        assertEquals(4, counter("consecutive", n), "bounces are still counted");
        send(n);

        putSettings(new JsonObject().put("suppressHardBounces", true), 200);
        sendWithOutcome(acme, n, "UNDELIV", "001");
        assertTrue(suppressed(n), "turned back on, the next permanent bounce suppresses a number past the threshold");
        assertEquals("5 consecutive permanent hard bounces, last err 001 on carrier acme",
                suppressionEntry(n).getString("reason"));
    }

    @Test
    void liftingASuppressionLetsSendsThroughAgain() throws Exception {
        start("");
        TestCarrier acme = bind();
        String n = "+447700900161";
        for (int i = 0; i < 3; i++) {
            sendWithOutcome(acme, n, "UNDELIV", "001");
        }
        assertTrue(suppressed(n));
        assertSkipped(n);

        HttpResponse<String> lifted = delete("/api/v1/suppressions/" + n);
        assertEquals(200, lifted.statusCode(), lifted.body());
        assertFalse(suppressed(n));
        assertEquals(404, delete("/api/v1/suppressions/" + n).statusCode(), "lifting twice: nothing to lift");

        JsonObject m = sendWithOutcome(acme, n, "UNDELIV", "001");
        assertEquals("submitted", m.getString("dispatchState"), "the send went out to the carrier");
        assertFalse(suppressed(n), "lifting starts the count afresh: one bounce is not three");
        assertEquals(1, counter("consecutive", n));
    }

    @Test
    void aNumberAddedByHandIsSkippedAndListed() throws Exception {
        start("");
        bind();
        String n = "+447700900171";
        HttpResponse<String> r = gw.post("/api/v1/suppressions", new JsonObject().put("number", n)
                .put("reason", "asked to stop").encode());
        assertEquals(201, r.statusCode(), r.body());
        assertSkipped(n);
        assertEquals("asked to stop", suppressionEntry(n).getString("reason"));
    }

    @Test
    void permanentSubmitRejectionsCountToo() throws Exception {
        start("");
        bind();
        String n = "+" + INVALID_PREFIX + "01";
        for (int i = 0; i < 3; i++) {
            long id = send(n);
            await().atMost(WAIT).until(() -> "failed".equals(message(id).getString("dispatchState")));
            JsonObject m = message(id);
            assertEquals("hard-bounces", m.getString("tab"));
            assertEquals("permanent", m.getString("errorClass"), m.encode());
        }
        assertTrue(suppressed(n));
        String reason = suppressionEntry(n).getString("reason");
        assertTrue(reason.startsWith("3 consecutive permanent hard bounces, last error ") && reason.contains("0x0000000B"),
                reason);
        assertSkipped(n);
    }

    @Test
    void settingsAreValidated() throws Exception {
        start("");
        putSettings(new JsonObject().put("suppressionThreshold", 0), 400);
        putSettings(new JsonObject().put("suppressionThreshold", 101), 400);
        putSettings(new JsonObject().put("suppressionThreshold", 2.5), 400);
        putSettings(new JsonObject().put("suppressionThreshold", "3"), 400);
        JsonObject bad = putSettings(new JsonObject().put("suppressionMode", "sometimes"), 400);
        assertEquals("suppressionMode", bad.getString("field"));
        putSettings(new JsonObject().put("suppressHardBounces", "yes"), 400);
        putSettings(new JsonObject(), 400);
        assertEquals("suppresionMode", putSettings(new JsonObject().put("suppresionMode", "total"), 400)
                .getString("field"));
        // nothing of the refused requests was stored
        assertEquals(new JsonObject().put("suppressHardBounces", true).put("suppressionThreshold", 3)
                .put("suppressionMode", "consecutive").put("countInvalidNumbers", false), withoutRule(new JsonObject(gw.get("/api/v1/settings").body())));
        assertEquals(new JsonObject().put("suppressHardBounces", true).put("suppressionThreshold", 100)
                .put("suppressionMode", "consecutive").put("countInvalidNumbers", false), withoutRule(putSettings(new JsonObject().put("suppressionThreshold", 100), 200)));
    }

    @Test
    void transientUndelivCanBeConfiguredIntoSoftBounces() throws Exception {
        start("bounces:\n  transient_undeliv_tab: soft-bounces\n");
        TestCarrier acme = bind();
        String n = "+447700900181";
        JsonObject absent = sendWithOutcome(acme, n, "UNDELIV", "006");
        assertEquals("soft-bounces", absent.getString("tab"));
        assertEquals("transient", absent.getString("errorClass"));
        JsonObject unknown = sendWithOutcome(acme, n, "UNDELIV", "001");
        assertEquals("hard-bounces", unknown.getString("tab"), "permanent failures stay hard bounces");
        assertEquals(1, counter("consecutive", n));
    }

    /**
     * Forty permanent bounces of one number arrive at once over four sessions of the carrier: every one is counted,
     * and the number is suppressed by exactly the fortieth.
     */
    @Test
    void receiptsForOneNumberFromManySessionsAtOnceCountCorrectly() throws Exception {
        start("bounces:\n  suppression_mode: total\n  suppression_threshold: 40\n");
        List<TestCarrier> sessions = List.of(bind(), bind(), bind(), bind());
        String n = "+447700900191";
        int perSession = 10;
        List<String> carrierIds = new ArrayList<>();
        List<Long> messageIds = new ArrayList<>();
        for (int i = 0; i < sessions.size() * perSession; i++) {
            messageIds.add(send(n));
        }
        await().atMost(WAIT).until(() -> gw.count("select count(*) from messages where recipient = '" + n
                + "' and dispatch_state = 'submitted'") == messageIds.size());
        for (long id : messageIds) {
            carrierIds.add(message(id).getString("carrierMessageId"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(sessions.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int s = 0; s < sessions.size(); s++) {
                TestCarrier via = sessions.get(s);
                List<String> mine = carrierIds.subList(s * perSession, (s + 1) * perSession);
                results.add(pool.submit(() -> {
                    go.await();
                    int ok = 0;
                    for (String id : mine) {
                        PduResponse r = via.sendDeliverSm(TestCarrier.receipt(text(id, "UNDELIV", "001")),
                                Duration.ofSeconds(20));
                        ok += r.getCommandStatus() == SmppConstants.STATUS_OK ? 1 : 0;
                    }
                    return ok;
                }));
            }
            go.countDown();
            int ok = 0;
            for (Future<Integer> f : results) {
                ok += f.get(60, TimeUnit.SECONDS);
            }
            assertEquals(messageIds.size(), ok, "every receipt acknowledged");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(40, gw.count("select count(*) from messages where recipient = '" + n
                + "' and tab = 'hard-bounces' and error_class = 'permanent'"));
        assertEquals(40, counter("total", n));
        assertEquals(40, counter("consecutive", n));
        assertTrue(suppressed(n));
        assertEquals("40 permanent hard bounces, last err 001 on carrier acme", suppressionEntry(n).getString("reason"));
    }

    /** The settings without their one-sentence {@code rule} (SuppressedListApiTest checks that). */
    static JsonObject withoutRule(JsonObject settings) {
        JsonObject copy = settings.copy();
        copy.remove("rule");
        return copy;
    }
}
