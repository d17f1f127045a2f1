package io.dlrgate.gateway.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.Tab;
import io.dlrgate.reporting.notify.EventChannel;
import io.dlrgate.reporting.write.TabMove;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What one merge of queued changes becomes: counts summed per campaign and pair of tabs, split into events that each
 * fit a notification (PostgreSQL refuses payloads of 8000 bytes), and a resync instead when there is too much.
 */
class TabEventsMergeTest {

    @Test
    void movesAreSummedPerCampaignAndPairOfTabs() {
        List<Object> items = new ArrayList<>();
        items.add(List.of(new TabMove(7L, Tab.PENDING, Tab.DELIVERED, 3), new TabMove(null, Tab.PENDING,
                Tab.HARD_BOUNCES, 1)));
        items.add(List.of(new TabMove(7L, Tab.PENDING, Tab.DELIVERED, 2)));
        List<LiveEvent> events = TabEvents.merge(items, false);
        assertEquals(1, events.size());
        assertEquals(new JsonObject("{\"type\":\"tabs\",\"changes\":[{\"campaignId\":7,\"from\":\"pending\","
                + "\"to\":\"delivered\",\"count\":5},{\"campaignId\":null,\"from\":\"pending\","
                + "\"to\":\"hard-bounces\",\"count\":1}]}"), new JsonObject(events.get(0).json()));
    }

    @Test
    void moreChangesThanOneNotificationCarriesBecomeSeveralEventsThatEachFit() {
        List<Object> items = new ArrayList<>();
        int campaigns = 1_500;
        for (long c = 1; c <= campaigns; c++) {
            items.add(List.of(new TabMove(1_000_000_000L + c, Tab.PENDING, Tab.DELIVERED, 1)));
        }
        List<LiveEvent> events = TabEvents.merge(items, false);
        assertTrue(events.size() > 1, "split into " + events.size());
        int changes = 0;
        for (LiveEvent e : events) {
            assertEquals("tabs", e.type());
            assertTrue(e.message().getBytes(StandardCharsets.UTF_8).length <= EventChannel.MAX_MESSAGE_BYTES,
                    "an event of " + e.message().length() + " bytes");
            changes += new JsonObject(e.json()).getJsonArray("changes").size();
        }
        assertEquals(campaigns, changes, "every change in exactly one event");
    }

    @Test
    void tooManyDistinctChangesBecomeOneResync() {
        List<Object> items = new ArrayList<>();
        for (long c = 0; c <= TabEvents.MAX_KEYS; c++) {
            items.add(List.of(new TabMove(c, Tab.PENDING, Tab.DELIVERED, 1)));
        }
        assertEquals(List.of(LiveEvent.RESYNC), TabEvents.merge(items, false));
    }

    @Test
    void aPayloadThatWouldForgeStreamLinesIsNotAnEvent() {
        assertNull(LiveEvent.parse("tabs {}\n\nevent: x"));
        assertNull(LiveEvent.parse("Tabs {}"));
        assertNull(LiveEvent.parse("nospace"));
        assertEquals(new LiveEvent("resync", "{\"type\":\"resync\"}"), LiveEvent.parse(LiveEvent.RESYNC.message()));
    }

    @Test
    void theGatewaysOwnEventsPassTheChecksUnchanged() {
        List<LiveEvent> events = new ArrayList<>(List.of(LiveEvent.RESYNC,
                LiveEvent.of("queued", new JsonObject().put("campaignId", (Long) null).put("count", 3)),
                LiveEvent.of("queued", new JsonObject().put("campaignId", 7L).put("count", 1))));
        events.add(LiveEvent.of("tabs", new JsonObject().put("changes", new JsonArray().add(new JsonObject()
                .put("campaignId", 7L).put("from", "pending").put("to", "soft-bounces").put("count", 5L)))));
        for (LiveEvent e : events) {
            assertEquals(e, LiveEvent.parse(e.message()));
        }
    }
}
