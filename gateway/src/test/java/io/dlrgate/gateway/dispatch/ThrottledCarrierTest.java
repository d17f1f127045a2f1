package io.dlrgate.gateway.dispatch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.PduResponse;
import io.dlrgate.config.BindType;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.TestCarrier;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A carrier that answers submit_sm with ESME_RTHROTTLED (or ESME_RMSGQFUL): the gateway slows down and sends again
 * instead of failing the message, and speeds up again once the carrier accepts. Over a real session on loopback, end
 * to end to the Delivered tab. Asserts on counts and on the effective rate the dispatcher reports, never on
 * wall-clock time.
 */
class ThrottledCarrierTest {

    static final int MAX_RATE = 500;
    static final Duration WAIT = Duration.ofSeconds(60);

    GatewayHarness gw;
    TestCarrier carrier;

    @AfterEach
    void tearDown() {
        if (carrier != null) {
            carrier.close();
        }
        if (gw != null) {
            gw.close();
        }
    }

    void start(String dispatchYaml, Function<com.cloudhopper.smpp.pdu.SubmitSm, TestCarrier.SubmitAnswer> answer)
            throws Exception {
        gw = GatewayHarness.start("""
                carriers:
                  - id: alpha
                    system_id: alpha
                    password: alpha-pw
                    prefixes: ["+44"]
                    window_size: 20
                    max_submit_rate: %d
                dispatch:
                %s""".formatted(MAX_RATE, dispatchYaml));
        carrier = TestCarrier.to(gw.smppPort()).systemId("alpha").password("alpha-pw")
                .bindType(BindType.TRANSCEIVER).onSubmit(answer).bind();
    }

    double throttledCounted() {
        return gw.gateway().registry().get("dlrgate.submit.throttled").tag("carrier", "alpha").counter().count();
    }

    @Test
    void throttledSubmitsAreSentAgainSlowerAndEveryMessageIsDelivered() throws Exception {
        int messages = 200;
        AtomicInteger seen = new AtomicInteger();
        AtomicInteger throttledAnswers = new AtomicInteger();
        List<String> acceptedIds = new CopyOnWriteArrayList<>();
        List<Double> rateAtEachSubmit = new CopyOnWriteArrayList<>();
        // One submit in five of the first fifty is throttled, then the carrier takes everything.
        start("  max_submit_attempts: 1\n", submit -> {
            rateAtEachSubmit.add(gw.gateway().dispatcher().effectiveRate("alpha"));
            int n = seen.getAndIncrement();
            if (n < 50 && n % 5 == 4) {
                throttledAnswers.incrementAndGet();
                return TestCarrier.SubmitAnswer.error(SmppConstants.STATUS_THROTTLED);
            }
            String id = "t" + n;
            acceptedIds.add(id);
            return TestCarrier.SubmitAnswer.ok(id);
        });
        List<String> contacts = new java.util.ArrayList<>();
        for (int i = 0; i < messages; i++) {
            contacts.add(String.format("+447700%06d", i));
        }
        HttpResponse<String> r = gw.post("/api/v1/campaigns", new JsonObject().put("name", "throttled")
                .put("content", "hello").put("createdBy", "qa").encode());
        long campaign = new JsonObject(r.body()).getLong("id");
        r = gw.post("/api/v1/campaigns/" + campaign + "/sends",
                new JsonObject().put("contacts", new JsonArray(contacts)).put("sentBy", "qa").encode());
        assertEquals(202, r.statusCode(), r.body());

        // Every message settled at submit, and none of them failed (with max_submit_attempts 1, a throttled answer
        // that cost the attempt would fail its message).
        await().atMost(WAIT).until(() -> gw.count(
                "select count(*) from messages where dispatch_state in ('submitted', 'failed')") == messages);
        assertEquals(0, gw.count("select count(*) from messages where dispatch_state = 'failed'"), "failed at submit");
        for (String id : acceptedIds) {
            PduResponse resp = carrier.sendDeliverSm(TestCarrier.receipt("id:" + id + " sub:001 dlvrd:001 "
                    + "submit date:2401011200 done date:2401011205 stat:DELIVRD err:000 text:hello"), WAIT);
            assertEquals(SmppConstants.STATUS_OK, resp.getCommandStatus());
        }
        await().atMost(WAIT).until(() -> gw.count("select count(*) from messages where tab = 'delivered'") == messages);
        assertEquals(0, gw.count("select count(*) from messages where dispatch_state = 'failed'"));

        assertEquals(10, throttledAnswers.get());
        assertEquals(messages + 10, carrier.destinations().size(), "each throttled submit sent once more");
        assertEquals(10.0, throttledCounted(), "dlrgate_submit_throttled_total");
        double lowest = rateAtEachSubmit.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        System.out.printf("effective rate: %d/s configured, lowest %.1f/s while throttled%n", MAX_RATE, lowest);
        assertTrue(lowest < MAX_RATE / 2.0, "the rate went down while throttled: lowest " + lowest);
        assertEquals(MAX_RATE, rateAtEachSubmit.get(0), 0.0, "full rate before any throttle");
        // Without throttles the rate comes back with time (the arithmetic, up to the full rate, is
        // AdaptiveSubmitRateTest's): here it only has to be seen rising.
        double settled = gw.gateway().dispatcher().effectiveRate("alpha");
        await().atMost(WAIT).until(() -> gw.gateway().dispatcher().effectiveRate("alpha") > settled
                || settled == MAX_RATE);
    }

    @Test
    void aSubmitThrottledForeverEndsLikeAnyOtherAfterTheBoundedRetries() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        start("  max_submit_attempts: 2\n  throttle_retries: 2\n", submit -> {
            seen.incrementAndGet();
            return TestCarrier.SubmitAnswer.error(SmppConstants.STATUS_THROTTLED);
        });
        long id = gw.sendSingle("+447700900123", "never through", null);
        await().atMost(WAIT).until(() -> "failed".equals(message(id).getString("dispatchState")));
        JsonObject m = message(id);
        assertEquals("hard-bounces", m.getString("tab"));
        assertTrue(m.getString("error").contains("ESME_RTHROTTLED") && m.getString("error").contains("after 2 attempts"),
                m.encode());
        // (1 + throttle_retries) submits per attempt, max_submit_attempts attempts, and not one more
        assertEquals(6, seen.get());
        assertEquals(6.0, throttledCounted());
        assertTrue(gw.gateway().dispatcher().effectiveRate("alpha") < MAX_RATE);
    }

    @Test
    void aFullMessageQueueIsTreatedLikeAThrottleSentAgainAndNotFailed() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        // ESME_RMSGQFUL twice, then accepted: with one attempt allowed, only a resend (not a retry that costs the
        // attempt, nor a failure) gets the message through.
        start("  max_submit_attempts: 1\n", submit -> seen.getAndIncrement() < 2
                ? TestCarrier.SubmitAnswer.error(SmppConstants.STATUS_MSGQFUL)
                : TestCarrier.SubmitAnswer.ok("q1"));
        long id = gw.sendSingle("+447700900124", "queue full, then through", null);
        await().atMost(WAIT).until(() -> List.of("submitted", "failed")
                .contains(message(id).getString("dispatchState")));
        assertEquals("submitted", message(id).getString("dispatchState"), message(id).encode());
        assertEquals(3, seen.get(), "sent again after each ESME_RMSGQFUL");
        assertEquals(2.0, throttledCounted(), "dlrgate_submit_throttled_total counts ESME_RMSGQFUL");
        assertTrue(gw.gateway().dispatcher().effectiveRate("alpha") < MAX_RATE, "the rate went down");
    }

    JsonObject message(long id) throws Exception {
        return new JsonObject(gw.get("/api/v1/messages/" + id).body());
    }
}
