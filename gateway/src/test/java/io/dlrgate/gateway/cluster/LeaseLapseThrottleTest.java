package io.dlrgate.gateway.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.SubmitSmResp;
import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.gateway.testing.TestCarrier;
import io.dlrgate.reporting.cluster.InstanceStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A throttled answer that crosses a takeover: the submit was claimed under the instance's old lease, the lease was
 * taken over (its message requeued, and claimed again under the new lease), and only then the carrier answers the
 * first submit "throttled". The submit held to be written again must not be written under the new lease: the
 * message it belongs to was requeued and is being sent already.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LeaseLapseThrottleTest {

    static final Duration WAIT = Duration.ofSeconds(60);

    final ClusterBed bed = new ClusterBed();

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void aThrottledSubmitClaimedUnderALeaseTakenOverIsNotWrittenAgain() throws Exception {
        Gateway a = bed.start(bed.yaml(Duration.ofSeconds(60), Duration.ofSeconds(60)));
        long old = bed.newestInstance();
        AtomicBoolean hold = new AtomicBoolean(true);
        TestCarrier carrier = bed.holding(a.smppPort(), hold);
        bed.queue(0, 1);
        carrier.awaitSubmits(1, WAIT);

        // Taken over while alive (as after a long pause): its lease run out, a survivor requeues its message.
        InstanceStore survivor = new InstanceStore(bed.db.database().dataSource());
        await().atMost(WAIT).until(() -> {
            bed.count("with u as (update instances set lease_until = now() - interval '1 minute' where id = " + old
                    + " returning 1) select count(*) from u");
            return survivor.takeOverDead(0, null).instances().contains(old); // a heartbeat may renew it first
        });
        // The instance registers anew and claims the requeued message again under its new lease.
        carrier.awaitSubmits(2, WAIT);

        // Only now the first submit is answered "throttled": it is held to be written again, under its old lease.
        SubmitSmResp throttled = carrier.submits().get(0).pdu().createResponse();
        throttled.setCommandStatus(SmppConstants.STATUS_THROTTLED);
        carrier.session().sendResponsePdu(throttled);
        hold.set(false);
        // A held submit goes before anything new is claimed: once the next message is written, the held one was.
        bed.queue(1, 1);
        await().atMost(WAIT).until(() -> numbers(carrier).contains(ClusterBed.number(1)));

        assertEquals(List.of(ClusterBed.number(0), ClusterBed.number(0), ClusterBed.number(1)), numbers(carrier),
                "the submit claimed under the lost lease is not written again");
    }

    /** The numbers the carrier got submits for, in arrival order, as queued (with their +). */
    static List<String> numbers(TestCarrier carrier) {
        return carrier.destinations().stream().map(d -> d.startsWith("+") ? d : "+" + d).toList();
    }
}
