package io.dlrgate.gateway.testing;

import io.dlrgate.config.ConfigLoader;
import io.dlrgate.config.GatewayConfig;
import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.reporting.testing.TestDatabase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Several gateway instances in this JVM on one real PostgreSQL, each on free loopback ports, with the same users,
 * API key and carrier: for tests of what the instances share (live events, logins, a load balancer in front).
 */
public final class SharedStore implements AutoCloseable {

    public static final String API_KEY = "shared-key-0123456789";

    private final TestDatabase db = TestDatabase.create();
    private final List<Gateway> gateways = new ArrayList<>();

    /** The config every instance gets: user ada (admin, admin-pass), carrier acme (acme / acme-pw, +44). */
    String yaml() {
        return "smpp:\n  host: 127.0.0.1\n  port: 0\n"
                + "http:\n  host: 127.0.0.1\n  port: 0\n  api_key: " + API_KEY + "\n"
                + "database:\n  url: \"" + db.url() + "\"\n  pool_size: 5\n"
                + "cluster:\n  heartbeat_interval: 250ms\n  lease_timeout: 3s\n"
                + "auth:\n  users:\n    - {name: ada, password: admin-pass, role: admin}\n"
                + "carriers:\n  - {id: acme, system_id: acme, password: acme-pw, prefixes: [\"+44\"], max_binds: 8}\n";
    }

    /** Starts one more instance. */
    public Gateway start() throws Exception {
        GatewayConfig config = ConfigLoader.fromYaml(yaml(), "shared.yaml", Map.of());
        Gateway g = Gateway.start(config, Clock.systemUTC());
        gateways.add(g);
        return g;
    }

    public static String baseUrl(Gateway g) {
        return "http://127.0.0.1:" + g.httpPort();
    }

    public TestDatabase db() {
        return db;
    }

    public long count(String sql) throws Exception {
        return db.count(sql);
    }

    /** Stops the instances (newest first; one already stopped is stopped again harmlessly), then drops the store. */
    @Override
    public void close() {
        for (int i = gateways.size() - 1; i >= 0; i--) {
            gateways.get(i).close();
        }
        db.close();
    }
}
