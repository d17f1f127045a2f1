package io.dlrgate.gateway.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.gateway.intake.GatewayProcessMain;
import io.dlrgate.gateway.testing.JvmProcess;
import io.dlrgate.gateway.testing.TestCarrier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three instances on one PostgreSQL: one in a JVM of its own, killed with SIGKILL while its carrier holds its
 * submits unanswered, and two survivors in this JVM with carriers of their own. Once the dead instance's lease runs
 * out, exactly one survivor takes it over, and each of its in-flight messages is sent again exactly once; what the
 * survivors send meanwhile is sent once.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class InstanceKillTest {

    static final Duration WAIT = Duration.ofSeconds(90);
    static final Duration LEASE = Duration.ofSeconds(3);
    static final int IN_FLIGHT = 30;
    static final int MORE = 30;

    @TempDir
    Path dir;
    ClusterBed bed;
    JvmProcess child;

    @AfterEach
    void tearDown() {
        if (child != null) {
            child.close();
        }
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void aKilledInstancesInFlightMessagesAreResentOnceByOneSurvivorAfterItsLease() throws Exception {
        bed = new ClusterBed();
        String yaml = bed.yaml(LEASE, Duration.ofSeconds(60));
        Gateway survivor1 = bed.start(yaml);
        long survivor1Id = bed.newestInstance();
        Gateway survivor2 = bed.start(yaml);
        Set<Long> survivors = Set.of(survivor1Id, bed.newestInstance());

        Path config = Files.writeString(dir.resolve("gateway.yaml"), yaml);
        String classPath = JvmProcess.snapshotClassPath(Files.createDirectories(dir.resolve("classpath")));
        GatewayProcessMain.Child doomed = GatewayProcessMain.launch(classPath, config, "256m", dir.resolve("doomed.log"),
                Duration.ofSeconds(90));
        child = doomed.process();
        long doomedId = bed.newestInstance();

        // Only the doomed instance has a carrier yet: it claims every message, and its carrier answers none.
        TestCarrier mute = bed.holding(doomed.ports().smpp(), new AtomicBoolean(true));
        bed.queue(0, IN_FLIGHT);
        await().atMost(WAIT).until(() -> mute.submitCount() == IN_FLIGHT);
        assertEquals(IN_FLIGHT, bed.count("select count(*) from messages where dispatch_state = 'in_flight' "
                + "and claimed_by = " + doomedId));

        TestCarrier one = bed.answering(survivor1.smppPort());
        TestCarrier two = bed.answering(survivor2.smppPort());
        child.kill();
        mute.close();
        // Live traffic while the dead lease runs out: the survivors send it, once.
        bed.queue(IN_FLIGHT, MORE);

        await().atMost(WAIT).until(() -> bed.count("select count(*) from messages "
                + "where dispatch_state = 'submitted'") == IN_FLIGHT + MORE);
        Map<String, Integer> bySurvivors = ClusterBed.submitsPerNumber(List.of(one, two));
        System.out.printf("instance kill: dead instance %d taken over by %d; survivors sent %d messages (%d and %d)%n",
                doomedId, bed.count("select released_by from instances where id = " + doomedId), bySurvivors.size(),
                one.submitCount(), two.submitCount());
        assertEquals(IN_FLIGHT + MORE, bySurvivors.size(), "every message sent by a survivor");
        assertEquals(Map.of(), ClusterBed.moreThanOnce(bySurvivors), "each sent once by the survivors");
        assertTrue(survivors.contains(bed.count("select released_by from instances where id = " + doomedId)),
                "taken over by a survivor");
        assertEquals(1, bed.count("select count(*) from instances where id = " + doomedId
                + " and released_at >= lease_until"), "not taken over before its lease ran out");
        assertEquals(2, bed.count("select count(*) from instances where released_at is null"),
                "the survivors keep their leases");
    }
}
