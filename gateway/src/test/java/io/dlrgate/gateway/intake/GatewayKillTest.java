package io.dlrgate.gateway.intake;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.testing.JvmProcess;
import io.dlrgate.gateway.testing.ReceiptFixtures;
import io.dlrgate.gateway.testing.ReceiptStreamer;
import io.dlrgate.reporting.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway process is killed (SIGKILL) in the middle of a receipt stream and restarted on the same database:
 * every receipt it acknowledged before dying is in the database, and once the carrier has resent what was not
 * acknowledged, the store holds every receipt.
 *
 * <p>The gateway runs in a JVM of its own ({@link GatewayProcessMain}); the messages are seeded straight into
 * the store as already submitted, as in {@link DatabaseOutageTest}.
 */
class GatewayKillTest {

    static final int RECEIPTS = 30_000;

    @TempDir
    Path dir;
    TestDatabase db;
    String classPath;
    final List<JvmProcess> processes = new ArrayList<>();
    final List<ReceiptStreamer> streamers = new ArrayList<>();

    @AfterEach
    void tearDown() {
        streamers.forEach(ReceiptStreamer::close);
        processes.forEach(JvmProcess::close);
        if (db != null) {
            db.close();
        }
    }

    record Started(JvmProcess process, int smppPort) {
    }

    Started startGateway(Path config, String name) throws Exception {
        if (classPath == null) {
            // Other builds may rewrite target/classes while this test runs; the gateway JVMs run on a copy.
            classPath = JvmProcess.snapshotClassPath(Files.createDirectories(dir.resolve("classpath")));
        }
        GatewayProcessMain.Child child = GatewayProcessMain.launch(classPath, config, "512m",
                dir.resolve(name + ".log"), Duration.ofSeconds(90));
        processes.add(child.process());
        return new Started(child.process(), child.ports().smpp());
    }

    ReceiptStreamer stream(int port, List<ReceiptStreamer.Receipt> receipts) {
        ReceiptStreamer s = ReceiptStreamer.to(port).systemId("acme").password("acme-pw").sessions(4).window(100)
                .requestTimeout(Duration.ofSeconds(30)).backoff(Duration.ofMillis(100)).start(receipts);
        streamers.add(s);
        return s;
    }

    Map<String, Integer> stored() throws Exception {
        try (Connection c = db.database().connection()) {
            return ReceiptFixtures.storedReceiptCounts(c, "acme");
        }
    }

    @Test
    void everyReceiptAcknowledgedBeforeTheKillIsStoredAndTheResendsCompleteTheSet() throws Exception {
        db = TestDatabase.create();
        long campaign;
        try (Connection c = db.database().connection()) {
            campaign = ReceiptFixtures.seedCampaign(c, "Kill");
            ReceiptFixtures.seedSubmittedMessages(c, campaign, "acme", "k", RECEIPTS);
        }
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, "smpp:\n  host: 127.0.0.1\n  port: 0\n"
                + "http:\n  host: 127.0.0.1\n  port: 0\n  api_key: kill-key-0123456789\n"
                + "database:\n  url: \"" + db.url() + "\"\n  pool_size: 8\n"
                + "receipts:\n  max_queue_wait: 500ms\n"
                + """
                carriers:
                  - id: acme
                    system_id: acme
                    password: acme-pw
                    prefixes: ["+44"]
                    max_binds: 8
                """);
        List<ReceiptStreamer.Receipt> receipts = ReceiptFixtures.receipts("k", RECEIPTS);
        Set<String> sent = receipts.stream().map(ReceiptStreamer.Receipt::id).collect(Collectors.toSet());

        // Phase 1: stream, and kill the gateway a quarter of the way in.
        Started first = startGateway(config, "gateway-1");
        ReceiptStreamer before = stream(first.smppPort(), receipts);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(5))
                .until(() -> before.ackedOkCount() >= RECEIPTS / 4);
        first.process().kill();
        // Dropping the sessions after the process is dead: every OK still in our socket buffers was written by
        // the gateway before it died, and counts as acknowledged.
        before.close();
        Set<String> ackedBeforeKill = before.ackedOk();
        Map<String, Integer> storedAtKill = stored();
        Set<String> committedNotAcked = new TreeSet<>(storedAtKill.keySet());
        committedNotAcked.removeAll(ackedBeforeKill);
        System.out.printf("gateway kill: before the kill %s%n", before.figures());
        System.out.printf("gateway kill: killed pid %d after %d receipts acked OK; stored at the kill %d "
                        + "(committed but never acknowledged: %d)%n", first.process().pid(), ackedBeforeKill.size(),
                storedAtKill.size(), committedNotAcked.size());

        Set<String> lost = new TreeSet<>(ackedBeforeKill);
        lost.removeAll(storedAtKill.keySet());
        assertTrue(lost.isEmpty(), lost.size() + " receipts acknowledged OK before the kill are not in the database, "
                + "e.g. " + lost.stream().limit(10).toList());
        assertTrue(ackedBeforeKill.size() < RECEIPTS, "killed mid-stream, not after it");
        assertTrue(storedAtKill.values().stream().allMatch(n -> n == 1), "each stored once before the kill");

        // Phase 2: the gateway comes back on the same database; the carrier resends what was not acknowledged.
        Started second = startGateway(config, "gateway-2");
        List<ReceiptStreamer.Receipt> resend = receipts.stream().filter(r -> !ackedBeforeKill.contains(r.id())).toList();
        ReceiptStreamer after = stream(second.smppPort(), resend);
        assertTrue(after.awaitDone(Duration.ofSeconds(180)), "every resent receipt acknowledged: " + after.figures());
        after.close();

        Map<String, Integer> storedAtEnd = stored();
        long rows = storedAtEnd.values().stream().mapToLong(Integer::longValue).sum();
        Map<String, Long> outcomes;
        Map<String, Long> tabs;
        try (Connection c = db.database().connection()) {
            outcomes = ReceiptFixtures.outcomes(c);
            tabs = ReceiptFixtures.tabCounts(c, campaign);
        }
        System.out.printf("gateway kill: after the restart %s%n", after.figures());
        System.out.printf("gateway kill: receipts sent %d, stored rows %d, distinct %d, outcomes %s, tabs %s%n",
                RECEIPTS, rows, storedAtEnd.size(), outcomes, tabs);

        assertEquals(Set.of(), after.refused());
        assertEquals(sent, storedAtEnd.keySet(), "every receipt stored");
        // The only receipts stored twice are those committed before the kill whose OK died with the process:
        // the carrier rightly sent them again and the state machine logged the copy as a duplicate.
        Set<String> storedTwice = storedAtEnd.entrySet().stream().filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
        if (before.expired() == 0 && after.expired() == 0) {
            assertEquals(committedNotAcked, storedTwice, "stored twice exactly when committed but not acknowledged");
        } else {
            assertTrue(storedTwice.containsAll(committedNotAcked));
        }
        assertEquals(RECEIPTS + storedTwice.size(), rows);
        assertEquals(RECEIPTS, outcomes.getOrDefault("applied", 0L), "each receipt applied once: " + outcomes);
        assertEquals(storedTwice.size(), outcomes.getOrDefault("duplicate", 0L), outcomes.toString());
        assertEquals(ReceiptFixtures.expectedTabs(RECEIPTS), tabs);
    }
}
