package io.dlrgate.gateway.dispatch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.tlv.Tlv;
import io.dlrgate.config.BindType;
import io.dlrgate.gateway.dispatch.encoding.MessageDecoder;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.TestCarrier;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Long messages over a real loopback SMPP session and a real PostgreSQL: each carrier's long_messages on the wire
 * (UDH with 8- and 16-bit references, SAR, message_payload), one id per part, per-part receipts deciding the
 * message's tab by the parts rule, and a timed-out part retried alone.
 */
class LongMessagesEndToEndTest {

    static final String CARRIERS = """
            dispatch:
              submit_timeout: 1s
              max_submit_attempts: 3
              throttle_retries: 1
            carriers:
              - id: alpha
                system_id: alpha
                password: alpha-pw
                prefixes: ["+44"]
              - id: beta
                system_id: beta
                password: beta-pw
                prefixes: ["+33"]
                udh_reference: 16
              - id: gamma
                system_id: gamma
                password: gamma-pw
                prefixes: ["+49"]
                long_messages: sar
              - id: delta
                system_id: delta
                password: delta-pw
                prefixes: ["+34"]
                long_messages: payload
            """;

    /** 400 GSM-7 septets with extension characters: three parts of 153 (two with a 16-bit reference would not do). */
    static final String LONG = ("Dear customer, your parcel {ref 4711} is on its way. Track it at our site ~ "
            + "pay EUR 5 \u20AC only if asked. ").repeat(4).substring(0, 390) + "[end]\u20AC";

    GatewayHarness gw;
    final List<TestCarrier> carriers = new ArrayList<>();
    final AtomicLong ids = new AtomicLong();

    @BeforeEach
    void start() throws Exception {
        gw = GatewayHarness.start(CARRIERS);
    }

    @AfterEach
    void stop() {
        carriers.forEach(TestCarrier::close);
        gw.close();
    }

    TestCarrier bind(String systemId) {
        return bind(systemId, s -> TestCarrier.SubmitAnswer.ok(systemId + "-" + ids.incrementAndGet()));
    }

    TestCarrier bind(String systemId, java.util.function.Function<SubmitSm, TestCarrier.SubmitAnswer> answer) {
        TestCarrier c = TestCarrier.to(gw.smppPort()).systemId(systemId).password(systemId + "-pw")
                .bindType(BindType.TRANSCEIVER).onSubmit(answer).bind();
        carriers.add(c);
        return c;
    }

    static String receipt(String id, String stat, String err) {
        return "id:" + id + " sub:001 dlvrd:001 submit date:2611271000 done date:2611271001 stat:" + stat
                + " err:" + err + " text:";
    }

    void deliver(TestCarrier c, String id, String stat, String err) throws Exception {
        assertEquals(0, c.sendDeliverSm(TestCarrier.receipt(receipt(id, stat, err))).getCommandStatus());
    }

    JsonObject message(long id) throws Exception {
        return new JsonObject(gw.get("/api/v1/messages/" + id).body());
    }

    void awaitTab(long id, String tab) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> tab.equals(message(id).getString("tab")));
    }

    /** A carrier answering each part with an id of its own, noting which id it gave which part (8-bit UDH). */
    TestCarrier bindNotingIds(String prefix, Map<Integer, String> byPart) {
        return bind("alpha", s -> {
            String id = prefix + ids.incrementAndGet();
            byPart.put((int) s.getShortMessage()[5], id);
            return TestCarrier.SubmitAnswer.ok(id);
        });
    }

    static String reassembleUdh(List<TestCarrier.ReceivedSubmit> submits) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        submits.stream().map(s -> s.pdu().getShortMessage())
                .sorted((a, b) -> Integer.compare(a[(a[0] & 0xFF)] & 0xFF, b[(b[0] & 0xFF)] & 0xFF))
                .forEach(sm -> all.write(sm, (sm[0] & 0xFF) + 1, sm.length - (sm[0] & 0xFF) - 1));
        return MessageDecoder.decode(0, all.toByteArray());
    }

    @Test
    void eightBitUdhPartsEachGetTheirIdAndPartTwoUndelivIsAHardBounce() throws Exception {
        Map<Integer, String> byPart = new ConcurrentHashMap<>();
        TestCarrier alpha = bindNotingIds("a-", byPart);
        long id = gw.sendSingle("+447700900001", LONG, null);
        List<TestCarrier.ReceivedSubmit> submits = alpha.awaitSubmits(3, Duration.ofSeconds(30));
        for (int i = 0; i < 3; i++) {
            SubmitSm pdu = submits.get(i).pdu();
            assertEquals(SmppConstants.ESM_CLASS_UDHI_MASK, pdu.getEsmClass() & SmppConstants.ESM_CLASS_UDHI_MASK);
            byte[] sm = pdu.getShortMessage();
            assertArrayEquals(new byte[] {0x05, 0x00, 0x03, (byte) id, 3, (byte) (i + 1)}, Arrays.copyOf(sm, 6),
                    "parts go in order, on one session, with the message's reference");
            assertNull(pdu.getOptionalParameter(SmppConstants.TAG_MESSAGE_PAYLOAD));
        }
        assertEquals(LONG, reassembleUdh(submits));
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> "submitted".equals(message(id).getString("dispatchState")));

        deliver(alpha, byPart.get(1), "DELIVRD", "000");
        deliver(alpha, byPart.get(2), "UNDELIV", "001");
        awaitTab(id, "hard-bounces");
        JsonObject m = message(id);
        assertEquals("1 of 3 parts failed: UNDELIV err 001", m.getString("reason"));
        JsonObject parts = m.getJsonObject("parts");
        assertEquals(3, parts.getInteger("total"));
        assertEquals(1, parts.getInteger("delivered"));
        assertEquals(1, parts.getInteger("failed"));
        assertEquals(1, parts.getInteger("pending"));
    }

    @Test
    void receiptsInReverseOrderAndDuplicatedDeliverTheMessageOnce() throws Exception {
        Map<Integer, String> byPart = new ConcurrentHashMap<>();
        TestCarrier alpha = bindNotingIds("r-", byPart);
        long id = gw.sendSingle("+447700900002", LONG, null);
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> "submitted".equals(message(id).getString("dispatchState")));
        for (int p : List.of(3, 3, 2)) {
            deliver(alpha, byPart.get(p), "DELIVRD", "000");
        }
        assertEquals("pending", message(id).getString("tab"));
        for (int p : List.of(2, 1, 1)) {
            deliver(alpha, byPart.get(p), "DELIVRD", "000");
        }
        awaitTab(id, "delivered");
        assertEquals("3 of 3 parts delivered", message(id).getString("reason"));
        assertEquals(1, gw.count("select count(*) from messages where tab = 'delivered'"));
    }

    @Test
    void sixteenBitReferenceOnTheWire() throws Exception {
        TestCarrier beta = bind("beta");
        long id = gw.sendSingle("+33612345678", LONG, null);
        List<TestCarrier.ReceivedSubmit> submits = beta.awaitSubmits(3, Duration.ofSeconds(30));
        for (int i = 0; i < 3; i++) {
            byte[] sm = submits.get(i).pdu().getShortMessage();
            assertArrayEquals(new byte[] {0x06, 0x08, 0x04, (byte) (id >>> 8), (byte) id, 3, (byte) (i + 1)},
                    Arrays.copyOf(sm, 7));
        }
        assertEquals(LONG, reassembleUdh(submits));
    }

    @Test
    void sarTlvsOnTheWire() throws Exception {
        TestCarrier gamma = bind("gamma");
        long id = gw.sendSingle("+4915112345678", LONG, null);
        List<TestCarrier.ReceivedSubmit> submits = gamma.awaitSubmits(3, Duration.ofSeconds(30));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < 3; i++) {
            SubmitSm pdu = submits.get(i).pdu();
            assertEquals(0, pdu.getEsmClass() & SmppConstants.ESM_CLASS_UDHI_MASK, "no UDH with SAR");
            Tlv ref = pdu.getOptionalParameter(SmppConstants.TAG_SAR_MSG_REF_NUM);
            assertNotNull(ref);
            assertEquals(id & 0xFFFF, ((ref.getValue()[0] & 0xFF) << 8) | (ref.getValue()[1] & 0xFF));
            assertEquals(3, pdu.getOptionalParameter(SmppConstants.TAG_SAR_TOTAL_SEGMENTS).getValue()[0]);
            assertEquals(i + 1, pdu.getOptionalParameter(SmppConstants.TAG_SAR_SEGMENT_SEQNUM).getValue()[0]);
            all.write(pdu.getShortMessage(), 0, pdu.getShortMessage().length);
        }
        assertEquals(LONG, MessageDecoder.decode(0, all.toByteArray()));
    }

    @Test
    void payloadKeepsOneSubmitAndASinglePartMessageIsUnchanged() throws Exception {
        TestCarrier delta = bind("delta");
        long longId = gw.sendSingle("+34612345678", LONG, null);
        TestCarrier alpha = bind("alpha");
        long shortId = gw.sendSingle("+447700900003", "Your code is 4711", null);
        SubmitSm payload = delta.awaitSubmits(1, Duration.ofSeconds(30)).get(0).pdu();
        assertEquals(0, payload.getShortMessageLength());
        assertNotNull(payload.getOptionalParameter(SmppConstants.TAG_MESSAGE_PAYLOAD));
        SubmitSm single = alpha.awaitSubmits(1, Duration.ofSeconds(30)).get(0).pdu();
        assertEquals(0, single.getEsmClass() & SmppConstants.ESM_CLASS_UDHI_MASK);
        assertEquals("Your code is 4711", MessageDecoder.decode(0, single.getShortMessage()));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                "submitted".equals(message(longId).getString("dispatchState"))
                        && "submitted".equals(message(shortId).getString("dispatchState")));
        Thread.sleep(300); // nothing more may come
        assertEquals(1, delta.submitCount());
        assertEquals(1, alpha.submitCount());
        assertFalse(message(longId).containsKey("parts"));
        String carrierId = message(shortId).getString("carrierMessageId");
        deliver(alpha, carrierId, "DELIVRD", "000");
        awaitTab(shortId, "delivered");
        assertEquals(0, gw.count("select count(*) from message_parts"));
    }

    @Test
    void aTimedOutPartIsRetriedAlone() throws Exception {
        AtomicInteger partTwoSeen = new AtomicInteger();
        TestCarrier alpha = bind("alpha", s -> {
            byte[] sm = s.getShortMessage();
            if (sm[5] == 2 && partTwoSeen.incrementAndGet() == 1) {
                return TestCarrier.SubmitAnswer.none(); // the first write of part 2 is never answered
            }
            return TestCarrier.SubmitAnswer.ok("t-" + ids.incrementAndGet());
        });
        long id = gw.sendSingle("+447700900004", LONG, null);
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> "submitted".equals(message(id).getString("dispatchState")));
        List<Integer> seqs = new ArrayList<>();
        alpha.submits().forEach(s -> seqs.add((int) s.pdu().getShortMessage()[5]));
        assertEquals(List.of(1, 2, 3, 2), seqs, "only part 2 went again");
        assertEquals(1, message(id).getInteger("submitAttempts"));
        assertTrue(gw.count("select count(*) from message_parts where message_id = " + id
                + " and carrier_message_id is not null") == 3);
    }
    /**
     * A part throttled more often than {@code dispatch.throttle_retries} puts its message back in the queue, as a
     * one-part message would be: the next attempt sends only that part. It used to fail the whole message as a
     * Hard bounce, so a busy carrier turned long messages into bounces and short ones not.
     */
    @Test
    void aPartThrottledPastItsRetriesGoesAgainInTheNextAttemptAlone() throws Exception {
        AtomicInteger partTwoSeen = new AtomicInteger();
        TestCarrier alpha = bind("alpha", s -> {
            byte[] sm = s.getShortMessage();
            if (sm[5] == 2 && partTwoSeen.incrementAndGet() <= 2) {
                return TestCarrier.SubmitAnswer.error(SmppConstants.STATUS_THROTTLED); // the first write and its retry
            }
            return TestCarrier.SubmitAnswer.ok("th-" + ids.incrementAndGet());
        });
        long id = gw.sendSingle("+447700900005", LONG, null);
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> "submitted".equals(message(id).getString("dispatchState")));
        assertEquals("pending", message(id).getString("tab"), "not failed by the throttle");
        assertEquals(2, message(id).getInteger("submitAttempts"), "one more attempt");
        List<Integer> parts = new ArrayList<>();
        alpha.submits().forEach(s -> parts.add((int) s.pdu().getShortMessage()[5]));
        assertEquals(3, parts.stream().filter(p -> p == 2).count(), "part 2: throttled, throttled, accepted " + parts);
        assertEquals(1, parts.stream().filter(p -> p == 1).count(), "part 1 went once " + parts);
    }
}
