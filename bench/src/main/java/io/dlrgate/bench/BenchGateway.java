package io.dlrgate.bench;

import io.dlrgate.config.ConfigLoader;
import io.dlrgate.config.GatewayConfig;
import io.dlrgate.gateway.app.Gateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
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

    /** The one carrier of the receipt benchmarks (bench receipts, metrics, webhooks): its sessions send the receipts. */
    static final String RECEIPT_CARRIER = "rc";
    static final String RECEIPT_SYSTEM_ID = "rcpt";
    static final String RECEIPT_PASSWORD = "rcpt-pw";

    private BenchGateway() {
    }

    /** The receipt benchmarks' carrier for {@code sessions} transmitter sessions, with two binds to spare. */
    static Carrier receiptCarrier(int sessions) {
        return new Carrier(RECEIPT_CARRIER, RECEIPT_SYSTEM_ID, RECEIPT_PASSWORD, "+447700", sessions + 2);
    }

    /**
     * Messages 1..total as the send path leaves them after an OK submit_sm_resp from the receipt carrier (carrier
     * ids "1".."total"), from the API, inserted on {@code c} in the caller's transaction.
     */
    static void insertReceiptMessages(Connection c, long total) throws SQLException {
        insertReceiptMessages(c, total, null, null, "api", "Benchmark message");
    }

    /** The same, as messages of {@code campaign}'s send {@code sendId} (both may be null) from {@code source}. */
    static void insertReceiptMessages(Connection c, long total, Long campaign, Long sendId, String source,
                                      String content) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into messages (campaign_id, campaign_send_id, source, "
                + "recipient, country, content, carrier_id, dispatch_state, submit_attempts, carrier_message_id, "
                + "submit_status, tab, created_at, submitted_at, sent_at, validity_deadline) "
                + "select ?, ?, ?, '+447700' || lpad(g::text, 6, '0'), 'GB', ?, ?, 'submitted', 1, g::text, 0, "
                + "'pending', now(), now(), now(), now() + interval '48 hours' from generate_series(1, ?) g")) {
            ps.setObject(1, campaign, Types.BIGINT);
            ps.setObject(2, sendId, Types.BIGINT);
            ps.setString(3, source);
            ps.setString(4, content);
            ps.setString(5, RECEIPT_CARRIER);
            ps.setLong(6, total);
            ps.executeUpdate();
        }
    }

    static GatewayConfig config(BenchDatabase db, List<Carrier> carriers, int poolSize) {
        StringBuilder y = new StringBuilder();
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
        return ConfigLoader.fromYaml(yaml(db, y.toString(), poolSize), "bench.yaml", Map.of());
    }

    /**
     * A gateway config on free loopback ports with the given {@code carriers:} list entries (YAML, indented by
     * two spaces), for {@code db}.
     */
    static String yaml(BenchDatabase db, String carrierEntries, int poolSize) {
        return "smpp:\n  host: 127.0.0.1\n  port: 0\n  max_connections: 200\n"
                + "http:\n  host: 127.0.0.1\n  port: 0\n  api_key: " + API_KEY + "\n"
                + "database:\n  url: \"" + db.url() + "\"\n  user: " + db.user() + "\n  pool_size: " + poolSize + "\n"
                + "carriers:\n" + carrierEntries;
    }

    /**
     * A carrier the gateway binds out to as an ESME (one transceiver session) at an SMSC on 127.0.0.1, with the
     * benchmarks' window and no pacing to speak of.
     */
    static String connectCarrier(String id, String prefix, int smscPort, String systemId, String password,
                                 int window) {
        return "  - id: " + id + "\n"
                + "    connect:\n      host: 127.0.0.1\n      port: " + smscPort + "\n      system_id: " + systemId
                + "\n      password: " + password + "\n      bind: transceiver\n      sessions: 1\n"
                + "    window_size: " + window + "\n    max_submit_rate: 100000\n"
                + "    prefixes: [\"" + prefix + "\"]\n";
    }

    /** A carrier that binds in to the gateway's SMPP listener (one transceiver session expected). */
    static String bindingCarrier(String id, String prefix, String systemId, String password, int window) {
        return "  - id: " + id + "\n    system_id: " + systemId + "\n    password: " + password + "\n    max_binds: 2\n"
                + "    window_size: " + window + "\n    max_submit_rate: 100000\n"
                + "    prefixes: [\"" + prefix + "\"]\n";
    }

    static Gateway start(GatewayConfig config) throws Exception {
        return Gateway.start(config, Clock.systemUTC());
    }

    /** The HTTP API, driven like any client would. */
    static final class Api {
        private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final String base;
        private final String apiKey;

        Api(int port) {
            this(port, API_KEY);
        }

        Api(int port, String apiKey) {
            this.base = "http://127.0.0.1:" + port;
            this.apiKey = apiKey;
        }

        long createCampaign(String name) throws Exception {
            return createCampaign(name, "Benchmark message: winter sale, 30% off coats this weekend only.");
        }

        /** @param content plain text without quotes or backslashes (it goes into the JSON as it is) */
        long createCampaign(String name, String content) throws Exception {
            String body = post("/api/v1/campaigns", "{\"name\":\"" + name + "\",\"content\":\"" + content
                    + "\",\"createdBy\":\"bench\"}");
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

        /** One message through {@code POST /api/v1/messages}, as an app sends a single message. */
        void sendSingle(String to, String content) throws Exception {
            post("/api/v1/messages", "{\"to\":\"" + to + "\",\"content\":\"" + content + "\",\"source\":\"api\"}");
        }

        String report(long campaign) throws Exception {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/campaigns/"
                    + campaign + "/report")).header("Authorization", "Bearer " + apiKey)
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            return r.body();
        }

        private String post(String path, String json) throws Exception {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(120))
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) {
                throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        }
    }
}
