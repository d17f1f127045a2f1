package io.dlrgate.simulator.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.cloudhopper.smpp.SmppConstants;
import io.dlrgate.simulator.carrier.CarrierStats;
import io.dlrgate.simulator.carrier.SimCarrierSettings;
import io.dlrgate.simulator.carrier.SimulatedCarrier;
import io.dlrgate.simulator.cli.SimCommand;
import io.dlrgate.simulator.outcome.DelayRange;
import io.dlrgate.simulator.testing.FakeGatewayServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The simulator's /metrics: a carrier run against the fake gateway with a known number of submits, scraped over
 * HTTP; the parsed exposition must be valid text format 0.0.4 and equal CarrierStats (and the known figures).
 */
class SimMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final HttpClient http = HttpClient.newHttpClient();

    // ------------------------------------------------------------------------------------ exposition parser
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern META = Pattern.compile("# (HELP|TYPE) (\\S+) (.*)");
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*)\\})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** Parsed samples: name -> (label set as "k=v,..." -> value). Fails on any line that is not valid exposition. */
    static Map<String, Map<String, Double>> parse(String text) {
        assertTrue(text.endsWith("\n"), "exposition ends with a line feed");
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        Map<String, String> types = new HashMap<>();
        Set<String> helped = new HashSet<>();
        Set<String> sampled = new HashSet<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            String where = "line " + lineNo + ": '" + line + "'";
            Matcher m = META.matcher(line);
            if (m.matches()) {
                String name = m.group(2);
                assertTrue(NAME.matcher(name).matches(), "metric name, " + where);
                assertFalse(sampled.contains(name), "HELP/TYPE before the samples, " + where);
                if (m.group(1).equals("TYPE")) {
                    assertTrue(List.of("counter", "gauge", "histogram", "summary", "untyped").contains(m.group(3)),
                            "type, " + where);
                    assertEquals(null, types.put(name, m.group(3)), "one TYPE per family, " + where);
                } else {
                    assertTrue(helped.add(name), "one HELP per family, " + where);
                    assertFalse(m.group(3).isBlank(), "HELP has text, " + where);
                }
                continue;
            }
            assertFalse(line.startsWith("#"), "no other comments expected, " + where);
            m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "sample syntax, " + where);
            String name = m.group(1);
            assertNotNull(types.get(name), "TYPE before the samples, " + where);
            assertTrue(helped.contains(name), "HELP before the samples, " + where);
            if (types.get(name).equals("counter")) {
                assertTrue(name.endsWith("_total"), "counter ends in _total, " + where);
            }
            sampled.add(name);
            StringBuilder labels = new StringBuilder();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.append(labels.length() == 0 ? "" : ",").append(l.group(1)).append('=').append(l.group(2));
                }
            }
            double v = Double.parseDouble(m.group(3));
            assertEquals(null, out.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(labels.toString(), v),
                    "no duplicate series, " + where);
        }
        return out;
    }

    private String scrape(int port) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        return r.body();
    }

    private static double value(Map<String, Map<String, Double>> m, String name, String carrier) {
        Map<String, Double> series = m.get(name);
        assertNotNull(series, "family " + name + " in " + m.keySet());
        Double v = series.get("carrier=" + carrier);
        assertNotNull(v, name + "{carrier=" + carrier + "} in " + series.keySet());
        return v;
    }

    /** Every family equals the carrier's CarrierStats exactly. */
    private static void assertEqualsStats(Map<String, Map<String, Double>> m, String carrier, CarrierStats s) {
        assertEquals(s.submitsReceived(), value(m, "dlrgate_sim_submits_received_total", carrier));
        assertEquals(s.submitsRejected(), value(m, "dlrgate_sim_submits_rejected_total", carrier));
        assertEquals(s.receiptsPlanned(), value(m, "dlrgate_sim_receipts_planned_total", carrier));
        assertEquals(s.receiptsSent(), value(m, "dlrgate_sim_receipts_sent_total", carrier));
        assertEquals(s.receiptsAcknowledged(), value(m, "dlrgate_sim_receipts_acknowledged_total", carrier));
        assertEquals(s.throttledRetries(), value(m, "dlrgate_sim_receipts_throttled_total", carrier));
        assertEquals(s.receiptsRefused(), value(m, "dlrgate_sim_receipts_refused_total", carrier));
        assertEquals(s.binds(), value(m, "dlrgate_sim_binds_total", carrier));
        assertEquals(s.bindFailures(), value(m, "dlrgate_sim_bind_failures_total", carrier));
        assertEquals(s.boundSessions(), value(m, "dlrgate_sim_sessions_bound", carrier));
    }

    // ------------------------------------------------------------------------------------------------ tests
    @Test
    void countersOfAScriptedRunEqualCarrierStatsAndTheKnownFigures() throws Exception {
        int n = 40;
        int throttledPdus = 5;
        try (FakeGatewayServer gateway = FakeGatewayServer.start("carrier1", "pw1")) {
            // the first 5 receipt PDUs get the throttle answer, so exactly 5 are sent again
            gateway.answerReceipts((r, k) -> k <= throttledPdus ? SmppConstants.STATUS_THROTTLED : SmppConstants.STATUS_OK);
            SimulatedCarrier good = new SimulatedCarrier(SimCarrierSettings.builder("carrier1", "pw1").name("alpha")
                    .port(gateway.port()).delay(new DelayRange(0, 20)).reconnect(50, 200).retry(5, 50).build());
            // a wrong password: only bind failures, labelled with its own name
            SimulatedCarrier bad = new SimulatedCarrier(SimCarrierSettings.builder("carrier1", "wrong-pw").name("beta")
                    .port(gateway.port()).reconnect(50, 200).build());
            List<SimulatedCarrier> carriers = List.of(good, bad);
            try (MetricsServer metrics = MetricsServer.start("127.0.0.1", 0, () -> carriers)) {
                good.start();
                bad.start();
                assertTrue(good.awaitBound(WAIT));
                assertTrue(gateway.awaitSessions(1, WAIT));
                for (int i = 0; i < n; i++) {
                    gateway.submit("DLRGATE", String.format("4477009%05d", i), "metrics " + i);
                }
                assertTrue(good.awaitReceiptsSettled(WAIT), "settled: " + good.stats());
                // a refused bind is not retried: one failure, and the carrier says why it gave up
                assertTrue(FakeGatewayServer.waitFor(() -> bad.failure() != null, WAIT), "bind failures");
                assertEquals(1, bad.stats().bindFailures());

                // live: the settled carrier's counters are stable, so they match exactly while it runs
                Map<String, Map<String, Double>> live = parse(scrape(metrics.port()));
                assertEqualsStats(live, "alpha", good.stats());
                assertEquals(n, value(live, "dlrgate_sim_submits_received_total", "alpha"));
                assertEquals(0, value(live, "dlrgate_sim_submits_rejected_total", "alpha"));
                assertEquals(n, value(live, "dlrgate_sim_receipts_planned_total", "alpha"));
                assertEquals(n + throttledPdus, value(live, "dlrgate_sim_receipts_sent_total", "alpha"));
                assertEquals(n, value(live, "dlrgate_sim_receipts_acknowledged_total", "alpha"));
                assertEquals(throttledPdus, value(live, "dlrgate_sim_receipts_throttled_total", "alpha"));
                assertEquals(1, value(live, "dlrgate_sim_binds_total", "alpha"));
                assertEquals(0, value(live, "dlrgate_sim_bind_failures_total", "alpha"));
                assertEquals(1, value(live, "dlrgate_sim_sessions_bound", "alpha"));
                assertEquals(gateway.acknowledgedCount(), value(live, "dlrgate_sim_receipts_acknowledged_total", "alpha"));
                assertEquals(0, value(live, "dlrgate_sim_sessions_bound", "beta"));
                assertEquals(0, value(live, "dlrgate_sim_binds_total", "beta"));
                assertEquals(1, value(live, "dlrgate_sim_bind_failures_total", "beta"));
                // labels: only carrier, only the two names (never a number or an id)
                for (Map<String, Double> series : live.values()) {
                    assertEquals(Set.of("carrier=alpha", "carrier=beta"), series.keySet());
                }

                // stopped: nothing moves any more, every family of both carriers equals CarrierStats
                good.stop();
                bad.stop();
                Map<String, Map<String, Double>> after = parse(scrape(metrics.port()));
                assertEqualsStats(after, "alpha", good.stats());
                assertEqualsStats(after, "beta", bad.stats());
                assertEquals(0, value(after, "dlrgate_sim_sessions_bound", "alpha"));
            } finally {
                good.stop();
                bad.stop();
            }
        }
    }

    @Test
    void carrierCommandServesMetricsOnItsMetricsPort() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        int n = 7;
        try (FakeGatewayServer gateway = FakeGatewayServer.start("gamma", "gamma-pw")) {
            StringWriter out = new StringWriter();
            AtomicInteger exit = new AtomicInteger(-1);
            Thread cli = new Thread(() -> {
                var cl = SimCommand.commandLine();
                cl.setOut(new PrintWriter(out, true));
                cl.setErr(new PrintWriter(out, true));
                exit.set(cl.execute("carrier", "--port", String.valueOf(gateway.port()), "--system-id", "gamma",
                        "--password", "gamma-pw", "--delay-ms", "0..20", "--stats-every", "0", "--max-seconds", "8",
                        "--metrics-port", String.valueOf(port)));
            }, "sim-cli");
            cli.start();
            try {
                assertTrue(gateway.awaitSessions(1, WAIT), "bound; output: " + out);
                for (int i = 0; i < n; i++) {
                    gateway.submit("DLRGATE", String.format("3361200%04d", i), "cli metrics " + i);
                }
                assertTrue(FakeGatewayServer.waitFor(() -> gateway.acknowledgedCount() == n, WAIT));
                Map<String, Map<String, Double>> m = parse(scrape(port));
                assertEquals(n, value(m, "dlrgate_sim_submits_received_total", "gamma"));
                assertEquals(n, value(m, "dlrgate_sim_receipts_acknowledged_total", "gamma"));
                assertEquals(1, value(m, "dlrgate_sim_sessions_bound", "gamma"));
                // only /metrics
                HttpResponse<String> other = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/carriers")).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(404, other.statusCode());
            } finally {
                cli.join(30_000);
            }
            assertFalse(cli.isAlive(), "the carrier command ended");
            assertEquals(0, exit.get(), out.toString());
            assertTrue(out.toString().contains("metrics at http://127.0.0.1:" + port + "/metrics"), out.toString());
            assertTrue(out.toString().contains("submits received " + n + " "), out.toString());
        }
    }

    @Test
    void parserRejectsInvalidExposition() {
        // the checks above can fail: each of these must be refused
        for (String bad : List.of(
                "dlrgate_sim_x_total{carrier=\"a\"} 1\n",                                  // no HELP/TYPE
                "# HELP 9bad h\n# TYPE 9bad counter\n9bad 1\n",                           // bad name
                "# HELP a_total h\n# TYPE a_total counter\na_total 1\n# HELP a_total h\n",  // HELP after samples
                "# HELP a h\n# TYPE a counter\na 1\n",                                    // counter without _total
                "# HELP a_total h\n# TYPE a_total counter\na_total{carrier=a} 1\n")) {    // unquoted label
            try {
                parse(bad);
            } catch (AssertionError expected) {
                continue;
            }
            fail("accepted invalid exposition: " + bad);
        }
        assertEquals("a\\\"b\\\\c\\n", SimMetrics.escape("a\"b\\c\n"));
    }
}
