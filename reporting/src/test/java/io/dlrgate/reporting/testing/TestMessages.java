package io.dlrgate.reporting.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dlrgate.reporting.message.MessageStore;
import io.dlrgate.reporting.message.NewMessage;
import io.dlrgate.reporting.message.Source;
import java.time.Instant;

/** Messages in the states the writer's tests start from. */
public final class TestMessages {

    private TestMessages() {
    }

    /**
     * Queues one single send to {@code number} for {@code carrier} and claims it, as a dispatcher would: the message
     * is in flight, its submit_sm on the wire. The carrier must have nothing else queued.
     */
    public static long inFlight(MessageStore messages, String carrier, String number, Instant deadline)
            throws Exception {
        long id = messages.insert(new NewMessage(null, null, Source.API, number, "GB", "hi", carrier, deadline));
        assertEquals(1, messages.claim(carrier, 10).size(), "one message claimed for " + carrier);
        return id;
    }
}
