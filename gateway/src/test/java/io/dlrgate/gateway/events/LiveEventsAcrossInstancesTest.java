package io.dlrgate.gateway.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.gateway.testing.EventLines;
import io.dlrgate.gateway.testing.SharedStore;
import io.dlrgate.reporting.notify.EventListener;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two gateway instances on one PostgreSQL; an SSE client on instance A. Events caused on B reach it through the
 * store's LISTEN/NOTIFY; A's own events reach it once (not again as A's own notification); when A's listening
 * connection is killed (pg_terminate_backend), the client is told to resync (counted in
 * {@code dlrgate_live_events_resyncs_total}) and events flow again.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LiveEventsAcrossInstancesTest {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aClientOnOneInstanceSeesEventsOfTheOtherAndResyncsAfterItsListenerDrops() throws Exception {
        try (SharedStore store = new SharedStore()) {
            Gateway a = store.start();
            Gateway b = store.start();
            BlockingQueue<String> lines = EventLines.open(HTTP, SharedStore.baseUrl(a), SharedStore.API_KEY);
            EventLines.next(lines, ": connected"::equals);

            long onA = campaignSent(a, "+447700900001");
            assertEquals(queued(onA), EventLines.data(lines, "queued"), "A's own event");
            long onB = campaignSent(b, "+447700900002");
            assertEquals(queued(onB), EventLines.data(lines, "queued"),
                    "B's event on A's stream (not A's own a second time)");

            assertEquals(0.0, resyncs(a, "reconnect"));
            assertEquals(2, store.count("select count(pg_terminate_backend(pid)) from pg_stat_activity "
                    + "where datname = current_database() and application_name = '" + EventListener.APPLICATION_NAME
                    + "'"), "both instances' listening connections killed");
            assertEquals(new JsonObject().put("type", "resync"), EventLines.data(lines, "resync"));
            assertEquals(1.0, resyncs(a, "reconnect"), "the resync counted, by its reason");

            long later = campaignSent(b, "+447700900003");
            assertEquals(queued(later), EventLines.data(lines, "queued"), "B's events reach A's stream again");
        }
    }

    /** {@code dlrgate_live_events_resyncs_total{reason}} as the instance's /metrics shows it. */
    static double resyncs(Gateway g, String reason) {
        String prefix = "dlrgate_live_events_resyncs_total{reason=\"" + reason + "\"} ";
        return g.registry().scrape().lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()))).findFirst().orElse(-1);
    }

    static JsonObject queued(long campaign) {
        return new JsonObject().put("type", "queued").put("campaignId", campaign).put("count", 1);
    }

    /** A campaign created and sent to one number through this instance's API; its id. */
    static long campaignSent(Gateway g, String number) throws Exception {
        long id = new JsonObject(post(g, "/api/v1/campaigns", new JsonObject().put("name", "live " + number)
                .put("content", "hi").put("createdBy", "ana")).body()).getLong("id");
        HttpResponse<String> r = post(g, "/api/v1/campaigns/" + id + "/sends",
                new JsonObject().put("contacts", List.of(number)).put("sentBy", "ana"));
        assertEquals(202, r.statusCode(), r.body());
        return id;
    }

    static HttpResponse<String> post(Gateway g, String path, JsonObject body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(SharedStore.baseUrl(g) + path))
                .header("Authorization", "Bearer " + SharedStore.API_KEY).header("Content-Type", "application/json")
                .timeout(EventLines.WAIT).POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
