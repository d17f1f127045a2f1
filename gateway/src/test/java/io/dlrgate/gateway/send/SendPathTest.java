package io.dlrgate.gateway.send;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.SubmitSm;
import io.dlrgate.config.BindType;
import io.dlrgate.gateway.dispatch.encoding.MessageDecoder;
import io.dlrgate.gateway.smpp.validity.ValidityPeriod;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.TestCarrier;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The send path end to end: HTTP API -> store -> dispatcher -> submit_sm to a carrier bound over loopback. */
class SendPathTest {

    static final String CARRIERS = """
            carriers:
              - id: alpha
                system_id: alpha
                password: alpha-pw
                prefixes: ["+44"]
                long_messages: payload
                window_size: 50
                max_submit_rate: 20000
                default_validity: 48h
              - id: beta
                system_id: beta
                password: beta-pw
                prefixes: ["+33"]
                submit_id_format: hex
                max_submit_rate: 20000
              - id: slow
                system_id: slow
                password: slow-pw
                prefixes: ["+49"]
                max_submit_rate: 40
            """;

    GatewayHarness gw;
    final List<TestCarrier> carriers = new ArrayList<>();

    @AfterEach
    void tearDown() {
        carriers.forEach(TestCarrier::close);
        if (gw != null) {
            gw.close();
        }
    }

    TestCarrier bind(String systemId, String password, java.util.function.Function<SubmitSm, TestCarrier.SubmitAnswer> answer) {
        TestCarrier c = TestCarrier.to(gw.smppPort()).systemId(systemId).password(password)
                .bindType(BindType.TRANSCEIVER).onSubmit(answer).bind();
        carriers.add(c);
        return c;
    }

    long createCampaign(String content) throws Exception {
        HttpResponse<String> r = gw.post("/api/v1/campaigns", new JsonObject().put("name", "Spring sale")
                .put("content", content).put("createdBy", "ana").encode());
        assertEquals(201, r.statusCode(), r.body());
        return new JsonObject(r.body()).getLong("id");
    }

    static List<String> numbers(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + String.format("%06d", i));
        }
        return out;
    }

    @Test
    void thousandMessagesArriveAsSubmitSmAndTheCarrierIdsAreStored() throws Exception {
        gw = GatewayHarness.start(CARRIERS);
        // Ids the way real carriers write them: with letters, dashes, leading zeros, mixed case.
        AtomicLong seq = new AtomicLong();
        Map<String, String> idByDest = new ConcurrentHashMap<>();
        TestCarrier alpha = bind("alpha", "alpha-pw", s -> {
            long n = seq.incrementAndGet();
            String id = switch ((int) (n % 4)) {
                case 0 -> String.format("%010d", n);
                case 1 -> "Msg-" + n + "-AbC";
                case 2 -> Long.toHexString(0x812FC74700000000L + n).toUpperCase();
                default -> java.util.UUID.nameUUIDFromBytes(("x" + n).getBytes()).toString();
            };
            idByDest.put(s.getDestAddress().getAddress(), id);
            return TestCarrier.SubmitAnswer.ok(id);
        });

        String content = "Spring sale: 20% off everything until Sunday! Reply STOP to opt out.";
        long campaign = createCampaign(content);
        List<String> contacts = numbers("+447700", 1000);
        HttpResponse<String> r = gw.post("/api/v1/campaigns/" + campaign + "/sends",
                new JsonObject().put("contacts", contacts).put("sentBy", "ana").encode());
        assertEquals(202, r.statusCode(), r.body());
        assertEquals(1000, new JsonObject(r.body()).getInteger("queued"));

        List<TestCarrier.ReceivedSubmit> submits = alpha.awaitSubmits(1000, Duration.ofSeconds(60));
        Set<String> dests = new HashSet<>();
        for (TestCarrier.ReceivedSubmit s : submits) {
            SubmitSm pdu = s.pdu();
            dests.add(pdu.getDestAddress().getAddress());
            assertEquals(SmppConstants.TON_INTERNATIONAL, pdu.getDestAddress().getTon());
            assertEquals(content, MessageDecoder.decode(pdu.getDataCoding(), pdu.getShortMessage()));
            assertEquals(0x01, pdu.getRegisteredDelivery() & 0x03, "final delivery receipts requested");
            Duration validity = ValidityPeriod.parseRelative(pdu.getValidityPeriod(), Instant.now());
            assertTrue(validity.compareTo(Duration.ofHours(47).plusMinutes(58)) > 0
                    && validity.compareTo(Duration.ofHours(48)) <= 0, "validity from the carrier default: " + validity);
        }
        assertEquals(1000, dests.size(), "each contact exactly once");
        assertEquals(contacts.stream().map(c -> c.substring(1)).collect(java.util.stream.Collectors.toSet()), dests);

        await().atMost(Duration.ofSeconds(30)).until(() ->
                gw.count("select count(*) from messages where dispatch_state = 'submitted'") == 1000);
        Map<String, String> stored = new HashMap<>();
        try (Connection c = gw.db().database().connection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select recipient, carrier_message_id from messages")) {
            while (rs.next()) {
                stored.put(rs.getString(1).substring(1), rs.getString(2));
            }
        }
        for (Map.Entry<String, String> e : idByDest.entrySet()) {
            // carrier alpha uses the default id format (string): trimmed and lower-cased
            assertEquals(e.getValue().toLowerCase(), stored.get(e.getKey()), "stored id for " + e.getKey());
        }
    }

    @Test
    void hexIdsFromACarrierConfiguredForHexAreStoredAsUnsignedDecimal() throws Exception {
        gw = GatewayHarness.start(CARRIERS);
        bind("beta", "beta-pw", s -> TestCarrier.SubmitAnswer.ok("812FC7470000001B"));
        HttpResponse<String> r = gw.post("/api/v1/messages", "{\"to\":\"+33612345678\",\"content\":\"bonjour\"}");
        assertEquals(202, r.statusCode(), r.body());
        long id = new JsonObject(r.body()).getLong("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> new JsonObject(gw.get("/api/v1/messages/" + id).body())
                .getString("dispatchState").equals("submitted"));
        assertEquals("9308878062554710043",
                new JsonObject(gw.get("/api/v1/messages/" + id).body()).getString("carrierMessageId"));
    }

    @Test
    void messagesQueuedWhileNoCarrierIsBoundGoOutWhenOneBinds() throws Exception {
        gw = GatewayHarness.start(CARRIERS);
        for (String to : numbers("+447700", 25)) {
            assertEquals(202, gw.post("/api/v1/messages", new JsonObject().put("to", to).put("content", "wait for me")
                    .put("source", "program").encode()).statusCode());
        }
        Thread.sleep(500);
        assertEquals(25, gw.count("select count(*) from messages where dispatch_state = 'queued'"),
                "nothing leaves while no carrier is bound");
        TestCarrier alpha = bind("alpha", "alpha-pw", s -> TestCarrier.SubmitAnswer.ok("id" + System.nanoTime()));
        assertEquals(25, alpha.awaitSubmits(25, Duration.ofSeconds(20)).size());
        await().atMost(Duration.ofSeconds(20)).until(() ->
                gw.count("select count(*) from messages where dispatch_state = 'submitted'") == 25);
    }

    @Test
    void aCarrierRejectingSubmitsLeavesThemFailedWithTheStatusRecorded() throws Exception {
        gw = GatewayHarness.start(CARRIERS);
        bind("alpha", "alpha-pw", s -> TestCarrier.SubmitAnswer.error(SmppConstants.STATUS_INVDSTADR));
        HttpResponse<String> r = gw.post("/api/v1/messages", "{\"to\":\"+447700900777\",\"content\":\"x\"}");
        long id = new JsonObject(r.body()).getLong("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> new JsonObject(gw.get("/api/v1/messages/" + id).body())
                .getString("dispatchState").equals("failed"));
        JsonObject m = new JsonObject(gw.get("/api/v1/messages/" + id).body());
        assertEquals(SmppConstants.STATUS_INVDSTADR, m.getInteger("submitStatus"));
        assertEquals("hard-bounces", m.getString("tab"));
        assertTrue(m.getString("error").contains("ESME_RINVDSTADR"), m.encode());
    }

    @Test
    void anAcceptedSubmitWithAnIdTooLongToTrackFailsAloneAndOthersAreStored() throws Exception {
        // A 300-character id could never be matched by a receipt and would not fit the store's index: the message
        // fails with a clear error instead of blocking the commit lane, and the next one goes through.
        gw = GatewayHarness.start(CARRIERS);
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        bind("alpha", "alpha-pw", s -> TestCarrier.SubmitAnswer.ok(n.getAndIncrement() == 0
                ? "9".repeat(300) : "ok-" + System.nanoTime()));
        long tooLong = new JsonObject(gw.post("/api/v1/messages", "{\"to\":\"+447700900778\",\"content\":\"x\"}").body())
                .getLong("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> new JsonObject(gw.get("/api/v1/messages/" + tooLong).body())
                .getString("dispatchState").equals("failed"));
        JsonObject m = new JsonObject(gw.get("/api/v1/messages/" + tooLong).body());
        assertEquals("hard-bounces", m.getString("tab"));
        assertTrue(m.getString("error").contains("message id of 300 characters"), m.encode());
        long next = new JsonObject(gw.post("/api/v1/messages", "{\"to\":\"+447700900779\",\"content\":\"x\"}").body())
                .getLong("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> new JsonObject(gw.get("/api/v1/messages/" + next).body())
                .getString("dispatchState").equals("submitted"));
    }

    @Test
    void theCarriersRateLimitHoldsAsTheCarrierCountsIt() throws Exception {
        gw = GatewayHarness.start(CARRIERS);
        TestCarrier slow = bind("slow", "slow-pw", s -> TestCarrier.SubmitAnswer.ok("s" + System.nanoTime()));
        long campaign = createCampaign("rate limited");
        gw.post("/api/v1/campaigns/" + campaign + "/sends",
                new JsonObject().put("contacts", numbers("+4915100", 120)).put("sentBy", "ops").encode());
        List<TestCarrier.ReceivedSubmit> submits = slow.awaitSubmits(120, Duration.ofSeconds(30));
        // Slide a one-second window over the arrival times the carrier recorded.
        long[] t = submits.stream().mapToLong(TestCarrier.ReceivedSubmit::receivedNanos).sorted().toArray();
        int maxInWindow = 0;
        int start = 0;
        for (int end = 0; end < t.length; end++) {
            while (t[end] - t[start] >= 1_000_000_000L) {
                start++;
            }
            maxInWindow = Math.max(maxInWindow, end - start + 1);
        }
        System.out.printf("rate limit 40/s: busiest one-second window at the carrier held %d submits%n", maxInWindow);
        assertTrue(maxInWindow <= 42, "at most the rate (plus pacing jitter) in any second, saw " + maxInWindow);
        assertTrue(maxInWindow >= 30, "and not far below it, saw " + maxInWindow);
    }

    @Test
    void aSubmitThatTimesOutIsRetriedABoundedNumberOfTimesThenFailed() throws Exception {
        // no submit_timeout: it defaults to request_expiry when that is shorter than 10 s
        assertFailedAfterTwoSilentAttempts("", "  request_expiry: 1s\n");
    }

    @Test
    void submitTimeoutIsTheWaitForTheSubmitResponseNotTheRequestExpiry() throws Exception {
        // request_expiry 10 minutes: only dispatch.submit_timeout can time this submit out within the test
        TestCarrier silent = assertFailedAfterTwoSilentAttempts("  submit_timeout: 1s\n", "  request_expiry: 10m\n");
        assertTrue(silent.isBound(), "a silent submit costs the message an attempt, not the session");
    }

    /** A carrier that never answers submits: the message is failed after two timed-out attempts, one submit each. */
    TestCarrier assertFailedAfterTwoSilentAttempts(String dispatchYaml, String smppYaml) throws Exception {
        gw = GatewayHarness.start(CARRIERS + "dispatch:\n  max_submit_attempts: 2\n" + dispatchYaml, smppYaml,
                java.time.Clock.systemUTC());
        TestCarrier silent = bind("alpha", "alpha-pw", s -> TestCarrier.SubmitAnswer.none());
        HttpResponse<String> r = gw.post("/api/v1/messages", "{\"to\":\"+447700900555\",\"content\":\"anyone?\"}");
        long id = new JsonObject(r.body()).getLong("id");
        await().atMost(Duration.ofSeconds(60)).until(() -> new JsonObject(gw.get("/api/v1/messages/" + id).body())
                .getString("dispatchState").equals("failed"));
        JsonObject m = new JsonObject(gw.get("/api/v1/messages/" + id).body());
        assertEquals(2, m.getInteger("submitAttempts"));
        assertTrue(m.getString("error").contains("timed out"), m.encode());
        assertEquals(2, silent.submitCount(), "one submit per attempt, no more");
        return silent;
    }

    @Test
    void longContentTravelsInMessagePayloadOfOneSubmitAndUcs2WhenNotGsm() throws Exception {
        gw = GatewayHarness.start(CARRIERS);
        TestCarrier alpha = bind("alpha", "alpha-pw", s -> TestCarrier.SubmitAnswer.ok("L" + System.nanoTime()));
        String gsmLong = "Dear customer, ".repeat(15) + "{end}";          // 230 characters, braces cost 2 septets
        String ucs2 = "Привет! Ваш заказ №4821 готов к выдаче. Спасибо, что выбрали нас! 😀"; // under 70 UTF-16 units
        String ucs2Long = ucs2 + " " + ucs2;
        for (String content : List.of(gsmLong, ucs2, ucs2Long)) {
            assertEquals(202, gw.post("/api/v1/messages", new JsonObject().put("to", "+447700900888").put("content", content)
                    .encode()).statusCode());
        }
        List<TestCarrier.ReceivedSubmit> got = alpha.awaitSubmits(3, Duration.ofSeconds(20));
        Map<String, SubmitSm> byContent = new HashMap<>();
        for (TestCarrier.ReceivedSubmit r : got) {
            SubmitSm pdu = r.pdu();
            byte[] bytes = pdu.getShortMessageLength() > 0 ? pdu.getShortMessage()
                    : pdu.getOptionalParameter(SmppConstants.TAG_MESSAGE_PAYLOAD).getValue();
            byContent.put(MessageDecoder.decode(pdu.getDataCoding(), bytes), pdu);
        }
        SubmitSm gsm = byContent.get(gsmLong);
        assertEquals(0x00, gsm.getDataCoding());
        assertEquals(0, gsm.getShortMessageLength(), "over 160 septets: nothing in short_message");
        assertTrue(gsm.getOptionalParameter(SmppConstants.TAG_MESSAGE_PAYLOAD) != null);
        SubmitSm single = byContent.get(ucs2);
        assertEquals(0x08, single.getDataCoding());
        assertTrue(ucs2.length() <= 70);
        assertEquals(ucs2.length() * 2, single.getShortMessageLength(), "up to 70 UCS-2 units fit one segment");
        SubmitSm multi = byContent.get(ucs2Long);
        assertEquals(0x08, multi.getDataCoding());
        assertEquals(0, multi.getShortMessageLength());
        assertEquals(3, byContent.size(), "each content arrives intact in one submit_sm");
    }
}
