package io.dlrgate.gateway.smpp;

import static io.dlrgate.gateway.smpp.RawSmppSocket.assertResponse;
import static io.dlrgate.gateway.smpp.RawSmppSocket.withSeq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.GenericNack;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.pdu.SubmitSmResp;
import io.dlrgate.gateway.logging.LogRateLimit;
import io.dlrgate.gateway.testing.LogCapture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A peer flooding the server with PDUs it refuses: every one is still answered, but the lines logged for them
 * stay within {@link LogRateLimit}'s limit instead of one per PDU.
 */
class SmppLogFloodTest extends GatewayServerTestBase {

    private static final int FLOOD = 500;

    /** Sends PDU number {@code seq} of a flood. */
    private interface FloodPdu {
        void send(RawSmppSocket raw, int seq) throws Exception;
    }

    @Test
    void unknownCommandIdsAreAllAnsweredButFewAreLogged() throws Exception {
        assertAnsweredButLogLimited(DecodeErrorGuard.class, "unknown command_id",
                (raw, seq) -> raw.sendBytes(RawSmppSocket.header(16, 0x00001234, 0, seq)), GenericNack.class);
    }

    @Test
    void submitSmFromACarrierAreAllAnsweredButFewAreLogged() throws Exception {
        assertAnsweredButLogLimited(BoundSessionHandler.class, "submit_sm",
                (raw, seq) -> raw.send(withSeq(new SubmitSm(), seq)), SubmitSmResp.class);
    }

    /**
     * Connections refused as they are accepted come as fast as anyone can open them (main logged 5,281 lines in
     * 20 s for max_connections): all refused, few logged.
     */
    @Test
    void connectionsRefusedAtAcceptAreAllClosedButFewAreLogged() throws Exception {
        java.net.InetAddress stranger = java.net.InetAddress.getByName("127.0.0.2");
        int flood = 300;
        LogCapture.Lines lines = LogCapture.during(SmppGatewayServer.class, () -> {
            List<RawSmppSocket> held = new ArrayList<>();
            try {
                for (int i = 0; i < flood; i++) {
                    // All held open: which of them take the address's places depends on the order the event loops
                    // see them in, and one closed early would give its place to another.
                    held.add(new RawSmppSocket(server.port(), stranger));
                }
                int refusals = flood - maxUnboundPerAddress();
                org.awaitility.Awaitility.await().atMost(WAIT).until(() ->
                        refused(io.dlrgate.gateway.metrics.GatewayMetrics.REFUSED_MAX_UNBOUND_PER_ADDRESS) == refusals);
            } finally {
                for (RawSmppSocket s : held) {
                    s.close();
                }
            }
        });
        assertLimited(lines, "refused", flood);
    }

    /** A refused bind writes one line, the gateway's (main wrote ch-smpp's too), within limits. */
    @Test
    void aRefusedBindWritesOneLineNotTwo() throws Exception {
        bind(ACME, io.dlrgate.config.BindType.TRANSCEIVER);
        bind(ACME, io.dlrgate.config.BindType.TRANSCEIVER);
        LogCapture.Lines lines = LogCapture.during(null, () -> {
            try (RawSmppSocket wrongPassword = new RawSmppSocket(server.port());
                 RawSmppSocket overMaxBinds = new RawSmppSocket(server.port())) {
                com.cloudhopper.smpp.pdu.BindTransceiver bind = RawSmppSocket.bindTransceiver(ACME, 1);
                bind.setPassword("wrong");
                wrongPassword.send(bind);
                assertResponse(wrongPassword.read(), com.cloudhopper.smpp.pdu.BindTransceiverResp.class,
                        SmppConstants.STATUS_INVPASWD, 1);
                overMaxBinds.send(RawSmppSocket.bindTransceiver(ACME, 1));
                assertResponse(overMaxBinds.read(), com.cloudhopper.smpp.pdu.BindTransceiverResp.class,
                        SmppConstants.STATUS_BINDFAIL, 1);
                assertTrue(wrongPassword.closedWithin(2_000) && overMaxBinds.closedWithin(2_000));
            }
        });
        List<String> library = messages(lines, e -> e.getLoggerName().startsWith("com.cloudhopper"));
        List<String> ours = messages(lines, e -> e.getFormattedMessage().startsWith("bind refused"));
        System.out.println("2 refused binds logged: " + ours + ", by ch-smpp: " + library);
        assertEquals(List.of(), library, "ch-smpp's own line per refused bind");
        assertTrue(ours.size() <= 2, "one line per refused bind at most: " + ours);
    }

    /** A connection that never binds is closed at bind_timeout with the gateway's line only, within limits. */
    @Test
    void aConnectionThatNeverBindsIsClosedWithOneLine() throws Exception {
        LogCapture.Lines lines = LogCapture.during(null, () -> {
            try (RawSmppSocket silent = new RawSmppSocket(server.port())) {
                assertTrue(silent.closedWithin((int) bindTimeout().toMillis() + 2_000), "closed at bind_timeout");
            }
        });
        List<String> library = messages(lines, e -> e.getLoggerName().startsWith("com.cloudhopper"));
        List<String> ours = messages(lines, e -> e.getFormattedMessage().contains("no bind within"));
        System.out.println("a connection that never bound logged: " + ours + ", by ch-smpp: " + library);
        assertEquals(List.of(), library, "ch-smpp's own line per connection");
        assertTrue(ours.size() <= 1, ours.toString());
    }

    private static List<String> messages(LogCapture.Lines lines, java.util.function.Predicate<ILoggingEvent> which) {
        return lines.events().stream().filter(which).map(ILoggingEvent::getFormattedMessage).toList();
    }

    /**
     * Binds, sends {@link #FLOOD} PDUs each refused with ESME_RINVCMDID, reads every answer back in order and
     * counts the lines {@code source} logged about them (those containing {@code marker}).
     */
    private void assertAnsweredButLogLimited(Class<?> source, String marker, FloodPdu pdu,
                                             Class<? extends PduResponse> answer) throws Exception {
        LogCapture.Lines lines = LogCapture.during(source, () -> {
            try (RawSmppSocket raw = new RawSmppSocket(server.port())) {
                raw.bindOk(ACME);
                for (int seq = 2; seq < FLOOD + 2; seq++) {
                    pdu.send(raw, seq);
                }
                for (int seq = 2; seq < FLOOD + 2; seq++) {
                    assertResponse(raw.read(), answer, SmppConstants.STATUS_INVCMDID, seq);
                }
            }
        });
        assertLimited(lines, marker, FLOOD);
    }

    /** At most {@link LogRateLimit}'s lines per window of the capture were logged for {@code events} events. */
    private static void assertLimited(LogCapture.Lines lines, String marker, int events) {
        long logged = lines.messages().stream().filter(m -> m.contains(marker)).count();
        long elapsed = lines.elapsedNanos();
        // The limiters are static, shared with the other tests in this JVM: the flood may begin at the end of a
        // window they opened and go on into the next. Windows never overlap and last at least DEFAULT_WINDOW.
        long windows = elapsed / LogRateLimit.DEFAULT_WINDOW.toNanos() + 2;
        long allowed = windows * LogRateLimit.DEFAULT_LINES;
        System.out.printf("%d events \"%s\": %d lines logged (at most %d allowed)%n", events, marker, logged,
                allowed);
        assertTrue(logged <= allowed, logged + " lines logged for " + events + " events; at most " + allowed
                + " allowed");
    }
}
