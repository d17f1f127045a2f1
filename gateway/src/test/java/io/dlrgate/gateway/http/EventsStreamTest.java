package io.dlrgate.gateway.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.cloudhopper.smpp.SmppConstants;
import io.dlrgate.config.BindType;
import io.dlrgate.gateway.testing.EventLines;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.TestCarrier;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/events} as the README documents it, read as a client reads it: a campaign send is a
 * {@code queued} event with its count, and a receipt that moves a message is a {@code tabs} event with the move
 * aggregated per campaign and pair of tabs, with a count.
 */
class EventsStreamTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aSendAndAReceiptArriveAsQueuedAndTabsEvents() throws Exception {
        try (GatewayHarness gw = GatewayHarness.start("""
                carriers:
                  - {id: acme, system_id: acme, password: acme-pw, prefixes: ["+44"], max_submit_rate: 20000}
                """);
             TestCarrier acme = TestCarrier.to(gw.smppPort()).systemId("acme").password("acme-pw")
                     .bindType(BindType.TRANSCEIVER)
                     .onSubmit(s -> TestCarrier.SubmitAnswer.ok("acme-" + s.getDestAddress().getAddress())).bind()) {
            BlockingQueue<String> lines = EventLines.open(HttpClient.newHttpClient(), gw.baseUrl(),
                    GatewayHarness.API_KEY);
            assertEquals(": connected", EventLines.next(lines, l -> l.startsWith(":")), "the stream is open");

            long campaign = new JsonObject(gw.post("/api/v1/campaigns", new JsonObject().put("name", "Events")
                    .put("content", "hi").put("createdBy", "ana").encode()).body()).getLong("id");
            assertEquals(202, gw.post("/api/v1/campaigns/" + campaign + "/sends", new JsonObject()
                    .put("contacts", List.of("+447700900801")).put("sentBy", "ana").encode()).statusCode());
            assertEquals(new JsonObject().put("type", "queued").put("campaignId", campaign).put("count", 1),
                    EventLines.data(lines, "queued"));

            await().atMost(WAIT).until(() -> gw.count("select count(*) from messages where campaign_id = " + campaign
                    + " and dispatch_state = 'submitted'") == 1);
            assertEquals(SmppConstants.STATUS_OK, acme.sendDeliverSm(TestCarrier.receipt(
                    "id:acme-447700900801 sub:001 dlvrd:001 stat:DELIVRD err:000 text:hi")).getCommandStatus());
            assertEquals(new JsonObject().put("type", "tabs").put("changes", new io.vertx.core.json.JsonArray()
                            .add(new JsonObject().put("campaignId", campaign).put("from", "pending")
                                    .put("to", "delivered").put("count", 1))),
                    EventLines.data(lines, "tabs"));
        }
    }
}
