package io.dlrgate.gateway.events;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dlrgate.gateway.metrics.GatewayMetrics;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every resync that goes to this instance's clients is counted once, by why: relayed from another instance (two
 * relayed within a second go out, and count, once each: the second deferred), or after the listening connection
 * was opened again. The store is not involved: nothing is published to the other instances here.
 */
class ResyncCountTest {

    final Vertx vertx = Vertx.vertx();
    final Map<String, Integer> counted = new ConcurrentHashMap<>();
    final GatewayMetrics metrics = new GatewayMetrics() {
        @Override
        public void liveEventsResync(String reason) {
            counted.merge(reason, 1, Integer::sum);
        }
    };
    final List<Object> sent = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        vertx.close();
    }

    @Test
    void eachResyncSentToTheClientsIsCountedByItsReason() {
        vertx.eventBus().consumer(EventBroadcast.ADDRESS, m -> sent.add(m.body()));
        EventBroadcast broadcast = new EventBroadcast(vertx, null, metrics);

        broadcast.received(LiveEvent.RESYNC.message());
        broadcast.received(LiveEvent.RESYNC.message());
        broadcast.received(LiveEvent.RESYNC.message()); // covered by the deferred one: sent and counted once
        assertEquals(Map.of(GatewayMetrics.RESYNC_PEER, 1), counted);
        await().atMost(Duration.ofSeconds(30)).until(() -> counted.get(GatewayMetrics.RESYNC_PEER) == 2);

        broadcast.missed();
        assertEquals(Map.of(GatewayMetrics.RESYNC_PEER, 2, GatewayMetrics.RESYNC_RECONNECT, 1), counted);
        await().atMost(Duration.ofSeconds(30)).until(() -> sent.size() == 3);
    }
}
