package io.dlrgate.gateway.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppConstants;
import io.dlrgate.config.BindType;
import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.gateway.testing.TcpProxy;
import io.dlrgate.gateway.testing.TestCarrier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Carrier limits that hold across three gateway instances in this JVM on one PostgreSQL, with carriers bound over
 * loopback: {@code max_binds} counts the binds of every instance, and {@code max_submit_rate} is what the carrier
 * gets from all of them together, not from each.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CarrierLimitsAcrossInstancesTest {

    static final Duration WAIT = Duration.ofSeconds(60);

    ClusterBed bed;

    @AfterEach
    void tearDown() {
        if (bed != null) {
            bed.close();
        }
    }

    String yaml(String limits) {
        return bed.yaml(Duration.ofSeconds(3), Duration.ofSeconds(60)).replace("    max_binds: 8\n", limits);
    }

    static TestCarrier.Builder acme(Gateway g) {
        return TestCarrier.to(g.smppPort()).systemId("acme").password("acme-pw").bindType(BindType.TRANSCEIVER);
    }

    @Test
    void maxBindsAdmitsExactlyThatManyBindsOverAllInstances() throws Exception {
        bed = new ClusterBed();
        String yaml = yaml("    max_binds: 4\n");
        Gateway a = bed.start(yaml);
        Gateway b = bed.start(yaml);
        Gateway c = bed.start(yaml);
        List<TestCarrier> bound = new ArrayList<>();
        for (Gateway g : List.of(a, a, b, c)) {
            bound.add(acme(g).bind());
        }
        bed.carriers.addAll(bound);
        // A fifth bind is refused whichever instance it reaches, though none of them has 4 binds of its own.
        for (Gateway g : List.of(a, b, c)) {
            assertEquals(SmppConstants.STATUS_BINDFAIL, acme(g).bindExpectingFailure(), "fifth bind on " + g);
        }
        assertEquals(4, bed.count("select count(*) from carrier_binds"));

        // One unbinds: its place is free for a bind on another instance, and only for one.
        bound.get(0).unbind(Duration.ofSeconds(5));
        await().atMost(WAIT).until(() -> bed.count("select count(*) from carrier_binds") == 3);
        bed.carriers.add(acme(c).bind());
        assertEquals(SmppConstants.STATUS_BINDFAIL, acme(b).bindExpectingFailure());
        assertEquals(4, bed.count("select count(*) from carrier_binds"));
    }

    /**
     * The messages are queued first, then a carrier binds to each instance in turn: the first sends at the whole
     * rate, and each newcomer waits until the others lowered their shares. Small claim batches, so that every
     * instance gets messages to send.
     */
    @Test
    void theBusiestSecondOverAllInstancesStaysWithinMaxSubmitRate() throws Exception {
        int rate = 60; // low enough for this machine to send three times as fast without the split
        int messages = 240; // four seconds at the full rate
        bed = new ClusterBed();
        String yaml = yaml("    max_binds: 8\n    max_submit_rate: " + rate + "\n")
                .replace("  idle_poll: 100ms\n", "  idle_poll: 100ms\n  batch_size: 20\n");
        List<Gateway> gateways = List.of(bed.start(yaml), bed.start(yaml), bed.start(yaml));
        bed.queue(0, messages);
        List<TestCarrier> carriers = new ArrayList<>();
        for (Gateway g : gateways) {
            carriers.add(bed.answering(g.smppPort()));
        }
        await().atMost(WAIT).until(() -> bed.count("select count(*) from messages "
                + "where dispatch_state = 'submitted'") == messages);
        // By now every instance has seen the other two bound and sends at its third of the rate (less the two a
        // second each instance keeps for its pacing's granularity).
        await().atMost(WAIT).until(() -> gateways.stream()
                .allMatch(g -> Math.abs(g.dispatcher().effectiveRate(ClusterBed.CARRIER) - (rate / 3.0 - 2)) < 0.01));

        Map<String, Integer> perNumber = ClusterBed.submitsPerNumber(carriers);
        assertEquals(messages, perNumber.size());
        assertEquals(Map.of(), ClusterBed.moreThanOnce(perNumber), "each message submitted once");
        List<Long> at = new ArrayList<>();
        carriers.forEach(car -> car.submits().forEach(s -> at.add(s.receivedNanos())));
        int busiest = busiestSecond(at);
        System.out.printf("max_submit_rate %d over 3 instances: busiest second %d submits (per instance: %s)%n", rate,
                busiest, carriers.stream().map(TestCarrier::submitCount).toList());
        assertTrue(busiest <= rate * 1.05, "busiest second " + busiest + " over " + rate + " + 5%");
        assertTrue(carriers.stream().allMatch(car -> car.submitCount() > 0), "every instance sent some");
    }

    /**
     * Without the database no instance can count a carrier's binds: a bind is refused with a system error (which
     * carriers retry), the sessions already bound stay, and binds are admitted again once it is back.
     */
    @Test
    void aBindIsRefusedWithASystemErrorWhileTheDatabaseIsUnreachable() throws Exception {
        bed = new ClusterBed();
        try (TcpProxy proxy = TcpProxy.inFrontOf(bed.db.url())) {
            Gateway g = bed.start(yaml("    max_binds: 4\n").replace(bed.db.url(), proxy.jdbcUrl(bed.db.url())));
            TestCarrier first = acme(g).bind();
            bed.carriers.add(first);

            proxy.cut();
            assertEquals(SmppConstants.STATUS_SYSERR, acme(g).bindTimeout(Duration.ofSeconds(15))
                    .bindExpectingFailure());
            assertTrue(first.isBound(), "a session bound before the outage stays bound");

            proxy.restore();
            await().atMost(WAIT).until(() -> {
                try {
                    bed.carriers.add(acme(g).bind());
                    return true;
                } catch (RuntimeException refusedWhileTheLeaseRecovers) {
                    return false;
                }
            });
            assertEquals(2, bed.count("select count(*) from carrier_binds"));
        }
    }

    /** The most submits any one-second window holds (windows start at every submit). */
    static int busiestSecond(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(null);
        int most = 0;
        int end = 0;
        for (int start = 0; start < sorted.size(); start++) {
            while (end < sorted.size() && sorted.get(end) - sorted.get(start) < TimeUnit.SECONDS.toNanos(1)) {
                end++;
            }
            most = Math.max(most, end - start);
        }
        return most;
    }
}
