package io.dlrgate.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.BindTransceiver;
import io.dlrgate.gateway.http.Logins;
import io.dlrgate.gateway.http.RawHttp;
import io.dlrgate.gateway.smpp.RawSmppSocket;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.ReceiptFixtures;
import io.dlrgate.gateway.testing.ReceiptStreamer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, items 1-4 together for a minute against a carrier that keeps sending receipts: a real gateway with small
 * caps on a real PostgreSQL, and at the same time
 * <ul>
 *   <li>a good carrier (127.0.0.1) binding, streaming receipts for messages already submitted to it, unbinding, and
 *       binding again, round after round;</li>
 *   <li>waves of idle and slow-header HTTP connections beyond {@code http.max_connections} from 127.0.0.2 (item 1);
 *   </li>
 *   <li>a flood of SMPP connections that never bind, from 127.0.0.2 (item 2);</li>
 *   <li>wrong-password SMPP binds (item 3) and wrong HTTP logins (item 4) from 127.0.0.3;</li>
 *   <li>a legitimate HTTP client (127.0.0.1) reading {@code /health} and logging in, each time on a new connection.
 *   </li>
 * </ul>
 * Then: every receipt the carrier heard ESME_ROK for is stored, once, and the campaign's tabs are exact; the carrier
 * was never refused a bind; every legitimate HTTP request succeeded (within {@link #LEGIT_PATIENCE}: the HTTP cap is
 * global, so a wave of the attacker fills it until the header timeout closes the wave); and each protection did
 * fire (its refusal or lockout was counted), so the attackers were really there.
 *
 * <p>All of 127.0.0.0/8 is loopback on Linux. Threads: one per attacker and one for the legitimate client (a fixed
 * pool), plus the carrier on the test thread; connections: at most {@link #HTTP_WAVE} + {@link #SMPP_FLOOD} + 5.
 */
class HostilePeersSoakTest {

    /** How long the attack lasts (the issue asks for a minute). */
    static final Duration DURATION = Duration.ofSeconds(60);

    static final int HTTP_MAX_CONNECTIONS = 50;
    static final int SMPP_MAX_UNBOUND = 5;
    /** Two flooders' worth (127.0.0.2 and 127.0.0.3) leaves one unbound place for the carrier. */
    static final int SMPP_MAX_UNBOUND_PER_ADDRESS = 2;
    static final String LIMITS = "{limit: 5, window: 1m, lockout: 10s}";

    /** The carrier binds every {@link #ROUND_PERIOD} and sends {@link #ROUND_RECEIPTS} receipts in each session. */
    static final Duration ROUND_PERIOD = Duration.ofSeconds(2);
    static final int ROUND_RECEIPTS = 400;
    static final int MAX_ROUNDS = (int) (DURATION.toMillis() / ROUND_PERIOD.toMillis()) + 1;
    static final Duration ROUND_TIMEOUT = Duration.ofSeconds(30);

    static final int HTTP_WAVE = HTTP_MAX_CONNECTIONS + 20;
    static final Duration HTTP_WAVE_PERIOD = Duration.ofSeconds(8);
    static final Duration HTTP_WAVE_HOLD = Duration.ofSeconds(6);
    static final int SMPP_FLOOD = 8;
    static final int SMPP_GUESSERS = 2;
    static final Duration LEGIT_PERIOD = Duration.ofMillis(1500);
    /** How long a legitimate request may keep being retried: the header timeout closing a wave, with room. */
    static final Duration LEGIT_PATIENCE = Duration.ofSeconds(10);

    static final InetAddress GOOD = InetAddress.getLoopbackAddress();
    static final InetAddress FLOODER = address("127.0.0.2");
    static final InetAddress GUESSER = address("127.0.0.3");

    final AtomicBoolean stop = new AtomicBoolean();
    final List<String> legitFailures = new CopyOnWriteArrayList<>();
    final AtomicInteger legitRequests = new AtomicInteger();
    final AtomicInteger legitRetried = new AtomicInteger();
    final AtomicInteger httpWaves = new AtomicInteger();
    final AtomicInteger smppFloodConnections = new AtomicInteger();
    final Map<Integer, Integer> guessedBinds = new ConcurrentHashMap<>();
    final Map<Integer, Integer> guessedLogins = new ConcurrentHashMap<>();

    @Test
    void receiptsAreKeptAndTheCarrierBindsEveryTimeWhileHostilePeersAttack() throws Exception {
        try (GatewayHarness gw = GatewayHarness.start("""
                auth:
                  login_failures: %s
                  users:
                    - {name: ada, password: admin-pass, role: admin}
                carriers:
                  - {id: acme, system_id: acme, password: acme-pw, prefixes: ["+44"]}
                """.formatted(LIMITS),
                "  bind_timeout: 3s\n  max_unbound_connections: " + SMPP_MAX_UNBOUND + "\n  max_unbound_per_address: "
                        + SMPP_MAX_UNBOUND_PER_ADDRESS + "\n  bind_failures: " + LIMITS + "\n",
                "  max_connections: " + HTTP_MAX_CONNECTIONS + "\n  request_header_timeout: 2s\n  idle_timeout: 5s\n",
                Clock.systemUTC())) {
            int seeded = MAX_ROUNDS * ROUND_RECEIPTS;
            long campaign;
            try (Connection c = gw.db().database().connection()) {
                campaign = ReceiptFixtures.seedCampaign(c, "Soak");
                ReceiptFixtures.seedSubmittedMessages(c, campaign, "acme", "s", seeded);
            }
            List<ReceiptStreamer.Receipt> receipts = ReceiptFixtures.receipts("s", seeded);
            int http = gw.gateway().httpPort();
            int smpp = gw.smppPort();

            ExecutorService peers = Executors.newFixedThreadPool(4 + SMPP_GUESSERS);
            List<Future<?>> running = new ArrayList<>();
            running.add(peers.submit(() -> httpWaves(http)));
            running.add(peers.submit(() -> smppFlood(smpp)));
            for (int i = 0; i < SMPP_GUESSERS; i++) {
                running.add(peers.submit(() -> smppGuesses(smpp)));
            }
            running.add(peers.submit(() -> loginGuesses(http)));
            running.add(peers.submit(() -> legitimateClient(http)));

            Set<String> sent = new HashSet<>();
            Set<String> acked = new HashSet<>();
            Set<String> refusedReceipts = new HashSet<>();
            List<String> bindRefusals = new ArrayList<>();
            int rounds = 0;
            long start = System.nanoTime();
            long end = start + DURATION.toNanos();
            try {
                while (System.nanoTime() < end && rounds < MAX_ROUNDS) {
                    long roundStart = System.nanoTime();
                    List<ReceiptStreamer.Receipt> chunk = receipts.subList(rounds * ROUND_RECEIPTS,
                            (rounds + 1) * ROUND_RECEIPTS);
                    ReceiptStreamer carrier;
                    try {
                        carrier = ReceiptStreamer.to(smpp).systemId("acme").password("acme-pw").sessions(1)
                                .window(50).start(chunk);
                    } catch (IllegalStateException refused) {
                        bindRefusals.add(String.format("after %.1f s: %s", (System.nanoTime() - start) / 1e9,
                                refused.getMessage()));
                        sleepUntil(roundStart + ROUND_PERIOD.toNanos());
                        continue; // the same receipts again in the next round
                    }
                    chunk.forEach(r -> sent.add(r.id()));
                    try {
                        carrier.awaitDone(ROUND_TIMEOUT);
                    } finally {
                        carrier.unbindAndClose(Duration.ofSeconds(5));
                    }
                    acked.addAll(carrier.ackedOk());
                    refusedReceipts.addAll(carrier.refused());
                    rounds++;
                    sleepUntil(roundStart + ROUND_PERIOD.toNanos());
                }
            } finally {
                stop.set(true);
                peers.shutdown();
                assertTrue(peers.awaitTermination(30, TimeUnit.SECONDS), "the attackers stopped");
            }
            for (Future<?> f : running) {
                f.get(); // an attacker or the legitimate client that broke down fails the test
            }

            Map<String, Integer> stored;
            Map<String, Long> tabs;
            try (Connection c = gw.db().database().connection()) {
                stored = ReceiptFixtures.storedReceiptCounts(c, "acme");
                tabs = ReceiptFixtures.tabCounts(c, campaign);
            }
            String metrics = gw.get("/metrics").body();
            System.out.printf("hostile peers for %d s: %d carrier binds, %d refused; %d receipts sent, %d acked OK, "
                            + "%d stored; %d legitimate HTTP requests (%d needed a retry), failed: %s%n",
                    DURATION.toSeconds(), rounds, bindRefusals.size(), sent.size(), acked.size(), stored.size(),
                    legitRequests.get(), legitRetried.get(), legitFailures);
            System.out.printf("hostile peers: %d HTTP waves of %d connections, %d unbound SMPP connections opened, "
                            + "wrong binds answered %s, wrong logins answered %s; tabs %s%n", httpWaves.get(),
                    HTTP_WAVE, smppFloodConnections.get(), guessedBinds, guessedLogins, tabs);

            assertEquals(List.of(), bindRefusals, "the carrier was refused a bind");
            assertTrue(rounds > 1, "the carrier unbound and bound again: " + rounds + " rounds");
            assertEquals(sent, acked, "every receipt sent was acknowledged OK in its round");
            assertEquals(Set.of(), refusedReceipts, "no receipt refused for good");
            assertEquals(acked, stored.keySet(), "the receipts acknowledged OK are the receipts stored");
            assertTrue(stored.values().stream().allMatch(n -> n == 1), "each stored once");
            assertEquals(expectedTabs(receipts, acked), tabs);

            assertEquals(List.of(), legitFailures, "legitimate HTTP requests that failed");
            assertTrue(legitRequests.get() >= 3, "a login and reads of /health were made: " + legitRequests.get());

            // The attacks were real: each protection refused or locked out something.
            assertTrue(metric(metrics, "dlrgate_http_connections_refused_total") > 0, "HTTP connections refused");
            assertTrue(metric(metrics, "dlrgate_smpp_connections_refused_total{reason=\"max_unbound_per_address\"}")
                    > 0, "unbound SMPP connections refused per address");
            assertTrue(metric(metrics, "dlrgate_smpp_bind_lockouts_total") > 0, "SMPP bind lockouts");
            assertTrue(metric(metrics, "dlrgate_http_login_lockouts_total") > 0, "HTTP login lockouts");
        }
    }

    /** Waves of idle and slow-header connections beyond the cap, each held until the gateway closes it (item 1). */
    void httpWaves(int port) {
        byte[] head = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII);
        while (!stop.get()) {
            long waveStart = System.nanoTime();
            httpWaves.incrementAndGet();
            List<Socket> wave = new ArrayList<>();
            try {
                for (int i = 0; i < HTTP_WAVE; i++) {
                    Socket s = connectFrom(FLOODER, port);
                    wave.add(s);
                    if (i % 2 == 1) {
                        writeQuietly(s, head); // a head that never ends; the others send nothing at all
                    }
                }
                long holdEnd = waveStart + HTTP_WAVE_HOLD.toNanos();
                while (!stop.get() && System.nanoTime() < holdEnd) {
                    for (int i = 1; i < wave.size(); i += 2) {
                        writeQuietly(wave.get(i), new byte[] {'X'}); // one header byte at a time
                    }
                    pause(Duration.ofMillis(500));
                }
            } catch (IOException e) {
                // could not even connect: the next wave tries again
            } finally {
                wave.forEach(HostilePeersSoakTest::closeQuietly);
            }
            sleepUntil(waveStart + HTTP_WAVE_PERIOD.toNanos());
        }
    }

    /** {@link #SMPP_FLOOD} connections that never bind, each reopened as soon as the gateway closes it (item 2). */
    void smppFlood(int port) {
        List<RawSmppSocket> held = new ArrayList<>();
        try {
            while (!stop.get()) {
                held.removeIf(s -> {
                    try {
                        if (s.closedWithin(1)) {
                            s.close();
                            return true;
                        }
                        return false;
                    } catch (IOException e) {
                        return true;
                    }
                });
                while (held.size() < SMPP_FLOOD) {
                    try {
                        held.add(new RawSmppSocket(port, FLOODER));
                        smppFloodConnections.incrementAndGet();
                    } catch (IOException e) {
                        break;
                    }
                }
                pause(Duration.ofMillis(200));
            }
        } finally {
            held.forEach(HostilePeersSoakTest::closeQuietly);
        }
    }

    /** Wrong bind passwords for the carrier's system_id, one connection each, as fast as they are answered (item 3). */
    void smppGuesses(int port) {
        while (!stop.get()) {
            try (RawSmppSocket s = new RawSmppSocket(port, GUESSER)) {
                BindTransceiver bind = new BindTransceiver();
                bind.setSystemId("acme");
                bind.setPassword("guess");
                bind.setInterfaceVersion(SmppConstants.VERSION_3_4);
                s.send(bind);
                guessedBinds.merge(s.read().getCommandStatus(), 1, Integer::sum);
            } catch (Exception e) {
                guessedBinds.merge(-1, 1, Integer::sum); // refused at accept, or closed before its answer
            }
            pause(Duration.ofMillis(20));
        }
    }

    /** Wrong passwords on {@code /api/v1/login}, each answered before the next (item 4). */
    void loginGuesses(int port) {
        for (int i = 0; !stop.get(); i++) {
            try {
                guessedLogins.merge(Logins.loginFrom(GUESSER.getHostAddress(), port, "ada", "guess-" + i), 1,
                        Integer::sum);
            } catch (Exception e) {
                guessedLogins.merge(-1, 1, Integer::sum); // refused at accept while a wave fills the cap
            }
            pause(Duration.ofMillis(50));
        }
    }

    /** {@code /health}, and every third time a login with the right password, each on a new connection. */
    void legitimateClient(int port) {
        for (int i = 0; !stop.get(); i++) {
            boolean health = i % 3 != 0;
            String what = health ? "GET /health" : "login";
            legitRequests.incrementAndGet();
            long deadline = System.nanoTime() + LEGIT_PATIENCE.toNanos();
            String last = "no answer";
            boolean ok = false;
            for (int attempt = 0; !ok && System.nanoTime() < deadline; attempt++) {
                if (attempt == 1) {
                    legitRetried.incrementAndGet();
                }
                try {
                    if (health) {
                        try (RawHttp h = new RawHttp(port)) {
                            h.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
                            ok = h.readUntil("HTTP/1.1 200 ", Duration.ofSeconds(5));
                        }
                    } else {
                        int status = Logins.loginFrom(GOOD.getHostAddress(), port, "ada", "admin-pass");
                        if (status != 200) {
                            legitFailures.add("login answered " + status); // an answer, not a refused connection
                            break;
                        }
                        ok = true;
                    }
                } catch (Exception e) {
                    last = e.toString(); // closed at accept while a wave fills the cap: try again
                }
                if (!ok) {
                    pause(Duration.ofMillis(200));
                }
            }
            if (!ok && !stop.get()) {
                legitFailures.add(what + " not served within " + LEGIT_PATIENCE + ": " + last);
            }
            pause(LEGIT_PERIOD);
        }
    }

    /** Tabs: the acknowledged receipts' outcomes, every other seeded message still Pending. */
    static Map<String, Long> expectedTabs(List<ReceiptStreamer.Receipt> seeded, Set<String> acked) {
        Map<String, Long> all = ReceiptFixtures.expectedTabs(0);
        for (ReceiptStreamer.Receipt r : seeded) {
            all.merge(acked.contains(r.id()) ? ReceiptFixtures.tabOf(r.stat()) : "pending", 1L, Long::sum);
        }
        return all;
    }

    static double metric(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    static Socket connectFrom(InetAddress from, int port) throws IOException {
        Socket s = new Socket();
        try {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress(GOOD, port), 2_000);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    static void writeQuietly(Socket s, byte[] bytes) {
        try {
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
        } catch (IOException e) {
            // closed by the gateway: what it is meant to do
        }
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }

    void pause(Duration d) {
        sleepUntil(System.nanoTime() + d.toNanos());
    }

    /** Sleeps until {@code nanoTime}, or until the test stops. */
    void sleepUntil(long nanoTime) {
        try {
            while (!stop.get() && System.nanoTime() < nanoTime) {
                Thread.sleep(Math.min(100, Math.max(1, (nanoTime - System.nanoTime()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
