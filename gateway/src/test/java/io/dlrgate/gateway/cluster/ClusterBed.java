package io.dlrgate.gateway.cluster;

import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.pdu.SubmitSmResp;
import io.dlrgate.config.BindType;
import io.dlrgate.config.ConfigLoader;
import io.dlrgate.config.GatewayConfig;
import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.gateway.testing.TestCarrier;
import io.dlrgate.reporting.message.MessageStore;
import io.dlrgate.reporting.message.NewMessage;
import io.dlrgate.reporting.message.Source;
import io.dlrgate.reporting.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Several gateway instances on one real PostgreSQL, for the cluster tests: the shared config (short heartbeat and
 * lease), carriers that bind to one instance each over loopback and count every submit_sm per message
 * (each message has a number of its own), and messages queued straight into the store.
 */
final class ClusterBed implements AutoCloseable {

    static final String CARRIER = "acme";
    static final Duration HEARTBEAT = Duration.ofMillis(250);

    final TestDatabase db = TestDatabase.create();
    final List<Gateway> gateways = new ArrayList<>();
    final List<TestCarrier> carriers = new ArrayList<>();

    /**
     * @param lease       cluster.lease_timeout
     * @param submitWait  dispatch.submit_timeout: how long a submit the carrier holds stays in flight
     */
    String yaml(Duration lease, Duration submitWait) {
        return "smpp:\n  host: 127.0.0.1\n  port: 0\n  request_expiry: 120s\n"
                + "http:\n  host: 127.0.0.1\n  port: 0\n  api_key: cluster-key-0123456789\n"
                + "database:\n  url: \"" + db.url() + "\"\n  pool_size: 6\n"
                + "dispatch:\n  submit_timeout: " + submitWait.toMillis() + "ms\n  idle_poll: 100ms\n"
                + "cluster:\n  heartbeat_interval: " + HEARTBEAT.toMillis() + "ms\n  lease_timeout: "
                + lease.toMillis() + "ms\n"
                + "carriers:\n  - id: " + CARRIER + "\n    system_id: acme\n    password: acme-pw\n"
                + "    prefixes: [\"+44\"]\n    window_size: 100\n    max_binds: 8\n";
    }

    Gateway start(String yaml) throws Exception {
        GatewayConfig config = ConfigLoader.fromYaml(yaml, "cluster.yaml", Map.of());
        Gateway g = Gateway.start(config, Clock.systemUTC());
        gateways.add(g);
        return g;
    }

    /** A carrier bound to the instance on {@code smppPort} that answers every submit OK at once. */
    TestCarrier answering(int smppPort) {
        return bind(smppPort, s -> TestCarrier.SubmitAnswer.ok("m" + s.getDestAddress().getAddress()));
    }

    /**
     * A carrier that takes submits and answers none while {@code hold} is set: they stay in flight. Cleared, it
     * answers new submits OK; {@link #answerAll} answers those it held.
     */
    TestCarrier holding(int smppPort, AtomicBoolean hold) {
        return bind(smppPort, s -> hold.get() ? TestCarrier.SubmitAnswer.none()
                : TestCarrier.SubmitAnswer.ok("m" + s.getDestAddress().getAddress()));
    }

    private TestCarrier bind(int smppPort, java.util.function.Function<SubmitSm, TestCarrier.SubmitAnswer> onSubmit) {
        TestCarrier c = TestCarrier.to(smppPort).systemId("acme").password("acme-pw").bindType(BindType.TRANSCEIVER)
                .onSubmit(onSubmit).bind();
        carriers.add(c);
        return c;
    }

    /** Answers OK every submit a {@link #holding} carrier took (call after clearing its hold). */
    static void answerAll(TestCarrier carrier) throws Exception {
        for (TestCarrier.ReceivedSubmit s : carrier.submits()) {
            SubmitSmResp resp = s.pdu().createResponse();
            resp.setMessageId("m" + s.destination());
            carrier.session().sendResponsePdu(resp);
        }
    }

    /** Queues {@code n} messages to numbers of their own, from {@code first} on. */
    void queue(int first, int n) throws Exception {
        MessageStore store = new MessageStore(db.database().dataSource(), Clock.systemUTC());
        for (int i = first; i < first + n; i++) {
            store.insert(new NewMessage(null, null, Source.API, number(i), "GB", "hi " + i, CARRIER,
                    Instant.now().plus(Duration.ofDays(1))));
        }
    }

    static String number(int i) {
        return String.format("+447700%06d", i);
    }

    /** submit_sm per number, over the given carriers. */
    static Map<String, Integer> submitsPerNumber(List<TestCarrier> carriers) {
        Map<String, Integer> out = new TreeMap<>();
        carriers.forEach(c -> c.submits().forEach(s -> out.merge(s.destination(), 1, Integer::sum)));
        return out;
    }

    static Map<String, Integer> moreThanOnce(Map<String, Integer> perNumber) {
        Map<String, Integer> out = new TreeMap<>(perNumber);
        out.values().removeIf(n -> n == 1);
        return out;
    }

    long count(String sql) throws Exception {
        return db.count(sql);
    }

    /** The instance registered last and still unreleased (the one just started). */
    long newestInstance() throws Exception {
        return count("select max(id) from instances where released_at is null");
    }

    /** How many heartbeats the instance has sent since it registered (from the database's times). */
    long heartbeatsOf(long instance) throws Exception {
        return count("select floor(extract(epoch from heartbeat_at - started_at) * 1000 / " + HEARTBEAT.toMillis()
                + ")::bigint from instances where id = " + instance);
    }

    @Override
    public void close() {
        carriers.forEach(TestCarrier::close);
        for (int i = gateways.size() - 1; i >= 0; i--) {
            gateways.get(i).close();
        }
        db.close();
    }
}
