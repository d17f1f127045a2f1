package io.dlrgate.bench;

import io.dlrgate.config.ConfigLoader;
import io.dlrgate.config.GatewayConfig;
import io.dlrgate.gateway.app.Gateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The in-process gateway of a benchmark phase: its config (ports picked free, loopback only) and its API. */
final class BenchGateway {

    static final String API_KEY = "bench-key";

    /** One configured carrier of the benchmark config. */
    record Carrier(String id, String systemId, String password, String prefix, int maxBinds) {
    }

    private BenchGateway() {
    }

    static GatewayConfig config(BenchDatabase db, List<Carrier> carriers, int poolSize) {
        StringBuilder y = new StringBuilder();
        y.append("smpp:\n  host: 127.0.0.1\n  port: 0\n  max_connections: 200\n");
        y.append("http:\n  host: 127.0.0.1\n  port: 0\n  api_key: ").append(API_KEY).append('\n');
        y.append("database:\n  url: \"").append(db.url()).append("\"\n  user: ").append(db.user())
                .append("\n  pool_size: ").append(poolSize).append('\n');
        y.append("carriers:\n");
        for (Carrier c : carriers) {
            y.append("  - id: ").append(c.id()).append('\n')
                    .append("    system_id: ").append(c.systemId()).append('\n')
                    .append("    password: ").append(c.password()).append('\n')
                    .append("    max_binds: ").append(c.maxBinds()).append('\n')
                    .append("    window_size: 500\n")
                    .append("    max_submit_rate: 100000\n")
                    .append("    prefixes: [\"").append(c.prefix()).append("\"]\n");
        }
        // An empty environment: nothing from the shell (DLRGATE_DB_URL ...) may change what is measured.
        return ConfigLoader.fromYaml(y.toString(), "bench.yaml", Map.of());
    }

    static Gateway start(GatewayConfig config) throws Exception {
        return Gateway.start(config, Clock.systemUTC());
    }

    /** The HTTP API, driven like any client would. */
    static final class Api {
        private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final String base;

        Api(int port) {
            this.base = "http://127.0.0.1:" + port;
        }

        long createCampaign(String name) throws Exception {
            String body = post("/api/v1/campaigns", "{\"name\":\"" + name + "\",\"content\":\"Benchmark message: "
                    + "winter sale, 30% off coats this weekend only.\",\"createdBy\":\"bench\"}");
            Matcher m = ID.matcher(body);
            if (!m.find()) {
                throw new IllegalStateException("unexpected answer: " + body);
            }
            return Long.parseLong(m.group(1));
        }

        String send(long campaign, List<String> numbers) throws Exception {
            StringBuilder sb = new StringBuilder(numbers.size() * 16 + 64).append("{\"sentBy\":\"bench\",\"contacts\":[");
            for (int i = 0; i < numbers.size(); i++) {
                sb.append(i == 0 ? "" : ",").append('"').append(numbers.get(i)).append('"');
            }
            return post("/api/v1/campaigns/" + campaign + "/sends", sb.append("]}").toString());
        }

        String report(long campaign) throws Exception {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/campaigns/"
                    + campaign + "/report")).header("Authorization", "Bearer " + API_KEY)
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            return r.body();
        }

        private String post(String path, String json) throws Exception {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(120))
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) {
                throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        }
    }
}
