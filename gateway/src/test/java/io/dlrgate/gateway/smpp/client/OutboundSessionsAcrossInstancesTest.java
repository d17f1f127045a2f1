package io.dlrgate.gateway.smpp.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppBindType;
import io.dlrgate.config.ConfigLoader;
import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.gateway.intake.GatewayProcessMain;
import io.dlrgate.gateway.smpp.SessionDirection;
import io.dlrgate.gateway.testing.JvmProcess;
import io.dlrgate.reporting.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbound sessions of a {@code connect} carrier spread over several instances on one PostgreSQL, each bound
 * once: a real SMSC on loopback ({@link TestSmsc}) counts the binds it holds all along, and never holds more than
 * {@code connect.sessions}. One instance runs in a JVM of its own and is killed with SIGKILL: its session is bound
 * again by a survivor, only after its lease ran out. Takes about 15 s: a child JVM's start is most of it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OutboundSessionsAcrossInstancesTest {

    static final Duration WAIT = Duration.ofSeconds(90);
    static final int SESSIONS = 3;

    @TempDir
    Path dir;
    TestDatabase db;
    TestSmsc smsc;
    JvmProcess child;
    final List<Gateway> gateways = new ArrayList<>();
    final AtomicBoolean watching = new AtomicBoolean(true);
    final AtomicLong mostBound = new AtomicLong();

    @AfterEach
    void tearDown() {
        watching.set(false);
        if (child != null) {
            child.close();
        }
        gateways.forEach(Gateway::close);
        if (smsc != null) {
            smsc.close();
        }
        if (db != null) {
            db.close();
        }
    }

    String yaml() {
        return "smpp:\n  host: 127.0.0.1\n  port: 0\n"
                + "http:\n  host: 127.0.0.1\n  port: 0\n  api_key: cluster-key-0123456789\n"
                + "database:\n  url: \"" + db.url() + "\"\n  pool_size: 4\n"
                + "cluster:\n  heartbeat_interval: 250ms\n  lease_timeout: 2s\n"
                + "carriers:\n  - id: smsc-uk\n    prefixes: [\"+44\"]\n"
                + "    connect:\n      host: 127.0.0.1\n      port: " + smsc.port() + "\n      system_id: acme\n"
                + "      password: secret\n      bind: transceiver\n      sessions: " + SESSIONS + "\n"
                + "      reconnect: {min: 100ms, max: 500ms}\n";
    }

    Gateway start() throws Exception {
        Gateway g = Gateway.start(ConfigLoader.fromYaml(yaml(), "cluster.yaml", Map.of()), Clock.systemUTC());
        gateways.add(g);
        return g;
    }

    static long outbound(Gateway g) {
        return g.smpp().sessions().sessions("smsc-uk").stream()
                .filter(s -> s.direction() == SessionDirection.OUT && s.isBound()).count();
    }

    long slotsOf(long instance) throws Exception {
        return db.count("select count(*) from connect_slots where instance_id = " + instance);
    }

    long newestInstance() throws Exception {
        return db.count("select max(id) from instances where released_at is null");
    }

    long bound() {
        return smsc.boundOf(SmppBindType.TRANSCEIVER);
    }

    @Test
    void outboundSessionsAreSpreadOverTheInstancesAndNeverBoundTwice() throws Exception {
        db = TestDatabase.create();
        smsc = new TestSmsc("acme", "secret");
        Thread watch = new Thread(() -> {
            while (watching.get()) {
                mostBound.accumulateAndGet(bound(), Math::max);
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "watch-smsc-binds");
        watch.setDaemon(true);
        watch.start();

        Gateway a = start();
        long aId = newestInstance();
        await().atMost(WAIT).until(() -> bound() == SESSIONS && outbound(a) == SESSIONS);

        // A second instance, in a JVM of its own: ceil(3 / 2) = 2 each, so the first gives one session up.
        Path config = Files.writeString(dir.resolve("gateway.yaml"), yaml());
        String classPath = JvmProcess.snapshotClassPath(Files.createDirectories(dir.resolve("classpath")));
        child = JvmProcess.start(classPath, GatewayProcessMain.class, List.of("-Xmx256m"), List.of(config.toString()),
                dir.resolve("doomed.log"));
        child.awaitLine(GatewayProcessMain.READY, WAIT);
        long doomedId = newestInstance();
        await().atMost(WAIT).until(() -> slotsOf(doomedId) == 1 && slotsOf(aId) == 2 && outbound(a) == 2
                && bound() == SESSIONS);

        // A third: one session each.
        Gateway c = start();
        long cId = newestInstance();
        await().atMost(WAIT).until(() -> slotsOf(aId) == 1 && slotsOf(doomedId) == 1 && slotsOf(cId) == 1
                && outbound(a) == 1 && outbound(c) == 1 && bound() == SESSIONS);

        // The child dies: its session is bound again by a survivor once its lease ran out, not before.
        int deadSlot = (int) db.count("select slot from connect_slots where instance_id = " + doomedId);
        child.kill();
        await().atMost(WAIT).until(() -> outbound(a) + outbound(c) == SESSIONS && bound() == SESSIONS);
        assertEquals(SESSIONS, slotsOf(aId) + slotsOf(cId));
        assertEquals(1, db.count("select count(*) from connect_slots s join instances d on d.id = " + doomedId
                + " where s.slot = " + deadSlot + " and s.claimed_at >= d.lease_until"),
                "the dead instance's session taken over only after its lease ran out");
        watching.set(false);
        watch.join();
        System.out.printf("outbound sessions across instances: at most %d bound at the SMSC at once (sessions %d)%n",
                mostBound.get(), SESSIONS);
        assertTrue(mostBound.get() <= SESSIONS, "the SMSC held " + mostBound.get() + " binds at once");
    }
}
