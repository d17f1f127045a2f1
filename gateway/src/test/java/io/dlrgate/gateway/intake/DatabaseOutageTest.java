package io.dlrgate.gateway.intake;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.ConfigLoader;
import io.dlrgate.config.GatewayConfig;
import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.gateway.testing.ReceiptFixtures;
import io.dlrgate.gateway.testing.ReceiptStreamer;
import io.dlrgate.gateway.testing.TcpProxy;
import io.dlrgate.reporting.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The database goes away in the middle of a stream of 50,000 receipts and comes back.
 *
 * <p>The gateway's database URL points at a {@link TcpProxy} in front of PostgreSQL; cutting the proxy closes
 * every pooled connection at once and refuses new ones, which is what the gateway sees when PostgreSQL stops
 * or the network to it fails. The test itself reads the store directly (not through the proxy), so it can look
 * at the database while the gateway cannot.
 *
 * <p>The 50,000 messages are seeded straight into the store as already submitted (carrier ids {@code o0} ..
 * {@code o49999}): the send path has its own tests, and 50,000 submits through the API would only add minutes
 * before the part under test starts.
 */
class DatabaseOutageTest {

    static final int RECEIPTS = 50_000;
    static final int BATCH_SIZE = 500;
    /** One transaction per commit lane can be in doubt when the connection dies between COMMIT and its answer. */
    static final int IN_DOUBT_BATCHES = io.dlrgate.reporting.write.GroupCommitter.DEFAULT_LANES;
    static final String API_KEY = "outage-key-0123456789";

    TestDatabase db;
    TcpProxy proxy;
    Gateway gateway;
    ReceiptStreamer streamer;

    @AfterEach
    void tearDown() {
        if (streamer != null) {
            streamer.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void noAcknowledgedReceiptIsLostAndTheRetriesReconcileExactly() throws Exception {
        db = TestDatabase.create();
        proxy = TcpProxy.inFrontOf(db.url());
        String proxiedUrl = proxy.jdbcUrl(db.url());

        long campaign;
        try (Connection c = db.database().connection()) {
            campaign = ReceiptFixtures.seedCampaign(c, "Outage");
            ReceiptFixtures.seedSubmittedMessages(c, campaign, "acme", "o", RECEIPTS);
        }
        String yaml = "smpp:\n  host: 127.0.0.1\n  port: 0\n"
                + "http:\n  host: 127.0.0.1\n  port: 0\n  api_key: " + API_KEY + "\n"
                + "database:\n  url: \"" + proxiedUrl + "\"\n  pool_size: 8\n"
                + "receipts:\n  batch_size: " + BATCH_SIZE + "\n  max_queue_wait: 500ms\n"
                + """
                carriers:
                  - id: acme
                    system_id: acme
                    password: acme-pw
                    prefixes: ["+44"]
                    max_binds: 8
                """;
        GatewayConfig config = ConfigLoader.fromYaml(yaml, "outage.yaml", Map.of());
        gateway = Gateway.start(config, Clock.systemUTC());

        List<ReceiptStreamer.Receipt> receipts = ReceiptFixtures.receipts("o", RECEIPTS);
        streamer = ReceiptStreamer.to(gateway.smppPort()).systemId("acme").password("acme-pw")
                .sessions(4).window(100).requestTimeout(Duration.ofSeconds(30)).backoff(Duration.ofMillis(100))
                .start(receipts);

        // Cut the database a third of the way in, for a few seconds.
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(5))
                .until(() -> streamer.ackedOkCount() >= RECEIPTS / 3);
        long throttledBefore = streamer.throttledAnswers();
        int okBefore = streamer.ackedOkCount();
        long cutAt = System.nanoTime();
        int cutConnections = proxy.cut();
        await().atMost(Duration.ofSeconds(60)).until(() -> streamer.throttledAnswers() > throttledBefore);
        // Hold the outage for a few seconds in all (the outage itself, not a wait for a condition).
        long holdMs = 3_000 - Duration.ofNanos(System.nanoTime() - cutAt).toMillis();
        if (holdMs > 0) {
            Thread.sleep(holdMs);
        }
        // Mid-outage, reading the store directly while the gateway cannot reach it: everything the carrier
        // heard OK for is already stored.
        Set<String> ackedDuringOutage = streamer.ackedOk();
        Set<String> storedDuringOutage;
        try (Connection c = db.database().connection()) {
            storedDuringOutage = ReceiptFixtures.storedReceiptCounts(c, "acme").keySet();
        }
        assertContainsAll(storedDuringOutage, ackedDuringOutage, "acknowledged OK but not stored (mid-outage)");
        long throttledDuringOutage = streamer.throttledAnswers() - throttledBefore;
        int okDuringOutage = streamer.ackedOkCount() - okBefore;
        proxy.restore();
        Duration outage = Duration.ofNanos(System.nanoTime() - cutAt);

        assertTrue(streamer.awaitDone(Duration.ofSeconds(180)), "every receipt acknowledged after the outage: "
                + streamer.figures());

        Map<String, Integer> stored;
        Map<String, Long> outcomes;
        Map<String, Long> tabsInStore;
        try (Connection c = db.database().connection()) {
            stored = ReceiptFixtures.storedReceiptCounts(c, "acme");
            outcomes = ReceiptFixtures.outcomes(c);
            tabsInStore = ReceiptFixtures.tabCounts(c, campaign);
        }
        long rows = stored.values().stream().mapToLong(Integer::longValue).sum();
        Set<String> sent = receipts.stream().map(ReceiptStreamer.Receipt::id).collect(Collectors.toSet());
        Set<String> storedTwice = stored.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));

        System.out.printf("database outage: %s%n", streamer.figures());
        System.out.printf("database outage: cut %d pooled connections for %d ms after %d receipts acked OK; "
                        + "during it %d throttled answers, %d acked OK (committed before the cut); "
                        + "stored rows %d, distinct receipts %d, stored twice %d (max allowed %d)%n",
                cutConnections, outage.toMillis(), okBefore, throttledDuringOutage, okDuringOutage, rows,
                stored.size(), storedTwice.size(), IN_DOUBT_BATCHES * BATCH_SIZE + streamer.expired());
        System.out.printf("database outage: outcomes %s, tabs %s%n", outcomes, tabsInStore);

        // 1. No receipt acknowledged OK without being stored.
        assertContainsAll(stored.keySet(), streamer.ackedOk(), "acknowledged OK but not stored");
        assertEquals(sent, streamer.ackedOk(), "the carrier got an OK for every receipt in the end");
        assertEquals(Set.of(), streamer.refused(), "no receipt refused for good");
        // 2. The outage was answered with the throttle status, which the carrier retried.
        assertTrue(throttledDuringOutage > 0, "throttled answers during the outage");
        // 3. The stored receipts are the receipts sent: the same set, every one at least once.
        assertEquals(sent, stored.keySet(), "stored receipt ids equal sent receipt ids");
        // A receipt is stored twice only when its first copy was committed but the OK never reached the carrier
        // (the connection died between COMMIT and its answer), so the carrier sent it again. Only a receipt the
        // carrier sent more than once can be stored more than once, and each commit lane has at most one
        // transaction (one batch) in doubt per cut, plus whatever the carrier resent on its own timeout.
        assertContainsAll(streamer.resent(), storedTwice, "stored more than once without being sent more than once");
        assertTrue(stored.values().stream().allMatch(n -> n <= 2), "never stored more than twice");
        assertTrue(storedTwice.size() <= IN_DOUBT_BATCHES * BATCH_SIZE + streamer.expired(),
                "at most one batch per commit lane in doubt: " + storedTwice.size());
        assertEquals(RECEIPTS + storedTwice.size(), rows);
        // 4. Each receipt applied exactly once; the extra copies are the state machine's duplicates.
        assertEquals(RECEIPTS, outcomes.getOrDefault("applied", 0L), "applied exactly once each: " + outcomes);
        assertEquals(storedTwice.size(), outcomes.getOrDefault("duplicate", 0L), outcomes.toString());
        long otherOutcomes = outcomes.entrySet().stream().filter(e -> !Set.of("applied", "duplicate")
                .contains(e.getKey())).mapToLong(Map.Entry::getValue).sum();
        assertEquals(0, otherOutcomes, "only applied and duplicate outcomes: " + outcomes);
        // 5. The report counts reconcile exactly, read through the API.
        Map<String, Long> expected = ReceiptFixtures.expectedTabs(RECEIPTS);
        assertEquals(expected, tabsInStore);
        JsonObject report = new JsonObject(get("/api/v1/campaigns/" + campaign + "/report")).getJsonObject("tabs");
        Map<String, Long> apiTabs = new LinkedHashMap<>();
        expected.keySet().forEach(t -> apiTabs.put(t, report.getLong(t)));
        assertEquals(expected, apiTabs);
    }

    String get(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.httpPort() + path))
                .header("Authorization", "Bearer " + API_KEY).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    static void assertContainsAll(Set<String> container, Set<String> items, String what) {
        Set<String> missing = new TreeSet<>(items);
        missing.removeAll(container);
        assertTrue(missing.isEmpty(), missing.size() + " " + what + ", e.g. "
                + missing.stream().limit(10).toList());
    }
}
