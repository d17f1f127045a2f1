package io.dlrgate.gateway.expiry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.cloudhopper.smpp.SmppConstants;
import io.dlrgate.config.BindType;
import io.dlrgate.gateway.smpp.validity.ValidityPeriod;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.MutableClock;
import io.dlrgate.gateway.testing.TestCarrier;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Validity and expiry through the whole gateway, on a test clock: a real PostgreSQL, the HTTP API, a carrier bound
 * over SMPP on loopback, and the gateway's own sweeper thread.
 */
class ExpiryEndToEndTest {

    static final Instant T0 = Instant.parse("2026-11-27T09:00:00Z");
    static final Duration WAIT = Duration.ofSeconds(30);

    static String yaml(String latePolicy) {
        return """
                expiry:
                  grace: 5m
                  sweep_interval: 100ms
                  late_receipts: %s
                carriers:
                  - id: alpha
                    system_id: alpha
                    password: alpha-pw
                    prefixes: ["+44"]
                    default_validity: 48h
                """.formatted(latePolicy);
    }

    final MutableClock clock = new MutableClock(T0);
    GatewayHarness gw;
    final List<TestCarrier> carriers = new ArrayList<>();

    @AfterEach
    void tearDown() {
        carriers.forEach(TestCarrier::close);
        if (gw != null) {
            gw.close();
        }
    }

    TestCarrier bindAnsweringWithIds() {
        TestCarrier c = TestCarrier.to(gw.smppPort()).systemId("alpha").password("alpha-pw")
                .bindType(BindType.TRANSCEIVER)
                .onSubmit(s -> TestCarrier.SubmitAnswer.ok("id-" + s.getDestAddress().getAddress())).bind();
        carriers.add(c);
        return c;
    }

    long send(String to, String validity) throws Exception {
        return gw.sendSingle(to, "Your code is 4711", validity);
    }

    JsonObject message(long id) throws Exception {
        HttpResponse<String> r = gw.get("/api/v1/messages/" + id);
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    /** Waits until the sweeper thread has run twice more, so at least one full sweep saw the clock as it is now. */
    void awaitFullSweep() {
        ExpiryScheduler s = gw.gateway().expiry();
        long target = s.completedSweeps() + 2;
        await().atMost(WAIT).until(() -> s.completedSweeps() >= target);
    }

    @Test
    void tenMinuteValidityNeverAnsweredIsASoftBounceTenMinutesPlusGraceLaterNotBefore() throws Exception {
        gw = GatewayHarness.start(yaml("delivered_wins"), "", clock);
        TestCarrier alpha = bindAnsweringWithIds();
        long id = send("+447700900123", "PT10M");
        List<TestCarrier.ReceivedSubmit> submits = alpha.awaitSubmits(1, WAIT);
        // The clock stands still, so the relative validity_period on the wire is exactly the asked 10 minutes.
        assertEquals("000000001000000R", submits.get(0).pdu().getValidityPeriod());
        assertEquals(Duration.ofMinutes(10), ValidityPeriod.parseRelative(submits.get(0).pdu().getValidityPeriod(), T0));
        await().atMost(WAIT).until(() -> "submitted".equals(message(id).getString("dispatchState")));
        assertEquals(T0.plus(Duration.ofMinutes(10)).toString(), message(id).getString("validityDeadline"));

        clock.set(T0.plus(Duration.ofMinutes(10)));                       // deadline: grace still running
        awaitFullSweep();
        assertEquals("pending", message(id).getString("tab"));
        clock.set(T0.plus(Duration.ofMinutes(15)).minusSeconds(1));        // one second before deadline + grace
        awaitFullSweep();
        JsonObject before = message(id);
        assertEquals("pending", before.getString("tab"));
        assertNull(before.getString("finalBy"));

        clock.set(T0.plus(Duration.ofMinutes(15)).plusSeconds(1));         // one second after
        await().atMost(WAIT).until(() -> "soft-bounces".equals(message(id).getString("tab")));
        JsonObject after = message(id);
        assertEquals("EXPIRED", after.getString("stat"));
        assertEquals("expiry", after.getString("finalBy"));
        assertEquals(T0.plus(Duration.ofMinutes(15)).plusSeconds(1).toString(), after.getString("finalAt"));
        assertEquals(1, gw.gateway().expiry().expiredMessages());
    }

    @Test
    void validityPeriodOnTheWireFollowsThePerSendValidityAndTheCarrierDefault() throws Exception {
        gw = GatewayHarness.start(yaml("delivered_wins"), "", clock);
        TestCarrier alpha = bindAnsweringWithIds();
        send("+447700900201", "PT1H30M");
        send("+447700900202", "P2DT3H");
        send("+447700900203", null);                                      // carrier default 48h
        send("+447700900204", "P10D");                                    // capped by dispatch.max_validity (72h)
        List<TestCarrier.ReceivedSubmit> submits = alpha.awaitSubmits(4, WAIT);
        java.util.Map<String, String> vp = new java.util.HashMap<>();
        submits.forEach(s -> vp.put(s.destination(), s.pdu().getValidityPeriod()));
        assertEquals("000000013000000R", vp.get("447700900201"));
        assertEquals("000002030000000R", vp.get("447700900202"));
        assertEquals("000002000000000R", vp.get("447700900203"));
        assertEquals("000003000000000R", vp.get("447700900204"));
    }

    @Test
    void aMessageStillQueuedWhenItExpiresIsNeverSubmitted() throws Exception {
        gw = GatewayHarness.start(yaml("delivered_wins"), "", clock);
        long stale = send("+447700900301", "PT10M");                      // no carrier bound: it waits in the queue
        clock.advance(Duration.ofMinutes(16));
        await().atMost(WAIT).until(() -> "soft-bounces".equals(message(stale).getString("tab")));
        assertEquals("expired", message(stale).getString("dispatchState"));

        TestCarrier alpha = bindAnsweringWithIds();
        long fresh = send("+447700900302", "PT10M");
        alpha.awaitSubmits(1, WAIT);
        await().atMost(WAIT).until(() -> "submitted".equals(message(fresh).getString("dispatchState")));
        awaitFullSweep();
        assertEquals(List.of("447700900302"), alpha.destinations(), "the expired message was never submitted");
        assertEquals(0, message(stale).getInteger("submitAttempts"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"delivered_wins", "ignore"})
    void lateReceiptsOverSmpp(String policy) throws Exception {
        gw = GatewayHarness.start(yaml(policy), "", clock);
        TestCarrier alpha = bindAnsweringWithIds();
        long delivered = send("+447700900401", "PT10M");
        long undeliv = send("+447700900402", "PT10M");
        alpha.awaitSubmits(2, WAIT);
        await().atMost(WAIT).until(() -> "submitted".equals(message(delivered).getString("dispatchState"))
                && "submitted".equals(message(undeliv).getString("dispatchState")));
        clock.advance(Duration.ofMinutes(16));
        await().atMost(WAIT).until(() -> "soft-bounces".equals(message(delivered).getString("tab"))
                && "soft-bounces".equals(message(undeliv).getString("tab")));

        assertEquals(SmppConstants.STATUS_OK, alpha.sendDeliverSm(receipt("id-447700900401", "DELIVRD"))
                .getCommandStatus());
        assertEquals(SmppConstants.STATUS_OK, alpha.sendDeliverSm(receipt("id-447700900402", "UNDELIV"))
                .getCommandStatus());
        // deliver_sm_resp is sent only once the receipt is stored, so the outcome is in the store now.
        assertEquals(2, gw.count("select count(*) from receipts where outcome like 'late_after_expiry_%'"));
        JsonObject d = message(delivered);
        if (policy.equals("delivered_wins")) {
            assertEquals("delivered", d.getString("tab"));
            assertEquals("receipt", d.getString("finalBy"));
        } else {
            assertEquals("soft-bounces", d.getString("tab"));
            assertEquals("expiry", d.getString("finalBy"));
        }
        JsonObject u = message(undeliv);
        assertEquals("soft-bounces", u.getString("tab"), "a late UNDELIV never moves an expired message");
        assertEquals("EXPIRED", u.getString("stat"));
    }

    static com.cloudhopper.smpp.pdu.DeliverSm receipt(String id, String stat) {
        String dlvrd = "DELIVRD".equals(stat) ? "001" : "000";
        return TestCarrier.receipt("id:" + id + " sub:001 dlvrd:" + dlvrd + " submit date:2611270900 done date:"
                + "2611270930 stat:" + stat + " err:000 text:Your code");
    }
}
