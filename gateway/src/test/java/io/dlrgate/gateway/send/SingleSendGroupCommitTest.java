package io.dlrgate.gateway.send;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.ConfigLoader;
import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.TcpProxy;
import io.dlrgate.reporting.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Single sends are stored in group commits: concurrent requests share a transaction. Each is stored exactly once,
 * answered only once its transaction committed, and a database outage answers 503 ("not stored, send again")
 * without losing any message that was answered 202.
 */
class SingleSendGroupCommitTest {

    static final String CARRIER = """
            carriers:
              - id: acme
                system_id: acme
                password: acme-pw
                prefixes: ["+44"]
            """;

    GatewayHarness gw;
    TestDatabase db;
    TcpProxy proxy;
    Gateway gateway;
    ExecutorService clients;

    @AfterEach
    void tearDown() {
        if (clients != null) {
            clients.shutdownNow();
        }
        if (gw != null) {
            gw.close();
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

    static String number(int i) {
        return String.format("+4477009%05d", i);
    }

    static HttpRequest single(String baseUrl, String to) {
        return HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/messages"))
                .header("Authorization", "Bearer " + GatewayHarness.API_KEY)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("to", to).put("content", "hi " + to)
                        .encode())).build();
    }

    @Test
    void concurrentSendsAreEachStoredOnceAndAnsweredOnlyOnceCommitted() throws Exception {
        gw = GatewayHarness.start(CARRIER);
        int senders = 16;
        int perSender = 25;
        clients = Executors.newFixedThreadPool(senders);
        HttpClient http = HttpClient.newHttpClient();
        Map<String, Long> answered = new ConcurrentHashMap<>();
        AtomicInteger answeredBeforeCommit = new AtomicInteger();
        AtomicInteger answeredWhileBlocked = new AtomicInteger();
        AtomicBoolean blocked = new AtomicBoolean(true);
        List<Future<?>> done = new ArrayList<>();
        try (Connection blocker = gw.db().database().connection();
             Connection reader = gw.db().database().connection()) {
            // Hold the carrier counters that every queued message updates: no batch can commit until released.
            blocker.setAutoCommit(false);
            try (Statement s = blocker.createStatement()) {
                s.execute("lock table carrier_counters in exclusive mode");
            }
            for (int k = 0; k < senders; k++) {
                int sender = k;
                done.add(clients.submit(() -> {
                    for (int j = 0; j < perSender; j++) {
                        String to = number(sender * perSender + j);
                        HttpResponse<String> r = http.send(single(gw.baseUrl(), to), HttpResponse.BodyHandlers.ofString());
                        if (blocked.get()) {
                            answeredWhileBlocked.incrementAndGet();
                        }
                        assertEquals(202, r.statusCode(), r.body());
                        long id = new JsonObject(r.body()).getLong("id");
                        // Answered: its row must be visible to any other connection now, i.e. committed.
                        if (!storedAs(reader, id, to)) {
                            answeredBeforeCommit.incrementAndGet();
                        }
                        assertTrue(answered.put(to, id) == null, "answered twice: " + to);
                    }
                    return null;
                }));
            }
            // Every sender's first request is waiting for the blocked commit: none may have been answered.
            await().atMost(Duration.ofSeconds(30)).until(() -> waitingOnLock(reader) > 0);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                    .until(() -> answeredWhileBlocked.get() == 0);
            blocked.set(false);
            blocker.rollback();
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
            assertEquals(0, answeredBeforeCommit.get(), "answered before its row was committed");
        }
        int total = senders * perSender;
        assertEquals(total, answered.size());
        assertEquals(total, new HashSet<>(answered.values()).size(), "one id per send");
        assertEquals(total, gw.count("select count(*) from messages"), "each stored once");
        assertEquals(total, gw.count("select count(distinct recipient) from messages"));
        assertEquals(total, gw.count("select coalesce(sum(count), 0) from carrier_counters where tab = 'pending'"),
                "the report counters count each once");
    }

    /** Sends to a suppressed number in the same batches as others: skipped, listed, never queued. */
    @Test
    void suppressedNumbersInABatchAreSkippedAndTheOthersQueued() throws Exception {
        gw = GatewayHarness.start(CARRIER);
        assertEquals(201, gw.post("/api/v1/suppressions", "{\"number\":\"" + number(3) + "\"}").statusCode());
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            answers.add(http.sendAsync(single(gw.baseUrl(), number(i % 8)), HttpResponse.BodyHandlers.ofString()));
        }
        int skipped = 0;
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < answers.size(); i++) {
            HttpResponse<String> r = answers.get(i).get(60, TimeUnit.SECONDS);
            JsonObject body = new JsonObject(r.body());
            if (i % 8 == 3) {
                assertEquals(200, r.statusCode(), r.body());
                assertEquals("skipped", body.getString("status"));
                skipped++;
            } else {
                assertEquals(202, r.statusCode(), r.body());
                assertEquals("queued", body.getString("status"));
            }
            assertTrue(ids.add(body.getLong("id")), "ids are unique across queued and skipped: " + r.body());
        }
        assertEquals(5, skipped);
        assertEquals(35, gw.count("select count(*) from messages"));
        assertEquals(5, gw.count("select count(*) from skipped_single_sends where recipient = '" + number(3) + "'"));
    }

    @Test
    void aDatabaseOutageDuringConcurrentSendsAnswers503AndLosesNothingAnswered202() throws Exception {
        db = TestDatabase.create();
        proxy = TcpProxy.inFrontOf(db.url());
        String yaml = "smpp:\n  host: 127.0.0.1\n  port: 0\n"
                + "http:\n  host: 127.0.0.1\n  port: 0\n  api_key: " + GatewayHarness.API_KEY + "\n"
                + "database:\n  url: \"" + proxy.jdbcUrl(db.url()) + "\"\n  pool_size: 4\n" + CARRIER;
        gateway = Gateway.start(ConfigLoader.fromYaml(yaml, "outage.yaml", Map.of()), Clock.systemUTC());
        String base = "http://127.0.0.1:" + gateway.httpPort();
        HttpClient http = HttpClient.newHttpClient();
        int senders = 8;
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        Map<String, Long> accepted = new ConcurrentHashMap<>();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<String> unavailableBodies = java.util.Collections.synchronizedList(new ArrayList<>());
        clients = Executors.newFixedThreadPool(senders);
        List<Future<?>> done = new ArrayList<>();
        for (int k = 0; k < senders; k++) {
            done.add(clients.submit(() -> {
                int i;
                while (!stop.get() && (i = next.getAndIncrement()) < 20_000) {
                    String to = number(i);
                    HttpResponse<String> r = http.send(single(base, to), HttpResponse.BodyHandlers.ofString());
                    statuses.computeIfAbsent(r.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                    if (r.statusCode() == 202) {
                        accepted.put(to, new JsonObject(r.body()).getLong("id"));
                    } else if (r.statusCode() == 503 && unavailableBodies.size() < 5) {
                        unavailableBodies.add(r.headers().firstValue("Retry-After").orElse("-") + " " + r.body());
                    }
                }
                return null;
            }));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= 200);
        proxy.cut();
        await().atMost(Duration.ofSeconds(60)).until(() -> statuses.containsKey(503)
                && statuses.get(503).get() >= senders);
        int acceptedDuringCut = accepted.size();
        proxy.restore();
        // Back: sends are taken again (the pool reconnects on its own).
        await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= acceptedDuringCut + 200);
        stop.set(true);
        for (Future<?> f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
        assertEquals(Set.of(202, 503), statuses.keySet(), "only queued or 'not stored, send again': " + statuses);
        assertFalse(unavailableBodies.isEmpty());
        for (String b : unavailableBodies) {
            assertTrue(b.startsWith("1 ") && b.contains("send it again later"), b);
        }
        // Every send answered 202 is stored, exactly once, under the id it was given.
        Map<String, Long> stored = new HashMap<>();
        try (Connection c = db.database().connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select recipient, id from messages")) {
            while (rs.next()) {
                assertTrue(stored.put(rs.getString(1), rs.getLong(2)) == null, "stored twice: " + rs.getString(1));
            }
        }
        for (Map.Entry<String, Long> e : accepted.entrySet()) {
            assertEquals(e.getValue(), stored.get(e.getKey()), "answered 202 but not stored: " + e.getKey());
        }
    }

    private static boolean storedAs(Connection reader, long id, String to) throws Exception {
        try (PreparedStatement ps = reader.prepareStatement("select recipient from messages where id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getString(1).equals(to);
            }
        }
    }

    private static long waitingOnLock(Connection reader) throws Exception {
        try (Statement s = reader.createStatement(); ResultSet rs = s.executeQuery("select count(*) from pg_stat_activity "
                + "where wait_event_type = 'Lock' and datname = current_database()")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
