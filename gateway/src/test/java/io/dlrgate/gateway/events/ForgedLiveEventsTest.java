package io.dlrgate.gateway.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.gateway.testing.EventLines;
import io.dlrgate.gateway.testing.SharedStore;
import io.dlrgate.reporting.notify.EventChannel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Anyone who may connect to the database may {@code NOTIFY dlrgate_events}. Payloads framed as a peer instance's
 * (a foreign origin), sent from a plain JDBC connection: those that are not events the gateway sends (an unknown
 * type, broken JSON, markup for a tab, a negative count, a campaign id that is text) reach no SSE client; a valid
 * one does, re-encoded from its checked fields (an extra field is not relayed).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ForgedLiveEventsTest {

    @Test
    void onlyEventsTheGatewaySendsAreRelayedFromTheChannel() throws Exception {
        try (SharedStore store = new SharedStore()) {
            BlockingQueue<String> lines = connectedStream(store.start());

            List<String> forged = List.of(
                    "alert {\"type\":\"alert\",\"html\":\"<script>alert(1)</script>\"}",
                    "queued {\"type\":\"queued\",\"campaignId\":1,",
                    "tabs {\"type\":\"tabs\",\"changes\":[{\"campaignId\":1,\"from\":\"pending\","
                            + "\"to\":\"<img src=x onerror=alert(1)>\",\"count\":1}]}",
                    "queued {\"type\":\"queued\",\"campaignId\":1,\"count\":-5}",
                    "queued {\"type\":\"queued\",\"campaignId\":\"<b>x</b>\",\"count\":1}",
                    "queued {\"type\":\"tabs\",\"campaignId\":1,\"count\":1}",
                    "queued null");
            String valid = "tabs {\"type\":\"tabs\",\"changes\":[{\"campaignId\":7,\"from\":\"pending\","
                    + "\"to\":\"delivered\",\"count\":2}],\"note\":\"<script>alert(1)</script>\"}";
            try (Connection c = DriverManager.getConnection(store.db().url());
                 PreparedStatement notify = c.prepareStatement("select pg_notify(?, ?)")) {
                for (String message : forged) {
                    notify(notify, message);
                }
                notify(notify, valid); // last: the listener hands notifications on in the order they came
            }

            List<String> events = new ArrayList<>();
            String data = EventLines.next(lines, l -> {
                if (l.startsWith("event: ")) {
                    events.add(l);
                }
                return l.startsWith("data: ");
            });
            assertEquals(List.of("event: tabs"), events, "the first event relayed is the valid one");
            assertEquals(new JsonObject().put("type", "tabs").put("changes", new JsonArray().add(new JsonObject()
                            .put("campaignId", 7).put("from", "pending").put("to", "delivered").put("count", 2))),
                    new JsonObject(data.substring("data: ".length())));
        }
    }

    @Test
    void relayedResyncsAreCoalescedNotDropped() throws Exception {
        try (SharedStore store = new SharedStore()) {
            BlockingQueue<String> lines = connectedStream(store.start());

            try (Connection c = DriverManager.getConnection(store.db().url());
                 PreparedStatement notify = c.prepareStatement("select pg_notify(?, ?)")) {
                for (int i = 0; i < 5; i++) { // each its own transaction: PostgreSQL folds only one's duplicates
                    notify(notify, LiveEvent.RESYNC.message());
                }
                notify(notify, "queued {\"type\":\"queued\",\"campaignId\":9,\"count\":1}");
            }

            List<String> events = new ArrayList<>();
            EventLines.next(lines, l -> l.startsWith("event: ") && events.add(l) && l.equals("event: queued"));
            assertEquals(List.of("event: resync", "event: queued"), events,
                    "one resync at once; the other four wait");
            EventLines.next(lines, "event: resync"::equals); // then the deferred one, for the other four
        }
    }

    /** The events stream of the instance, once it says it is connected. */
    private static BlockingQueue<String> connectedStream(Gateway g) throws Exception {
        BlockingQueue<String> lines = EventLines.open(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .build(), SharedStore.baseUrl(g), SharedStore.API_KEY);
        EventLines.next(lines, ": connected"::equals);
        return lines;
    }

    /** A notification framed as another instance's: {@code <origin> <message>}. */
    private static void notify(PreparedStatement notify, String message) throws Exception {
        notify.setString(1, EventChannel.NAME);
        notify.setString(2, "f0f0f0f0f0f0f0f0 " + message);
        notify.executeQuery().close();
    }
}
