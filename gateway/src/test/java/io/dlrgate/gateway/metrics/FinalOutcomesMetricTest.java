package io.dlrgate.gateway.metrics;

import static io.dlrgate.gateway.metrics.MetricsEndpointTest.assertOk;
import static io.dlrgate.gateway.metrics.MetricsEndpointTest.receipt;
import static io.dlrgate.gateway.metrics.MetricsEndpointTest.sum;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.cloudhopper.smpp.SmppConstants;
import io.dlrgate.config.BindType;
import io.dlrgate.gateway.metrics.MetricsEndpointTest.Exposition;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.MutableClock;
import io.dlrgate.gateway.testing.TestCarrier;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code dlrgate_messages_finalized_total{carrier,tab,cause}} through a real gateway: one message to each final
 * outcome that exists today (a final receipt, the gateway's own expiry on the injected clock, a submit the carrier
 * rejects, a submit never answered), plus a duplicate of the final receipt and a late DELIVRD after the expiry,
 * which must not count again: each message is counted once, when it first reaches a final tab.
 */
class FinalOutcomesMetricTest {

    static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String CONFIG = """
            expiry: {grace: 0s, sweep_interval: 100ms}
            dispatch: {max_submit_attempts: 1}
            carriers:
              - {id: acme, system_id: acme, password: acme-pw, prefixes: ["+44"]}
              - {id: idle, system_id: idle, password: idle-pw, prefixes: ["+33"]}
            """;
    static final String DELIVERED = "+447700900001";
    static final String REJECTED = "+447700900002";
    static final String SILENT = "+447700900003";
    static final String EXPIRING = "+447700900004";

    final MutableClock clock = new MutableClock(T0);
    GatewayHarness gw;
    TestCarrier acme;

    @AfterEach
    void tearDown() {
        if (acme != null) {
            acme.close();
        }
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void eachMessageIsCountedOnceByTheCauseThatMadeItFinal() throws Exception {
        gw = GatewayHarness.start(CONFIG, "  request_expiry: 1s\n", clock);
        acme = TestCarrier.to(gw.smppPort()).systemId("acme").password("acme-pw").bindType(BindType.TRANSCEIVER)
                .onSubmit(s -> switch ("+" + s.getDestAddress().getAddress()) {
                    case REJECTED -> TestCarrier.SubmitAnswer.error(SmppConstants.STATUS_INVDSTADR);
                    case SILENT -> TestCarrier.SubmitAnswer.none();
                    default -> TestCarrier.SubmitAnswer.ok("acme-" + s.getDestAddress().getAddress());
                })
                .bind();
        long delivered = gw.sendSingle(DELIVERED, "hello", null);
        long rejected = gw.sendSingle(REJECTED, "hello", null);
        long silent = gw.sendSingle(SILENT, "hello", null);
        long expiring = gw.sendSingle(EXPIRING, "hello", "PT10M");
        await().atMost(WAIT).until(() -> "failed".equals(message(silent).getString("dispatchState"))
                && "failed".equals(message(rejected).getString("dispatchState"))
                && "submitted".equals(message(expiring).getString("dispatchState"))
                && "submitted".equals(message(delivered).getString("dispatchState")));

        assertOk(acme.sendDeliverSm(receipt("acme-" + DELIVERED.substring(1), "DELIVRD", "000")));
        assertOk(acme.sendDeliverSm(receipt("acme-" + DELIVERED.substring(1), "DELIVRD", "000")));  // duplicate
        clock.set(T0.plus(Duration.ofMinutes(11)));
        await().atMost(WAIT).until(() -> "soft-bounces".equals(message(expiring).getString("tab")));
        assertOk(acme.sendDeliverSm(receipt("acme-" + EXPIRING.substring(1), "DELIVRD", "000")));  // late
        await().atMost(WAIT).until(() -> "delivered".equals(message(expiring).getString("tab")));
        await().atMost(WAIT).until(() -> scrape().value("dlrgate_receipts_late_total", "carrier", "acme", "result",
                "applied") == 1);

        Exposition m = scrape();
        assertEquals(1, finalized(m, "delivered", "receipt"));
        assertEquals(1, finalized(m, "soft-bounces", "gateway-expiry"), "the late DELIVRD is not a second outcome");
        assertEquals(1, finalized(m, "hard-bounces", "submit-rejected"));
        assertEquals(1, finalized(m, "hard-bounces", "submit-timeout"));
        assertEquals(0, finalized(m, "hard-bounces", "submit-failed"));
        assertEquals(0, finalized(m, "hard-bounces", "receipt"), "registered at 0 from the start");
        assertEquals(4, sum(m, "dlrgate_messages_finalized_total", Map.of("carrier", "acme")), "one per message");
        assertEquals(0, sum(m, "dlrgate_messages_finalized_total", Map.of("carrier", "idle")));
        assertEquals(1, m.value("dlrgate_receipts_duplicate_total", "carrier", "acme"));
        assertEquals(1, m.value("dlrgate_expiries_total", "carrier", "acme"));
        MetricsEndpointTest.assertStructure(m);
    }

    static double finalized(Exposition m, String tab, String cause) {
        return m.value("dlrgate_messages_finalized_total", "carrier", "acme", "tab", tab, "cause", cause);
    }

    JsonObject message(long id) throws Exception {
        return new JsonObject(gw.get("/api/v1/messages/" + id).body());
    }

    Exposition scrape() throws Exception {
        return MetricsEndpointTest.scrape(gw);
    }
}
