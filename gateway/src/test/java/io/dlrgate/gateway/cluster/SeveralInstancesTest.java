package io.dlrgate.gateway.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.gateway.testing.TestCarrier;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two gateway instances in this JVM on one PostgreSQL, each with a carrier bound over loopback that counts the
 * submit_sm it gets per message. A second instance starting leaves the first one's in-flight messages alone (before
 * leases it requeued every in-flight message at start, and they were sent again); an instance stopping cleanly
 * releases its lease at once.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SeveralInstancesTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final int IN_FLIGHT = 20;

    ClusterBed bed;

    @AfterEach
    void tearDown() {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void aSecondInstanceStartingDoesNotResendTheFirstOnesInFlightMessages() throws Exception {
        bed = new ClusterBed();
        String yaml = bed.yaml(Duration.ofSeconds(3), Duration.ofSeconds(60));
        Gateway first = bed.start(yaml);
        long firstId = bed.newestInstance();
        AtomicBoolean hold = new AtomicBoolean(true);
        TestCarrier slow = bed.holding(first.smppPort(), hold);
        bed.queue(0, IN_FLIGHT);
        await().atMost(WAIT).until(() -> slow.submitCount() == IN_FLIGHT);

        Gateway second = bed.start(yaml);
        long secondId = bed.newestInstance();
        TestCarrier fast = bed.answering(second.smppPort());
        // The second instance has started (and looked for dead instances at start) and beaten a few times since;
        // the first one's dispatcher has polled the queue many times over (idle_poll 100ms).
        await().atMost(WAIT).until(() -> bed.heartbeatsOf(secondId) >= 6);

        assertEquals(Map.of(), ClusterBed.moreThanOnce(ClusterBed.submitsPerNumber(List.of(slow, fast))),
                "in-flight messages of the first instance sent again");
        assertEquals(0, fast.submitCount(), "the second instance sent the first one's messages");
        assertEquals(IN_FLIGHT, bed.count("select count(*) from messages where dispatch_state = 'in_flight' "
                + "and claimed_by = " + firstId));

        // The first instance's carrier answers at last; more traffic goes through both instances.
        hold.set(false);
        ClusterBed.answerAll(slow);
        bed.queue(IN_FLIGHT, 30);
        await().atMost(WAIT).until(() -> bed.count("select count(*) from messages "
                + "where dispatch_state = 'submitted'") == IN_FLIGHT + 30);
        Map<String, Integer> perNumber = ClusterBed.submitsPerNumber(List.of(slow, fast));
        assertEquals(IN_FLIGHT + 30, perNumber.size());
        assertEquals(Map.of(), ClusterBed.moreThanOnce(perNumber), "each message submitted once");
        assertEquals(2, bed.count("select count(*) from instances where released_at is null and lease_until > now()"));
    }

    /**
     * The stopping instance's carrier never answers: its stop drains what it can (up to submit_timeout), and what is
     * left in flight goes back to the queue at once, for the other instance to send. The lease is long (60 s): the
     * stopped instance released itself, nobody took it over.
     */
    @Test
    void aCleanStopReleasesItsLeaseWithoutWaitingForItToRunOut() throws Exception {
        bed = new ClusterBed();
        String yaml = bed.yaml(Duration.ofSeconds(60), Duration.ofSeconds(2));
        Gateway stopping = bed.start(yaml);
        long stoppingId = bed.newestInstance();
        Gateway staying = bed.start(yaml);
        long stayingId = bed.newestInstance();
        TestCarrier mute = bed.holding(stopping.smppPort(), new AtomicBoolean(true));
        bed.queue(0, IN_FLIGHT);
        await().atMost(WAIT).until(() -> mute.submitCount() >= IN_FLIGHT);

        TestCarrier fast = bed.answering(staying.smppPort());
        stopping.close();

        assertEquals(stoppingId, bed.count("select released_by from instances where id = " + stoppingId),
                "released by itself, not taken over");
        assertEquals(1, bed.count("select count(*) from instances where id = " + stoppingId
                + " and released_at < lease_until"), "released before its lease ran out");
        assertEquals(0, bed.count("select count(*) from messages where dispatch_state = 'in_flight' and claimed_by = "
                + stoppingId));
        await().atMost(WAIT).until(() -> bed.count("select count(*) from messages "
                + "where dispatch_state = 'submitted'") == IN_FLIGHT);
        Map<String, Integer> atFast = ClusterBed.submitsPerNumber(List.of(fast));
        assertEquals(IN_FLIGHT, atFast.size(), "the staying instance sent what the stopped one left");
        assertEquals(Map.of(), ClusterBed.moreThanOnce(atFast), "each once by the staying instance");
        assertEquals(1, bed.count("select count(*) from instances where released_at is null and id = " + stayingId));
        assertTrue(bed.count("select count(*) from instances where released_by <> id") == 0, "no takeover");
    }
}
