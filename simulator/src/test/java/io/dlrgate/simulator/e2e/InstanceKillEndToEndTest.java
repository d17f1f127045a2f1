package io.dlrgate.simulator.e2e;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.intake.GatewayProcessMain;
import io.dlrgate.gateway.testing.Haproxy;
import io.dlrgate.gateway.testing.JvmProcess;
import io.dlrgate.reporting.testing.TestDatabase;
import io.dlrgate.simulator.carrier.Ledger;
import io.dlrgate.simulator.carrier.SimCarrierSettings;
import io.dlrgate.simulator.carrier.SimulatedCarrier;
import io.dlrgate.simulator.outcome.DelayRange;
import io.dlrgate.simulator.outcome.OutcomeWeights;
import io.dlrgate.simulator.scenario.GatewayClient;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18's failover test at full size: three gateway processes on one PostgreSQL, two of them ({@code a} and
 * {@code b}) behind a real HAProxy running {@code ops/haproxy.cfg}, the third ({@code c}) reached directly. Simulated
 * carriers bind to all three: north and east through HAProxy (a bind on each of {@code a} and {@code b}) and
 * directly to {@code c}, west directly to {@code a} and {@code c}. A campaign of 30,000 messages goes out, receipts
 * come back 10-18 s after each submit, and {@code b} is killed with SIGKILL while its share is in flight.
 *
 * <p>What must hold, from the carriers' ledgers (what they really received) and a snapshot of the store taken
 * right after the kill, before the lease ran out:
 * <ul>
 *   <li>the binds {@code b} held come back through HAProxy, on {@code a}, and their traffic flows;</li>
 *   <li>a message that was not in flight on {@code b} at the kill (in flight on a live instance, queued, or
 *       already answered) reaches the carriers exactly once;</li>
 *   <li>each message {@code b} had in flight is claimed again exactly once, by a survivor, after {@code b}'s lease
 *       ran out and a survivor took it over, and so reaches the carriers once after the kill (twice in all when
 *       {@code b} had written its submit before it died);</li>
 *   <li>every message ends in exactly the tab its carrier's ledger says (the last submit's final receipt), and
 *       the report's counts equal those from the ledgers.</li>
 * </ul>
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class InstanceKillEndToEndTest {

    static final int PER_CARRIER = 10_000;
    static final int MESSAGES = 3 * PER_CARRIER;
    /** Kill {@code b} once it has claimed this many: its binds then hold a good share of the traffic. */
    static final int KILL_AFTER_CLAIMED_BY_B = 1_500;
    static final Duration HEARTBEAT = Duration.ofMillis(250);
    static final Duration LEASE = Duration.ofSeconds(3);
    static final Duration WAIT = Duration.ofSeconds(120);
    static final String API_KEY = "cluster-key-0123456789";
    static final String WEIGHTS = "DELIVRD=55,EXPIRED=10,UNDELIV=15,DELETED=8,REJECTD=12";

    @TempDir
    Path dir;
    TestDatabase db;
    final List<JvmProcess> processes = new ArrayList<>();
    Haproxy haproxy;
    final List<SimulatedCarrier> carriers = new ArrayList<>();

    @AfterEach
    void tearDown() {
        carriers.forEach(SimulatedCarrier::stop);
        if (haproxy != null) {
            haproxy.close();
        }
        processes.forEach(JvmProcess::close);
        if (db != null) {
            db.close();
        }
    }

    String yaml() {
        StringBuilder y = new StringBuilder()
                .append("smpp:\n  host: 127.0.0.1\n  port: 0\n  request_expiry: 60s\n")
                .append("http:\n  host: 127.0.0.1\n  port: 0\n  api_key: ").append(API_KEY).append('\n')
                .append("database:\n  url: \"").append(db.url()).append("\"\n  pool_size: 8\n")
                .append("dispatch:\n  submit_timeout: 30s\n")
                .append("cluster:\n  heartbeat_interval: ").append(HEARTBEAT.toMillis())
                .append("ms\n  lease_timeout: ").append(LEASE.toMillis()).append("ms\n")
                .append("carriers:\n");
        for (String[] c : List.of(new String[] {"north", "+44"}, new String[] {"east", "+33"},
                new String[] {"west", "+49"})) {
            y.append("  - {id: ").append(c[0]).append(", system_id: ").append(c[0]).append(", password: ")
                    .append(c[0]).append("-pw, prefixes: [\"").append(c[1])
                    .append("\"], window_size: 100, max_binds: 8, max_submit_rate: 20000}\n");
        }
        return y.toString();
    }

    record Instance(String name, GatewayProcessMain.Child child, long id) {
        Haproxy.Backend backend() {
            return new Haproxy.Backend(child.ports().http(), child.ports().smpp());
        }
    }

    /** What the store said of one message right after the kill. */
    record Snap(String state, Long claimedBy, int attempts, String tab) {
    }

    /** One submit a carrier received: which simulated carrier, its place in that carrier's ledger, the entry. */
    record Received(SimulatedCarrier carrier, int index, Ledger.Entry entry) {
    }

    @Test
    void aKilledInstancesCarriersAndInFlightMessagesAreTakenOverAndEveryMessageEndsInItsLedgersTab()
            throws Exception {
        long started = System.nanoTime();
        Path binary = Haproxy.binary(); // missing, the test fails at once
        db = TestDatabase.create();
        Path config = Files.writeString(dir.resolve("gateway.yaml"), yaml());
        String classPath = JvmProcess.snapshotClassPath(Files.createDirectories(dir.resolve("classpath")));
        // The three JVMs start side by side (each waits for its own ready line on a thread of its own).
        List<String> names = List.of("a", "b", "c");
        ExecutorService launcher = Executors.newFixedThreadPool(names.size());
        List<Future<GatewayProcessMain.Child>> starting = new ArrayList<>();
        try {
            for (String name : names) {
                starting.add(launcher.submit(() -> GatewayProcessMain.launch(classPath, config, "512m",
                        dir.resolve(name + ".log"), WAIT)));
            }
            for (Future<GatewayProcessMain.Child> f : starting) {
                try {
                    processes.add(f.get().process());
                } catch (ExecutionException e) {
                    starting.forEach(other -> other.cancel(true));
                    // Those already up are closed by the tear-down with the rest.
                    for (Future<GatewayProcessMain.Child> other : starting.subList(starting.indexOf(f) + 1,
                            starting.size())) {
                        if (other.isDone() && !other.isCancelled()) {
                            try {
                                processes.add(other.get().process());
                            } catch (ExecutionException ignored) {
                                // did not start either: nothing to close
                            }
                        }
                    }
                    throw new AssertionError("a gateway did not start", e.getCause());
                }
            }
        } finally {
            launcher.shutdown();
        }
        List<Instance> instances = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            GatewayProcessMain.Child child = starting.get(i).get();
            instances.add(new Instance(names.get(i), child,
                    db.count("select id from instances where released_at is null and pid = " + child.process().pid())));
        }
        Instance a = instances.get(0);
        Instance b = instances.get(1);
        Instance c = instances.get(2);

        haproxy = Haproxy.start(binary, a.backend(), b.backend());
        String front = "http://127.0.0.1:" + haproxy.httpPort();
        await("HAProxy answers /ready").atMost(WAIT).until(() -> {
            haproxy.assertRunning();
            return ready(front);
        });

        // Through HAProxy (least connections first), each carrier's two binds land one on a and one on b.
        SimulatedCarrier northLb = carrier("north", haproxy.smppPort(), 2, 1_000_000_000L, 11);
        SimulatedCarrier eastLb = carrier("east", haproxy.smppPort(), 2, 1_000_000_000L, 12);
        SimulatedCarrier northC = carrier("north", c.child().ports().smpp(), 1, 2_000_000_000L, 13);
        SimulatedCarrier eastC = carrier("east", c.child().ports().smpp(), 1, 2_000_000_000L, 14);
        SimulatedCarrier westA = carrier("west", a.child().ports().smpp(), 1, 1_000_000_000L, 15);
        SimulatedCarrier westC = carrier("west", c.child().ports().smpp(), 1, 2_000_000_000L, 16);
        List<SimulatedCarrier> throughHaproxy = List.of(northLb, eastLb);
        awaitBinds("a=east,north,west b=east,north c=east,north,west", a, b, c);

        GatewayClient api = new GatewayClient(front, API_KEY);
        long campaign = api.createCampaign("Failover", "Spring sale: 20% off until Sunday");
        List<String> contacts = new ArrayList<>(MESSAGES);
        contacts.addAll(TabCountsEndToEndTest.numbers("+447700", PER_CARRIER));
        contacts.addAll(TabCountsEndToEndTest.numbers("+33612", PER_CARRIER));
        contacts.addAll(TabCountsEndToEndTest.numbers("+4915100", PER_CARRIER));
        assertEquals(MESSAGES, api.sendCampaign(campaign, contacts).queued());

        await("b claimed " + KILL_AFTER_CLAIMED_BY_B + " messages").atMost(WAIT).until(() -> db.count(
                "select count(*) from messages where claimed_by = " + b.id()) >= KILL_AFTER_CLAIMED_BY_B);
        long reconnectsBefore = reconnects(throughHaproxy);
        b.child().process().kill();
        List<Integer> submitsBefore = throughHaproxy.stream().map(car -> car.ledger().size()).toList();
        Instant killedAt = Instant.now();
        long killedNanos = System.nanoTime();

        // The store as b left it: b can write nothing more, and nobody requeues its messages before its lease ran
        // out, so this snapshot (one statement, one view of the store) has b's in-flight messages as b left them.
        Map<String, Snap> atKill = snapshot(b.id());
        Map<String, Long> atKillFigures = figures(atKill, a, b, c);
        System.out.printf("instance kill: at the kill %s%n", atKillFigures);
        Set<String> inFlightOnB = new java.util.TreeSet<>();
        atKill.forEach((n, s) -> {
            if ("in_flight".equals(s.state()) && Long.valueOf(b.id()).equals(s.claimedBy())) {
                inFlightOnB.add(n);
            }
        });
        assertTrue(!inFlightOnB.isEmpty(), "b had messages in flight at the kill: " + atKillFigures);
        assertTrue(atKillFigures.get("in_flight on a") + atKillFigures.get("in_flight on c") > 0,
                "the survivors had messages in flight at the kill: " + atKillFigures);

        // b's binds come back through HAProxy, on a.
        await("the binds b held are back through HAProxy").atMost(WAIT).until(
                () -> reconnects(throughHaproxy) >= reconnectsBefore + 2
                        && throughHaproxy.stream().allMatch(car -> car.boundSessions() == 2));
        long reboundMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedNanos);
        await("a survivor took b over").atMost(WAIT).until(
                () -> db.count("select count(*) from instances where released_at is not null and id = " + b.id()) == 1);
        long takenOverMillis = db.count("select (extract(epoch from released_at) * 1000)::bigint - "
                + killedAt.toEpochMilli() + " from instances where id = " + b.id());
        awaitBinds("a=east,east,north,north,west b= c=east,north,west", a, b, c);

        await("every message final and every receipt answered").atMost(Duration.ofSeconds(180))
                .until(() -> outstanding(b), equalTo(outstanding(0, 0, 0)));
        long totalMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        List<Integer> submitsAfter = throughHaproxy.stream().map(car -> car.ledger().size()).toList();
        for (int i = 0; i < throughHaproxy.size(); i++) {
            assertTrue(submitsAfter.get(i) > submitsBefore.get(i), throughHaproxy.get(i).config().name()
                    + " got submits through HAProxy after the kill: " + submitsBefore + " then " + submitsAfter);
        }

        Map<String, List<Received>> received = received();
        Map<String, String> neverSent = new TreeMap<>();
        atKill.keySet().stream().filter(n -> !received.containsKey(n)).forEach(n -> neverSent.put(n, "never sent"));
        received.keySet().stream().filter(n -> !atKill.containsKey(n)).forEach(n -> neverSent.put(n, "no message"));
        assertEquals(Map.of(), cut(neverSent), "every message reached a carrier, and only those");

        // Not in flight on b at the kill: once, whoever sent it.
        Map<String, String> twice = new TreeMap<>();
        received.forEach((n, got) -> {
            if (got.size() != 1 && !inFlightOnB.contains(n)) {
                twice.put(n, got.size() + " submits; at the kill " + atKill.get(n));
            }
        });
        assertEquals(Map.of(), cut(twice), "messages not in flight on b reach the carriers once");

        // In flight on b: claimed once more, by a survivor, after the takeover; on the carriers once after the kill.
        long releasedAt = db.count("select (extract(epoch from released_at) * 1000)::bigint from instances where id = "
                + b.id());
        Map<String, Final> finals = finals();
        Map<String, String> wrong = new TreeMap<>();
        int sentTwice = 0;
        for (String n : inFlightOnB) {
            List<Received> got = received.get(n);
            Final f = finals.get(n);
            Received resend = resend(got, northC, eastC, westA, westC);
            String why = got.size() > 2 ? got.size() + " submits"
                    : f.attempts() != atKill.get(n).attempts() + 1 ? "claimed " + (f.attempts()
                            - atKill.get(n).attempts()) + " times after the kill"
                    : !Set.of(a.id(), c.id()).contains(f.claimedBy()) ? "claimed again by " + f.claimedBy()
                    : f.claimedAtMillis() < releasedAt ? "claimed again before b was taken over"
                    : resend == null ? "no submit after the kill among " + got
                    : !resend.entry().messageId().equals(f.carrierMessageId())
                            ? "stored id " + f.carrierMessageId() + ", resent as " + resend.entry().messageId()
                    : null;
            if (why != null) {
                wrong.put(n, why);
            }
            sentTwice += got.size() == 2 ? 1 : 0;
        }
        assertEquals(Map.of(), cut(wrong), "b's in-flight messages, each resent once after the takeover");

        // Tabs: each message's, and the report's counts, against the ledgers' last submit of each number.
        Map<String, String> expectedTab = new TreeMap<>();
        received.forEach((n, got) -> {
            Received decides = got.size() == 1 ? got.get(0) : resend(got, northC, eastC, westA, westC);
            expectedTab.put(n, TabCountsEndToEndTest.TAB_OF.get(decides.entry().finalStat()));
        });
        Map<String, String> actualTab = new TreeMap<>();
        finals.forEach((n, f) -> actualTab.put(n, f.tab()));
        Map<String, String> tabDiffs = new TreeMap<>();
        expectedTab.forEach((n, t) -> {
            if (!t.equals(actualTab.get(n))) {
                tabDiffs.put(n, "ledger " + t + ", store " + actualTab.get(n));
            }
        });
        assertEquals(Map.of(), cut(tabDiffs), "each message's tab against its ledger");
        Map<String, Long> expectedCounts = new LinkedHashMap<>();
        TabCountsEndToEndTest.TABS.forEach(t -> expectedCounts.put(t, 0L));
        expectedTab.values().forEach(t -> expectedCounts.merge(t, 1L, Long::sum));
        assertEquals(expectedCounts, api.report(campaign), "the report's tab counts against the ledgers");

        System.out.printf("instance kill: b (instance %d) killed with %d of its messages in flight; its binds back "
                        + "through HAProxy after %d ms, taken over by instance %d after %d ms (lease %d ms); "
                        + "%d resent once (%d of them had reached the carrier before the kill, %d never had); "
                        + "%d messages in all, tabs %s; the whole test %d ms%n",
                b.id(), inFlightOnB.size(), reboundMillis,
                db.count("select released_by from instances where id = " + b.id()), takenOverMillis,
                LEASE.toMillis(), inFlightOnB.size(), sentTwice, inFlightOnB.size() - sentTwice, MESSAGES,
                expectedCounts, totalMillis);
        assertEquals(0, db.count("select count(*) from instances where released_at is not null and id <> " + b.id()),
                "the survivors keep their leases");
        assertTrue(db.count("select count(*) from instances where id = " + b.id()
                + " and released_at >= lease_until") == 1, "b taken over only after its lease ran out");
    }

    SimulatedCarrier carrier(String id, int port, int sessions, long idStart, long seed) throws Exception {
        SimulatedCarrier car = new SimulatedCarrier(SimCarrierSettings.builder(id, id + "-pw")
                .name(id + "-" + port).port(port).sessions(sessions).windowSize(100).idStart(idStart)
                .weights(OutcomeWeights.parse(WEIGHTS)).delay(new DelayRange(10_000, 18_000)).seed(seed)
                .reconnect(50, 500).retry(5, 200).requestTimeoutMillis(10_000).build());
        carriers.add(car);
        car.start();
        assertTrue(car.awaitBound(Duration.ofSeconds(30)), "carrier " + car.config().name() + " bound: "
                + car.failure());
        return car;
    }

    /** Waits (bounded) until the store counts these binds per instance; fails saying what it counts. */
    void awaitBinds(String expected, Instance... instances) throws Exception {
        await("carriers' binds per instance").atMost(Duration.ofSeconds(30))
                .until(() -> bindsPerInstance(instances), equalTo(expected));
    }

    /** The carriers bound on each instance, as the store counts them, e.g. {@code a=east,north b=north c=}. */
    String bindsPerInstance(Instance... instances) throws Exception {
        StringBuilder out = new StringBuilder();
        for (Instance i : instances) {
            List<String> binds = new ArrayList<>();
            try (Connection conn = db.database().dataSource().getConnection();
                 PreparedStatement ps = conn.prepareStatement("select carrier from carrier_binds "
                         + "where instance_id = ? order by carrier")) {
                ps.setLong(1, i.id());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        binds.add(rs.getString(1));
                    }
                }
            }
            out.append(out.length() == 0 ? "" : " ").append(i.name()).append('=').append(String.join(",", binds));
        }
        return out.toString();
    }

    /** What is not settled yet: messages not final (those in flight on the dead instance), receipts unanswered. */
    String outstanding(Instance dead) throws Exception {
        return outstanding(db.count("select count(*) from messages where tab = 'pending'"),
                db.count("select count(*) from messages where dispatch_state = 'in_flight' and claimed_by = "
                        + dead.id()), carriers.stream().mapToLong(car -> car.stats().receiptsOutstanding()).sum());
    }

    static String outstanding(long notFinal, long inFlightOnDead, long receipts) {
        return notFinal + " messages not final (" + inFlightOnDead + " in flight on b), " + receipts
                + " receipts unanswered";
    }

    static long reconnects(List<SimulatedCarrier> cs) {
        return cs.stream().mapToLong(car -> car.stats().reconnects()).sum();
    }

    /** Every message's dispatch state, claimant, claims and tab, in one statement; b must not be taken over yet. */
    Map<String, Snap> snapshot(long doomed) throws Exception {
        Map<String, Snap> out = new HashMap<>();
        try (Connection conn = db.database().dataSource().getConnection();
             PreparedStatement ps = conn.prepareStatement("select m.recipient, m.dispatch_state, m.claimed_by, "
                     + "m.submit_attempts, m.tab, (select released_at from instances where id = ?) from messages m")) {
            ps.setLong(1, doomed);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    assertNull(rs.getTimestamp(6), "the snapshot came after b was taken over: a lease too short");
                    long claimed = rs.getLong(3);
                    Long claimedBy = rs.wasNull() ? null : claimed;
                    out.put(rs.getString(1), new Snap(rs.getString(2), claimedBy, rs.getInt(4), rs.getString(5)));
                }
            }
        }
        assertEquals(MESSAGES, out.size());
        return out;
    }

    static Map<String, Long> figures(Map<String, Snap> atKill, Instance... instances) {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("not final", atKill.values().stream().filter(s -> "pending".equals(s.tab())).count());
        out.put("queued", atKill.values().stream().filter(s -> "queued".equals(s.state())).count());
        for (Instance i : instances) {
            out.put("in_flight on " + i.name(), atKill.values().stream()
                    .filter(s -> "in_flight".equals(s.state()) && Long.valueOf(i.id()).equals(s.claimedBy())).count());
        }
        out.put("submitted, awaiting receipts", atKill.values().stream()
                .filter(s -> "submitted".equals(s.state()) && "pending".equals(s.tab())).count());
        return out;
    }

    /** What the store holds of one message in the end. */
    record Final(Long claimedBy, int attempts, long claimedAtMillis, String carrierMessageId, String tab) {
    }

    Map<String, Final> finals() throws Exception {
        Map<String, Final> out = new HashMap<>();
        try (Connection conn = db.database().dataSource().getConnection();
             PreparedStatement ps = conn.prepareStatement("select recipient, claimed_by, submit_attempts, "
                     + "(extract(epoch from submitted_at) * 1000)::bigint, carrier_message_id, tab from messages");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long claimed = rs.getLong(2);
                Long claimedBy = rs.wasNull() ? null : claimed;
                out.put(rs.getString(1), new Final(claimedBy, rs.getInt(3), rs.getLong(4), rs.getString(5),
                        rs.getString(6)));
            }
        }
        return out;
    }

    /** Every submit the carriers received, by number (with its +). */
    Map<String, List<Received>> received() {
        Map<String, List<Received>> out = new HashMap<>();
        for (SimulatedCarrier car : carriers) {
            List<Ledger.Entry> entries = car.ledger().entries();
            for (int i = 0; i < entries.size(); i++) {
                Ledger.Entry e = entries.get(i);
                assertEquals(0, e.submitStatus(), "every submit accepted: " + e);
                out.computeIfAbsent("+" + e.destination(), k -> new ArrayList<>()).add(new Received(car, i, e));
            }
        }
        return out;
    }

    /**
     * The submit of a message that came after the kill, told from the ledgers alone: b held binds through HAProxy
     * only, so of two submits of one number, the one b sent is on a carrier bound through HAProxy, and the resend
     * is either later in the same carrier's ledger or on a carrier bound directly. Null when none is.
     */
    static Received resend(List<Received> got, SimulatedCarrier... direct) {
        if (got.size() == 1) {
            return got.get(0);
        }
        if (got.size() != 2) {
            return null;
        }
        Received x = got.get(0);
        Received y = got.get(1);
        if (x.carrier() == y.carrier()) {
            return x.index() > y.index() ? x : y;
        }
        Set<SimulatedCarrier> directly = Set.of(direct);
        return directly.contains(x.carrier()) && !directly.contains(y.carrier()) ? x
                : directly.contains(y.carrier()) && !directly.contains(x.carrier()) ? y : null;
    }

    static boolean ready(String front) throws Exception {
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(front + "/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (ConnectException notYet) {
            return false;
        }
    }

    /** At most ten of a failure's rows, and how many more. */
    static Map<String, String> cut(Map<String, String> rows) {
        Map<String, String> out = new TreeMap<>();
        rows.entrySet().stream().limit(10).forEach(e -> out.put(e.getKey(), e.getValue()));
        if (rows.size() > 10) {
            out.put("…", (rows.size() - 10) + " more");
        }
        return out;
    }
}
