package io.dlrgate.dist;

import io.dlrgate.config.CarrierConfig;
import io.dlrgate.config.GatewayConfig;
import io.dlrgate.config.Role;
import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.gateway.cli.GatewayLauncher;
import io.dlrgate.gateway.cli.ServeCommand;
import io.dlrgate.reporting.user.PasswordHash;
import io.dlrgate.reporting.user.UserStore;
import io.dlrgate.simulator.carrier.IdFormat;
import io.dlrgate.simulator.carrier.IdStarts;
import io.dlrgate.simulator.carrier.SimulatedCarrier;
import io.dlrgate.simulator.outcome.DelayRange;
import io.dlrgate.simulator.outcome.OutcomeWeights;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dlrgate demo}: the gateway with the default config (embedded database unless DLRGATE_DB_URL is set) or
 * the one {@code --config} names, its carriers played by simulated carriers with mixed outcomes, a demo campaign
 * and a few single sends, then "where to look". Runs until Ctrl-C; the carriers keep answering.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start the gateway, bind a simulated carrier for each configured one, send a demo campaign and single sends.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML config file (default: $DLRGATE_CONFIG, else the built-in dlrgate.yaml)")
    String config;

    @Option(names = "--contacts", defaultValue = "3000", description = "contacts in the demo campaign (default ${DEFAULT-VALUE})")
    int contacts;

    @Option(names = "--seed", defaultValue = "42", description = "seed of the simulated carriers' outcomes (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--exit-when-settled", description = "stop once every receipt is in, instead of running until Ctrl-C")
    boolean exitWhenSettled;

    /**
     * The demo's web UI user. Admin, not viewer: the demo is a local tour of every page, settings and suppressions
     * included, on a store of its own; its password is new at each run and printed once.
     */
    static final String DEMO_USER = "demo";

    private static final String[] PREFIXES = {"+447700", "+3361234", "+1202555"};

    @Override
    public Integer call() throws Exception {
        Gateway gateway;
        try {
            gateway = GatewayLauncher.start(config, false);
        } catch (GatewayLauncher.StartFailed e) {
            return e.exitCode();
        }
        GatewayConfig cfg = gateway.config();
        List<SimulatedCarrier> sims = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sims.forEach(SimulatedCarrier::close);
            gateway.close();
            stopped.countDown();
        }, "dlrgate-demo-shutdown"));

        int i = 0;
        java.time.Instant runStart = java.time.Instant.now();
        for (CarrierConfig c : cfg.carriers()) {
            SimulatedCarrier sim = new SimulatedCarrier(io.dlrgate.simulator.carrier.SimCarrierSettings
                    .builder(c.systemId(), c.password())
                    .host("127.0.0.1").port(gateway.smppPort())
                    // ids unique to this run: a demo run again on the same database must not reuse the last ids
                    .idStart(IdStarts.forRun(IdFormat.DECIMAL, i, runStart))
                    .weights(OutcomeWeights.parse("DELIVRD=70,ENROUTE=0,UNDELIV=10,EXPIRED=6,DELETED=4,REJECTD=5,ACCEPTD=5"))
                    .enroute(true)
                    .delay(new DelayRange(200, 4000))
                    .seed(seed + i++)
                    .build());
            sim.start();
            sims.add(sim);
        }
        for (SimulatedCarrier s : sims) {
            s.awaitBound(Duration.ofSeconds(10));
        }

        Api api = new Api("http://127.0.0.1:" + gateway.httpPort(), gateway.apiKey());
        long campaign = api.createCampaign();
        List<String> numbers = new ArrayList<>(contacts);
        for (int n = 0; n < contacts; n++) {
            numbers.add(PREFIXES[n % PREFIXES.length] + String.format("%04d", n / PREFIXES.length));
        }
        // What was queued, not what was asked: numbers suppressed by earlier demo runs are skipped.
        long queued = api.send(campaign, numbers);
        String[] sources = {"ui", "api", "program"};
        for (int n = 0; n < 12; n++) {
            queued += api.single(PREFIXES[n % PREFIXES.length] + String.format("9%03d", n), sources[n % 3]) ? 1 : 0;
        }

        String demoPassword = PasswordHash.randomPassword();
        new UserStore(gateway.database().dataSource(), Clock.systemUTC()).put(DEMO_USER, Role.ADMIN, demoPassword);
        ServeCommand.printBanner(gateway);
        String base = "http://127.0.0.1:" + gateway.httpPort() + "/api/v1";
        System.out.println("Demo traffic: campaign " + campaign + " to " + contacts + " contacts, 12 single sends ("
                + queued + " queued; numbers that bounced hard in earlier demo runs are suppressed), three "
                + "simulated carriers answering with mixed outcomes over the next seconds.");
        System.out.println("Where to look:");
        System.out.println("  curl -H 'Authorization: Bearer " + gateway.apiKey() + "' " + base + "/campaigns/" + campaign + "/report");
        System.out.println("  curl -H 'Authorization: Bearer " + gateway.apiKey() + "' '" + base + "/campaigns/" + campaign
                + "/report/hard-bounces?limit=10'");
        String host = cfg.http().host().equals("0.0.0.0") || cfg.http().host().equals("::") ? "127.0.0.1"
                : cfg.http().host();
        System.out.println("Web UI: http://" + host + ":" + gateway.httpPort() + "/  log in as " + DEMO_USER + " / "
                + demoPassword);
        if (exitWhenSettled) {
            boolean settled = awaitSettled(sims, queued, Duration.ofMinutes(2));
            System.out.println(api.report(campaign));
            if (!settled) {
                System.err.println("demo: not settled within 2 minutes (" + messagesReached(sims) + " of " + queued
                        + " messages reached the carriers); the report above is partial");
            }
            System.exit(settled ? 0 : 1);
        }
        System.out.println("Press Ctrl-C to stop.");
        stopped.await();
        return 0;
    }

    /**
     * Waits until every queued message has reached a carrier and every receipt has been answered. Both: a carrier
     * with no receipt outstanding may simply not have been sent anything yet.
     */
    private static boolean awaitSettled(List<SimulatedCarrier> sims, long queued, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (messagesReached(sims) >= queued
                    && sims.stream().allMatch(s -> s.stats().receiptsOutstanding() == 0)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /**
     * Messages that reached a carrier: every demo message goes to a number of its own, so distinct accepted
     * destinations count messages, not submits (a submit sent again after a timeout is not a second message).
     */
    private static long messagesReached(List<SimulatedCarrier> sims) {
        java.util.Set<String> numbers = new java.util.HashSet<>();
        for (SimulatedCarrier s : sims) {
            for (io.dlrgate.simulator.carrier.Ledger.Entry e : s.ledger().entries()) {
                if (e.submitStatus() == 0) {
                    numbers.add(e.destination());
                }
            }
        }
        return numbers.size();
    }

    /** The demo campaign's name, with when it ran: a rerun adds a campaign the list tells apart from the last. */
    static String campaignName(java.time.Instant startedAt) {
        return "Winter sale (demo " + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
                .withZone(java.time.ZoneOffset.UTC).format(startedAt) + ")";
    }

    /** The demo drives the gateway through its public HTTP API, like any client would. */
    private record Api(String base, String key) {
        private static final HttpClient HTTP = HttpClient.newHttpClient();
        private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
        private static final Pattern QUEUED = Pattern.compile("\"queued\"\\s*:\\s*(\\d+)");

        long createCampaign() throws Exception {
            String body = post("/api/v1/campaigns", "{\"name\":\"" + campaignName(java.time.Instant.now())
                    + "\",\"content\":\"Winter sale: 30% off "
                    + "coats this weekend only. Reply STOP to opt out.\",\"createdBy\":\"demo\"}");
            Matcher m = ID.matcher(body);
            if (!m.find()) {
                throw new IllegalStateException("unexpected answer: " + body);
            }
            return Long.parseLong(m.group(1));
        }

        /** @return how many messages the send queued */
        long send(long campaign, List<String> numbers) throws Exception {
            StringBuilder sb = new StringBuilder("{\"sentBy\":\"demo\",\"contacts\":[");
            for (int i = 0; i < numbers.size(); i++) {
                sb.append(i == 0 ? "" : ",").append('"').append(numbers.get(i)).append('"');
            }
            String body = post("/api/v1/campaigns/" + campaign + "/sends", sb.append("]}").toString());
            Matcher m = QUEUED.matcher(body);
            if (!m.find()) {
                throw new IllegalStateException("unexpected answer: " + body);
            }
            return Long.parseLong(m.group(1));
        }

        /** @return whether the message was queued (not skipped as suppressed) */
        boolean single(String to, String source) throws Exception {
            String body = post("/api/v1/messages", "{\"to\":\"" + to + "\",\"content\":\"Your code is 4821. It "
                    + "expires in 10 minutes.\",\"source\":\"" + source + "\"}");
            return body.contains("\"queued\"");
        }

        String report(long campaign) throws Exception {
            return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/campaigns/" + campaign + "/report"))
                    .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString()).body();
        }

        String post(String path, String json) throws Exception {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) {
                throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        }
    }
}
