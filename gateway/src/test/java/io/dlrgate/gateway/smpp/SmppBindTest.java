package io.dlrgate.gateway.smpp;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.BindTransceiver;
import com.cloudhopper.smpp.pdu.BindTransceiverResp;
import com.cloudhopper.smpp.pdu.Pdu;
import io.dlrgate.config.BindType;
import io.dlrgate.gateway.testing.TestCarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmppBindTest extends GatewayServerTestBase {

    /** Eight binds race from one address below: all of them must reach the max_binds check. */
    @Override
    int maxUnboundPerAddress() {
        return 8;
    }

    @ParameterizedTest
    @EnumSource(BindType.class)
    void eachBindTypeBindsAndIsRegistered(BindType type) {
        TestCarrier carrier = bind(ACME, type);

        assertTrue(carrier.isBound());
        await().atMost(WAIT).until(() -> listener.bound.size() == 1);
        CarrierSession session = listener.bound.get(0);
        assertEquals("acme", session.carrierId());
        assertEquals(type, session.bindType());
        assertEquals("127.0.0.1", session.remoteAddress().getAddress().getHostAddress());
        assertTrue(session.isBound());
        assertEquals(1, server.sessions().boundCount("acme"));
        assertEquals(1, (int) server.sessions().boundCounts("acme").get(type));
        assertEquals(Map.of("acme", 1), server.sessions().boundCountsByCarrier());
        assertEquals(type.takesSubmits() ? 1 : 0, server.sessions().submitCapable("acme").size());
    }

    @Test
    void bindResponseCarriesTheGatewaySystemId() throws Exception {
        try (RawSmppSocket raw = new RawSmppSocket(server.port())) {
            BindTransceiver bind = new BindTransceiver();
            bind.setSystemId("acme");
            bind.setPassword("secret");
            bind.setInterfaceVersion(SmppConstants.VERSION_3_4);
            raw.send(bind);
            Pdu resp = raw.read();
            BindTransceiverResp bindResp = assertInstanceOf(BindTransceiverResp.class, resp);
            assertEquals(SmppConstants.STATUS_OK, bindResp.getCommandStatus());
            assertEquals(GATEWAY_SYSTEM_ID, bindResp.getSystemId());
        }
    }

    @Test
    void unknownSystemIdIsRinvsysid() {
        int status = TestCarrier.to(server.port()).systemId("nobody").password("secret").bindExpectingFailure();
        assertEquals(SmppConstants.STATUS_INVSYSID, status);
    }

    @Test
    void wrongPasswordIsRinvpaswd() {
        int status = carrierFor(ACME, BindType.TRANSCEIVER).password("wrong").bindExpectingFailure();
        assertEquals(SmppConstants.STATUS_INVPASWD, status);
    }

    @Test
    void bindTypeNotAllowedIsRbindfail() {
        assertEquals(SmppConstants.STATUS_BINDFAIL, carrierFor(RX_ONLY, BindType.TRANSMITTER).bindExpectingFailure());
        assertEquals(SmppConstants.STATUS_BINDFAIL, carrierFor(RX_ONLY, BindType.TRANSCEIVER).bindExpectingFailure());
        assertEquals(SmppConstants.STATUS_BINDFAIL, carrierFor(TX_ONLY, BindType.RECEIVER).bindExpectingFailure());
        bind(RX_ONLY, BindType.RECEIVER);
        bind(TX_ONLY, BindType.TRANSMITTER);
    }

    @Test
    void addressOutsideTheAllowListIsRbindfail() {
        assertEquals(SmppConstants.STATUS_BINDFAIL, carrierFor(FENCED, BindType.TRANSCEIVER).bindExpectingFailure());
        bind(LOCAL, BindType.TRANSCEIVER); // a list that includes loopback lets it in
        assertEquals(0, server.sessions().boundCount("fenced"));
    }

    @Test
    void twoBindsOverTheLimitAreRefusedAndASlotFreedIsUsableAgain() throws Exception {
        TestCarrier first = bind(ACME, BindType.TRANSMITTER);
        bind(ACME, BindType.RECEIVER);

        assertEquals(SmppConstants.STATUS_BINDFAIL, carrierFor(ACME, BindType.TRANSCEIVER).bindExpectingFailure());
        assertEquals(SmppConstants.STATUS_BINDFAIL, carrierFor(ACME, BindType.RECEIVER).bindExpectingFailure());
        assertEquals(2, server.sessions().boundCount("acme"));

        first.unbind(WAIT);
        await().atMost(WAIT).until(() -> server.sessions().boundCount("acme") == 1);
        bind(ACME, BindType.TRANSCEIVER);
        // counted just after its bind_resp is written: awaited, as the client may read the answer first
        await().atMost(WAIT).untilAsserted(() -> assertEquals(2, server.sessions().boundCount("acme")));
    }

    @Test
    void bindsRacingForTheLastSlotsNeverExceedTheLimit() throws Exception {
        int attempts = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(attempts);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<Object>> results = new java.util.ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            results.add(pool.submit(() -> {
                go.await();
                try {
                    TestCarrier c = carrierFor(ACME, BindType.TRANSCEIVER).bind();
                    synchronized (carriers) {
                        carriers.add(c);
                    }
                    return SmppConstants.STATUS_OK;
                } catch (TestCarrier.BindFailedException e) {
                    return e.status();
                }
            }));
        }
        go.countDown();
        int ok = 0;
        int refused = 0;
        for (var r : results) {
            int status = (Integer) r.get(10, java.util.concurrent.TimeUnit.SECONDS);
            if (status == SmppConstants.STATUS_OK) {
                ok++;
            } else {
                assertEquals(SmppConstants.STATUS_BINDFAIL, status);
                refused++;
            }
        }
        pool.shutdown();
        assertEquals(2, ok);
        assertEquals(attempts - 2, refused);
        await().atMost(WAIT).until(() -> server.sessions().boundCount("acme") == 2);
    }

    @Test
    void limitIsPerCarrier() {
        bind(ACME, BindType.TRANSCEIVER);
        bind(ACME, BindType.TRANSCEIVER);
        bind(RX_ONLY, BindType.RECEIVER); // another carrier's limit is untouched
        await().atMost(WAIT).untilAsserted(() -> assertEquals(1, server.sessions().boundCount("rx-only")));
    }

    @Test
    void secondBindOnABoundConnectionIsRalybnd() throws Exception {
        try (RawSmppSocket raw = new RawSmppSocket(server.port())) {
            BindTransceiver bind = new BindTransceiver();
            bind.setSystemId("acme");
            bind.setPassword("secret");
            raw.send(bind);
            assertEquals(SmppConstants.STATUS_OK, raw.read().getCommandStatus());

            BindTransceiver again = new BindTransceiver();
            again.setSystemId("acme");
            again.setPassword("secret");
            again.setSequenceNumber(2);
            raw.send(again);
            Pdu resp = raw.read();
            assertInstanceOf(BindTransceiverResp.class, resp);
            assertEquals(SmppConstants.STATUS_ALYBND, resp.getCommandStatus());
            assertEquals(2, resp.getSequenceNumber());
            assertEquals(1, server.sessions().boundCount("acme"), "the second bind took no slot");
        }
    }

    @Test
    void connectionThatNeverBindsIsClosedAfterTheBindTimeout() throws Exception {
        try (RawSmppSocket raw = new RawSmppSocket(server.port())) {
            long start = System.nanoTime();
            boolean closed = false;
            while (!closed && System.nanoTime() - start < Duration.ofSeconds(10).toNanos()) {
                closed = raw.closedByServer();
            }
            assertTrue(closed, "unbound connection was not closed");
        }
    }
}
