package io.dlrgate.bench;

import io.dlrgate.config.ConfigLoader;
import io.dlrgate.config.GatewayConfig;
import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.simulator.load.LatencyRecorder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dlrgate bench logins}: does the cost of a login, of a request on a session cookie and of {@code /health}
 * grow with the number of sessions? Measures all three (one client, one request at a time, so the figures are
 * latencies, not queueing), then makes {@code --logins} more logins from several clients, spread over
 * {@code --users} users so that the per-user cap keeps them (users x {@code auth.max_sessions_per_user} sessions),
 * then measures again. Figures only, no thresholds.
 */
@Command(name = "logins", mixinStandardHelpOptions = true,
        description = "Login, cookie request and /health latency before and after many logins (sessions in the "
                + "store), side by side.")
public final class LoginsBench implements Callable<Integer> {

    @Option(names = "--logins", defaultValue = "50000", description = "logins between the two measurements (default ${DEFAULT-VALUE})")
    int logins;

    @Option(names = "--users", defaultValue = "2500", description = "configured users the logins are spread over; each keeps up to 20 sessions (default ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--clients", defaultValue = "8", description = "concurrent clients making the logins (default ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--samples", defaultValue = "2000", description = "requests of each kind per measurement (default ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--max-seconds", defaultValue = "900", description = "time bound of the logins phase (default ${DEFAULT-VALUE})")
    long maxSeconds;

    @Mixin
    BenchDatabaseOptions database = new BenchDatabaseOptions();

    private static final String PASSWORD = "bench-password";
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** One measurement: latencies of each kind, and how many sessions the store held. */
    record Figures(LatencyRecorder login, LatencyRecorder cookie, LatencyRecorder health, long sessions) {
    }

    @Override
    public Integer call() throws Exception {
        if (logins < 0 || users < 1 || users > 100_000 || clients < 1 || clients > 64 || samples < 1) {
            throw new IllegalArgumentException("need --logins >= 0, --users 1..100000, --clients 1..64, --samples >= 1");
        }
        System.out.printf(Locale.ROOT, "bench logins: %,d logins over %,d users by %d clients, %,d samples per "
                        + "measurement; JVM %s, %d CPUs%n", logins, users, clients, samples,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        try (BenchDatabase db = database.open("logins")) {
            System.out.println("database: " + db.describe());
            try (Gateway gateway = Gateway.start(config(db), Clock.systemUTC())) {
                String base = "http://127.0.0.1:" + gateway.httpPort();
                measure(base, db, Math.min(samples, 500)); // warm-up: JIT, pool, caches
                Figures before = measure(base, db, samples);
                long t0 = System.nanoTime();
                long made = loginMany(base);
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "%,d logins in %.1f s = %,.0f logins/s (%d clients)%n", made, seconds,
                        made / seconds, clients);
                Figures after = measure(base, db, samples);
                print(before, after);
            }
        }
        return 0;
    }

    private GatewayConfig config(BenchDatabase db) {
        StringBuilder y = new StringBuilder();
        y.append("smpp:\n  host: 127.0.0.1\n  port: 0\n");
        y.append("http:\n  host: 127.0.0.1\n  port: 0\n  api_key: ").append(BenchGateway.API_KEY).append('\n');
        y.append("database:\n  url: \"").append(db.url()).append("\"\n  user: ").append(db.user())
                .append("\n  pool_size: ").append(database.poolSize).append('\n');
        y.append("auth:\n  max_sessions: 1000000\n  users:\n");
        for (int i = 0; i < users; i++) {
            y.append("    - {name: user").append(i).append(", password: ").append(PASSWORD).append(", role: viewer}\n");
        }
        y.append("carriers:\n  - {id: bench, system_id: bench, password: bench-pw, prefixes: [\"+44\"]}\n");
        return ConfigLoader.fromYaml(y.toString(), "bench.yaml", Map.of());
    }

    /** {@code samples} logins, requests on the last cookie and {@code /health}, one at a time. */
    private Figures measure(String base, BenchDatabase db, int samples) throws Exception {
        LatencyRecorder login = new LatencyRecorder();
        LatencyRecorder cookie = new LatencyRecorder();
        LatencyRecorder health = new LatencyRecorder();
        String lastCookie = null;
        for (int i = 0; i < samples; i++) {
            long t = System.nanoTime();
            lastCookie = login(base, "user" + (i % users));
            login.recordNanos(System.nanoTime() - t);
            t = System.nanoTime();
            expect(200, http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/me")).header("Cookie", lastCookie)
                    .build(), HttpResponse.BodyHandlers.discarding()), "/api/v1/me");
            cookie.recordNanos(System.nanoTime() - t);
            t = System.nanoTime();
            expect(200, http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.discarding()), "/health");
            health.recordNanos(System.nanoTime() - t);
        }
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from login_sessions")) {
            rs.next();
            return new Figures(login, cookie, health, rs.getLong(1));
        }
    }

    private long loginMany(String base) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicLong next = new AtomicLong();
        long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
        try {
            List<Future<Long>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(pool.submit(() -> {
                    long n = 0;
                    for (long i = next.getAndIncrement(); i < logins && System.nanoTime() < deadline;
                         i = next.getAndIncrement()) {
                        login(base, "user" + (i % users));
                        n++;
                    }
                    return n;
                }));
            }
            long total = 0;
            for (Future<Long> f : done) {
                total += f.get();
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }

    private String login(String base, String user) throws Exception {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"" + user + "\",\"password\":\"" + PASSWORD + "\"}")).build(),
                HttpResponse.BodyHandlers.discarding());
        expect(200, r, "login");
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static void expect(int status, HttpResponse<?> r, String what) {
        if (r.statusCode() != status) {
            throw new IllegalStateException(what + " answered " + r.statusCode());
        }
    }

    private void print(Figures before, Figures after) {
        FiguresTable t = new FiguresTable(String.format(Locale.ROOT, "dlrgate bench logins: one request at a time, "
                + "%,d samples each, before and after %,d logins", samples, logins), List.of("before", "after"));
        t.row("sessions in the store", String.format(Locale.ROOT, "%,d", before.sessions()),
                String.format(Locale.ROOT, "%,d", after.sessions()));
        row(t, "login", before.login(), after.login());
        row(t, "GET /api/v1/me on the cookie", before.cookie(), after.cookie());
        row(t, "GET /health", before.health(), after.health());
        t.print(System.out);
        System.out.println("Latency as the client sees it over loopback HTTP/1.1; the database, the gateway and the "
                + "client share the machine's CPUs: compare the columns, not machines.");
    }

    private static void row(FiguresTable t, String what, LatencyRecorder before, LatencyRecorder after) {
        t.row(what + " p50", FiguresTable.ms(before.percentileMicros(50)), FiguresTable.ms(after.percentileMicros(50)));
        t.row(what + " p99", FiguresTable.ms(before.percentileMicros(99)), FiguresTable.ms(after.percentileMicros(99)));
        t.row(what + " max", FiguresTable.ms(before.maxMicros()), FiguresTable.ms(after.maxMicros()));
    }
}
