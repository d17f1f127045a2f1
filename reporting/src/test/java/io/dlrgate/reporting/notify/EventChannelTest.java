package io.dlrgate.reporting.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The framing of notifications: a process's own are dropped, a peer's kept, an over-long one refused. */
class EventChannelTest {

    @Test
    void aProcessDropsItsOwnNotificationsAndKeepsAPeers() {
        EventChannel mine = EventChannel.withNewOrigin();
        EventChannel peer = EventChannel.withNewOrigin();
        assertNull(mine.unframe(mine.frame("tabs {}")));
        assertEquals("tabs {}", mine.unframe(peer.frame("tabs {}")));
        assertNull(mine.unframe("unframed"));
    }

    @Test
    void aMessageOverWhatANotificationCarriesIsRefused() {
        EventChannel c = EventChannel.withNewOrigin();
        String fits = "x".repeat(EventChannel.MAX_MESSAGE_BYTES);
        assertEquals(fits, EventChannel.withNewOrigin().unframe(c.frame(fits)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.frame(fits + "é"));
        assertEquals("an event of 7902 bytes is over the 7900 bytes a notification carries: split it",
                e.getMessage());
    }
}
