package io.dlrgate.gateway.smpp.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.pdu.SubmitSm;
import io.dlrgate.config.BindType;
import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.TestCarrier;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Stopping the gateway while its windows are full of submits a slow peer has taken but not yet answered: the
 * stop first lets the answers come (up to {@code dispatch.submit_timeout}, here 10 s, far more than the peers'
 * 300-800 ms), then unbinds. Before, it unbound at once: the peer answered the unbind before the submits, the
 * close requeued them, and after the restart they were submitted a second time. Both roles, over loopback, with
 * a real PostgreSQL and a real restart on the same database.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StopDrainTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final int MESSAGES = 60;
    /** window_size 10 on each of 2 binds. */
    static final int WINDOWS = 20;

    TestSmsc smsc;
    GatewayHarness gw;
    final List<TestCarrier> carriers = new ArrayList<>();

    @AfterEach
    void stop() {
        carriers.forEach(TestCarrier::close);
        if (gw != null) {
            gw.close();
        }
        if (smsc != null) {
            smsc.close();
        }
    }

    @Test
    void stoppingWithFullWindowsToASlowSmscSubmitsEveryMessageOnce() throws Exception {
        smsc = new TestSmsc("acme", "secret");
        smsc.answerDelayMs = 300;
        smsc.answerJitterMs = 500;
        gw = GatewayHarness.start(SmppClientTest.carrier(smsc.port(), "secret", "bind: transceiver", "sessions: 2"));
        await().atMost(WAIT).until(() -> smsc.boundOf(SmppBindType.TRANSCEIVER) == 2 && submitCapable() == 2);
        send();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(this::windowsFull);

        gw.gateway().close();
        try (Gateway again = Gateway.start(gw.gateway().config(), Clock.systemUTC())) {
            await().atMost(WAIT).until(() -> count("dispatch_state = 'submitted'") == MESSAGES
                    && count("tab = 'delivered'") == MESSAGES);
        }
        assertEachSubmittedOnce(smsc.submits.stream());
    }

    @Test
    void stoppingWithFullWindowsToASlowCarrierBoundInSubmitsEveryMessageOnce() throws Exception {
        gw = GatewayHarness.start("""
                carriers:
                  - id: acme
                    system_id: acme
                    password: secret
                    prefixes: ["+44"]
                    window_size: 10
                """);
        bindSlowCarrier(gw.smppPort());
        bindSlowCarrier(gw.smppPort());
        await().atMost(WAIT).until(() -> submitCapable() == 2);
        send();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(this::windowsFull);

        gw.gateway().close();
        try (Gateway again = Gateway.start(gw.gateway().config(), Clock.systemUTC())) {
            bindSlowCarrier(again.smppPort());
            await().atMost(WAIT).until(() -> count("dispatch_state = 'submitted'") == MESSAGES);
        }
        assertEachSubmittedOnce(received().stream());
    }

    private void bindSlowCarrier(int port) {
        carriers.add(TestCarrier.to(port).systemId("acme").password("secret").bindType(BindType.TRANSCEIVER)
                .answerDelay(Duration.ofMillis(300), Duration.ofMillis(500)).bind());
    }

    private List<SubmitSm> received() {
        List<SubmitSm> out = new ArrayList<>();
        carriers.forEach(c -> c.submits().forEach(s -> out.add(s.pdu())));
        return out;
    }

    private long submitCapable() {
        String carrier = gw.gateway().config().carriers().get(0).id();
        return gw.gateway().smpp().sessions().submitCapable(carrier).size();
    }

    /** One campaign send: the messages are queued at once, so the windows fill at once. */
    private void send() throws Exception {
        HttpResponse<String> c = gw.post("/api/v1/campaigns", new JsonObject().put("name", "stop")
                .put("content", "hello").put("createdBy", "ana").encode());
        assertEquals(201, c.statusCode(), c.body());
        List<String> contacts = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            contacts.add(String.format("+447700%06d", i));
        }
        HttpResponse<String> r = gw.post("/api/v1/campaigns/" + new JsonObject(c.body()).getLong("id") + "/sends",
                new JsonObject().put("contacts", contacts).put("sentBy", "ana").encode());
        assertEquals(202, r.statusCode(), r.body());
    }

    /** Every submit-capable window holds window_size unanswered submits. */
    private boolean windowsFull() {
        String carrier = gw.gateway().config().carriers().get(0).id();
        return gw.gateway().smpp().sessions().windowInUse(carrier) == WINDOWS;
    }

    private long count(String where) throws Exception {
        return gw.count("select count(*) from messages where " + where);
    }

    /** Counts submit_sm per message (each has its own destination) at the peer: each exactly once. */
    private static void assertEachSubmittedOnce(Stream<SubmitSm> submits) {
        Map<String, Integer> perMessage = new TreeMap<>();
        submits.forEach(s -> perMessage.merge(s.getDestAddress().getAddress(), 1, Integer::sum));
        Map<String, Integer> twice = new TreeMap<>(perMessage);
        twice.values().removeIf(n -> n == 1);
        assertEquals(Map.of(), twice, "messages the peer got more than once");
        assertEquals(MESSAGES, perMessage.size(), "every message reached the peer");
    }
}
