package io.dlrgate.gateway.smpp;

import io.dlrgate.config.BindType;
import io.dlrgate.config.CarrierConfig;
import io.dlrgate.config.MessageIdFormat;
import io.dlrgate.config.SmppServerConfig;
import io.dlrgate.gateway.testing.TestCarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/** Starts a real gateway SMPP server on a free loopback port with a few carriers, and stops it after each test. */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a hung socket fails one test instead of the whole build
abstract class GatewayServerTestBase {

    static final String GATEWAY_SYSTEM_ID = "dlrgate";
    static final Duration WAIT = Duration.ofSeconds(5);

    /** Any bind type, two binds at most. */
    static final CarrierConfig ACME = carrier("acme", "acme", "secret", EnumSet.allOf(BindType.class), 2, List.of());
    /** Receiver binds only. */
    static final CarrierConfig RX_ONLY = carrier("rx-only", "rxonly", "pw", EnumSet.of(BindType.RECEIVER), 5, List.of());
    /** Transmitter binds only. */
    static final CarrierConfig TX_ONLY = carrier("tx-only", "txonly", "pw", EnumSet.of(BindType.TRANSMITTER), 5, List.of());
    /** Only from 10.0.0.0/8: loopback binds are refused. */
    static final CarrierConfig FENCED = carrier("fenced", "fenced", "pw", EnumSet.allOf(BindType.class), 5,
            List.of("10.0.0.0/8"));
    /** Only from loopback. */
    static final CarrierConfig LOCAL = carrier("local", "local", "pw", EnumSet.allOf(BindType.class), 5,
            List.of("127.0.0.0/8", "::1"));

    final RecordingListener listener = new RecordingListener();
    final List<TestCarrier> carriers = new ArrayList<>();
    SmppGatewayServer server;

    static CarrierConfig carrier(String id, String systemId, String password, Set<BindType> types, int maxBinds,
                                 List<String> allowedIps) {
        return new CarrierConfig(id, systemId, password, types, maxBinds, allowedIps, 10, 100, List.of("+44"),
                Duration.ofDays(2), ZoneOffset.UTC, MessageIdFormat.STRING, MessageIdFormat.STRING, 0x58, Map.of());
    }

    Duration requestExpiry() {
        return Duration.ofSeconds(30);
    }

    int maxConnections() {
        return 100;
    }

    Duration bindTimeout() {
        return Duration.ofSeconds(3);
    }

    int maxUnboundConnections() {
        return SmppServerConfig.DEFAULT_MAX_UNBOUND_CONNECTIONS;
    }

    int maxUnboundPerAddress() {
        return SmppServerConfig.DEFAULT_MAX_UNBOUND_PER_ADDRESS;
    }

    io.dlrgate.config.FailureLimits bindFailures() {
        return io.dlrgate.config.FailureLimits.DEFAULT;
    }

    /** The time failed binds are counted in: tests move it to end a lockout. */
    final io.dlrgate.gateway.testing.MutableClock clock =
            new io.dlrgate.gateway.testing.MutableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));

    /** Connections the server refused, by reason: a refused peer often gets no answer, so this is how ops see it. */
    final Map<String, java.util.concurrent.atomic.AtomicInteger> refused = new java.util.concurrent.ConcurrentHashMap<>();

    /** Source addresses locked out of binds so far. */
    final java.util.concurrent.atomic.AtomicInteger lockouts = new java.util.concurrent.atomic.AtomicInteger();

    /** How many connections were refused for this reason so far. */
    int refused(String reason) {
        java.util.concurrent.atomic.AtomicInteger n = refused.get(reason);
        return n == null ? 0 : n.get();
    }

    /** Where the server reports its metrics: here, only the refusals and lockouts are kept. */
    io.dlrgate.gateway.metrics.GatewayMetrics metrics() {
        return new io.dlrgate.gateway.metrics.GatewayMetrics() {
            @Override
            public void connectionRefused(String reason) {
                refused.computeIfAbsent(reason, r -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
            }

            @Override
            public void bindLockout() {
                lockouts.incrementAndGet();
            }
        };
    }

    /** The TLS listener beside the plain one; none by default. */
    io.dlrgate.config.SmppTlsConfig tls() {
        return null;
    }

    /** The carriers the server knows. */
    List<CarrierConfig> carrierConfigs() {
        return List.of(ACME, RX_ONLY, TX_ONLY, FENCED, LOCAL);
    }

    /** The server's config, from the methods above. */
    SmppServerConfig serverConfig() {
        return new SmppServerConfig("127.0.0.1", 0, GATEWAY_SYSTEM_ID, maxConnections(),
                bindTimeout(), requestExpiry(), SmppServerConfig.DEFAULT_ENQUIRE_LINK_INTERVAL,
                maxUnboundConnections(), maxUnboundPerAddress(), bindFailures()).withTls(tls());
    }

    @BeforeEach
    void startServer() throws Exception {
        server = new SmppGatewayServer(serverConfig(), carrierConfigs(), listener, metrics(), clock);
        server.start();
    }

    @AfterEach
    void stopServer() {
        carriers.forEach(TestCarrier::close);
        if (server != null) {
            server.stop();
        }
    }

    TestCarrier.Builder carrierFor(CarrierConfig c, BindType type) {
        return TestCarrier.to(server.port()).systemId(c.systemId()).password(c.password()).bindType(type);
    }

    /**
     * Binds and waits until the gateway reports the session bound: the carrier sees its bind_resp a moment
     * before the gateway's listeners hear of the session (by design: nothing may overtake the bind_resp).
     */
    TestCarrier bind(CarrierConfig c, BindType type) {
        int before = listener.bound.size();
        TestCarrier carrier = carrierFor(c, type).bind();
        carriers.add(carrier);
        await().atMost(WAIT).until(() -> listener.bound.size() > before);
        return carrier;
    }

    /** Receipts the listener took and has not answered, after {@link #holdReceipts()}. */
    final List<com.cloudhopper.smpp.pdu.PduRequest<?>> held = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** From now on the listener keeps receipts unanswered in {@link #held}: the stand-in for receipts being stored. */
    void holdReceipts() {
        listener.onReceipt = (session, pdu) -> held.add(pdu);
    }

    /**
     * Over a raw connection bound as {@link #ACME}: {@code receipts} receipts (sequence numbers from 2), then
     * {@code unbinds} unbinds numbered after them; returns once the listener holds every receipt.
     */
    void sendHeldReceiptsThenUnbind(RawSmppSocket raw, int receipts, int unbinds) throws Exception {
        holdReceipts();
        int seq = 2;
        for (int i = 0; i < receipts; i++, seq++) {
            raw.send(RawSmppSocket.withSeq(TestCarrier.receipt("id:" + seq + " stat:DELIVRD"), seq));
        }
        for (int i = 0; i < unbinds; i++, seq++) {
            raw.send(RawSmppSocket.withSeq(new com.cloudhopper.smpp.pdu.Unbind(), seq));
        }
        await().atMost(WAIT).until(() -> held.size() == receipts);
    }

    /** The gateway's side of the most recent bind. */
    CarrierSession lastBound() {
        return listener.bound.get(listener.bound.size() - 1);
    }
}
