package io.dlrgate.gateway.smpp.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.SubmitSm;
import io.dlrgate.config.BindType;
import io.dlrgate.gateway.dispatch.encoding.MessageDecoder;
import io.dlrgate.gateway.smpp.CarrierSession;
import io.dlrgate.gateway.smpp.SessionDirection;
import io.dlrgate.gateway.smpp.validity.ValidityPeriod;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.LogCapture;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gateway as an ESME, end to end over loopback: a real gateway (real PostgreSQL) binds out to an SMSC built
 * on ch-smpp's server ({@link TestSmsc}), sends through the API, and files the receipts the SMSC sends back.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SmppClientTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    TestSmsc smsc;
    GatewayHarness gw;

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
        if (smsc != null) {
            smsc.close();
        }
    }

    static String carrier(int port, String password, String... connectLines) {
        StringBuilder sb = new StringBuilder("carriers:\n  - id: smsc-uk\n    prefixes: [\"+44\"]\n    window_size: 10\n"
                + "    long_messages: payload\n"
                + "    connect:\n      host: 127.0.0.1\n      port: " + port + "\n      system_id: acme\n"
                + "      password: " + password + "\n");
        for (String l : connectLines) {
            sb.append("      ").append(l).append('\n');
        }
        return sb.toString();
    }

    List<CarrierSession> outbound() {
        return gw.gateway().smpp().sessions().sessions("smsc-uk").stream()
                .filter(s -> s.direction() == SessionDirection.OUT && s.isBound()).toList();
    }

    long inTab(String tab) throws Exception {
        return gw.count("select count(*) from messages where tab = '" + tab + "'");
    }

    /** A number for tests that send one message. */
    static final String TO = "+447700900123";

    /** Numbers sent to so far: each send goes to a number of its own, so no bounce can suppress a later one. */
    private int sentTo;

    void send(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            gw.sendSingle(String.format("+4477009%05d", sentTo++), "hello " + i, null);
        }
    }

    @Test
    void transceiverSessionsCarrySubmitsAndBothKindsOfReceipt() throws Exception {
        smsc = new TestSmsc("acme", "secret");
        gw = GatewayHarness.start(carrier(smsc.port(), "secret", "bind: transceiver", "sessions: 2"));
        await().atMost(WAIT).until(() -> smsc.boundOf(SmppBindType.TRANSCEIVER) == 2 && outbound().size() == 2);
        // The carrier's side of our transceiver bind: it takes submits and sends receipts.
        outbound().forEach(s -> assertEquals(BindType.TRANSCEIVER, s.bindType()));

        send(6);
        await().atMost(WAIT).until(() -> inTab("delivered") == 6);
        assertEquals(6, smsc.submits.size());

        smsc.receiptPdu = TestSmsc.ReceiptPdu.DATA_SM;
        smsc.stat = "UNDELIV";
        send(4);
        await().atMost(WAIT).until(() -> inTab("hard-bounces") == 4);
        assertEquals(6, inTab("delivered"));
    }

    @Test
    void transmitterAndReceiverBindsSplitSubmitsAndReceipts() throws Exception {
        smsc = new TestSmsc("acme", "secret");
        gw = GatewayHarness.start(carrier(smsc.port(), "secret", "bind: transmitter+receiver", "sessions: 2"));
        await().atMost(WAIT).until(() -> smsc.boundOf(SmppBindType.TRANSMITTER) == 2
                && smsc.boundOf(SmppBindType.RECEIVER) == 2 && outbound().size() == 4);
        // Our transmitter takes submits: from the carrier's side a RECEIVER; our receiver brings receipts.
        assertEquals(2, outbound().stream().filter(s -> s.bindType() == BindType.RECEIVER).count());
        assertEquals(2, outbound().stream().filter(s -> s.bindType() == BindType.TRANSMITTER).count());
        // Ops see the binds as the bind PDUs named them: ours, for binds we made. Our transmitter takes submits.
        assertTrue(outbound().stream().filter(s -> s.boundAs() == BindType.TRANSMITTER)
                .allMatch(s -> s.bindType().takesSubmits() && !s.bindType().sendsReceipts()));
        assertTrue(outbound().stream().filter(s -> s.boundAs() == BindType.RECEIVER)
                .noneMatch(s -> s.bindType().takesSubmits()));
        assertTrue(gw.get("/metrics").body().contains(
                "dlrgate_smpp_sessions{bind_type=\"transmitter\",carrier=\"smsc-uk\",direction=\"out\"} 2.0"));
        String carriers = gw.get("/api/v1/carriers").body();
        assertTrue(carriers.contains("\"outbound\":true"), carriers);

        send(5);
        await().atMost(WAIT).until(() -> inTab("delivered") == 5);
    }

    @Test
    void aDroppedConnectionIsReboundAndItsInFlightSubmitsAreSentAgain() throws Exception {
        smsc = new TestSmsc("acme", "secret");
        smsc.answerSubmits = false; // they stay in flight until the drop
        gw = GatewayHarness.start(carrier(smsc.port(), "secret", "reconnect: {min: 200ms, max: 2s}"));
        await().atMost(WAIT).until(() -> outbound().size() == 1);
        send(5);
        await().atMost(WAIT).until(() -> smsc.submits.size() == 5);

        smsc.answerSubmits = true;
        smsc.dropAll();
        await().atMost(WAIT).until(() -> inTab("delivered") == 5);
        assertTrue(smsc.submits.size() >= 10, "each in-flight submit was sent again: " + smsc.submits.size());
        assertEquals(5, inTab("delivered"), "nothing lost, nothing twice");
    }

    @Test
    void aRefusedBindIsRetriedAtTheSlowEndAndNamesTheStatus() throws Exception {
        smsc = new TestSmsc("acme", "right-password");
        LogCapture.Lines lines = LogCapture.during(BindKeeper.class, () -> {
            // min 100 ms: were a refused bind retried on the ordinary backoff, 3 s would see five or more attempts.
            gw = GatewayHarness.start(carrier(smsc.port(), "wrong", "reconnect: {min: 100ms, max: 60s}"));
            await().atMost(WAIT).until(() -> smsc.bindAttempts.get() >= 1);
            Thread.sleep(3_000);
        });
        assertTrue(smsc.bindAttempts.get() <= 2, "bind attempts within 3 s: " + smsc.bindAttempts.get());
        String line = lines.messages().stream().filter(m -> m.contains("ESME_RINVPASWD")).findFirst().orElseThrow(
                () -> new AssertionError("no line names ESME_RINVPASWD: " + lines.messages()));
        assertTrue(line.contains("smsc-uk") && line.contains("127.0.0.1:" + smsc.port()), line);
        lines.events().forEach(e -> assertNull(e.getThrowableProxy(), "no stack trace: " + e.getFormattedMessage()));
        assertTrue(outbound().isEmpty());
    }

    @Test
    void aWrongPortGivesAClearLineNoStackTraceAndNoTightLoop() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // free again once closed: nothing listens there
        }
        LogCapture.Lines lines = LogCapture.during(null, () -> {
            gw = GatewayHarness.start(carrier(closedPort, "secret", "reconnect: {min: 200ms, max: 1s}"));
            Thread.sleep(2_500);
        });
        long attempts = gw.gateway().smppClient().attemptsTo("smsc-uk");
        // 200 ms, 400 ms, 800 ms, 1 s...: a handful in 2.5 s, never hundreds.
        assertTrue(attempts >= 2 && attempts <= 8, "attempts: " + attempts);
        List<String> refused = lines.messages().stream().filter(m -> m.contains("connection refused")).toList();
        assertTrue(!refused.isEmpty(), "a line says the connection was refused: " + lines.messages());
        assertTrue(refused.get(0).contains("smsc-uk") && refused.get(0).contains("127.0.0.1:" + closedPort), refused.get(0));
        for (ILoggingEvent e : lines.events()) {
            assertNull(e.getThrowableProxy(), "no stack trace: " + e.getLoggerName() + " " + e.getFormattedMessage());
        }
        assertTrue(gw.get("/metrics").body().contains(
                "dlrgate_smpp_connect_failures_total{carrier=\"smsc-uk\",reason=\"refused\"}"));
    }

    @Test
    void theGatewayStartsWhileTheSmscIsDownAndBindsOnceItIsUp() throws Exception {
        smsc = new TestSmsc("acme", "secret");
        int port = smsc.port();
        smsc.close();
        gw = GatewayHarness.start(carrier(port, "secret", "reconnect: {min: 200ms, max: 1s}"));
        assertTrue(outbound().isEmpty());
        assertEquals(0, gw.gateway().smpp().sessions().boundCount("smsc-uk"));

        smsc = new TestSmsc("acme", "secret", port);
        await().atMost(WAIT).until(() -> outbound().size() == 1);
        send(2);
        await().atMost(WAIT).until(() -> inTab("delivered") == 2);
    }

    @Test
    void anSmscThatStopsAnsweringEnquireLinkIsDroppedAndBoundAgain() throws Exception {
        smsc = new TestSmsc("acme", "secret");
        LogCapture.Lines lines = LogCapture.during(null, () -> {
            gw = GatewayHarness.start(carrier(smsc.port(), "secret", "enquire_link_interval: 300ms",
                    "reconnect: {min: 200ms, max: 1s}"), "  request_expiry: 1s\n", Clock.systemUTC());
            await().atMost(WAIT).until(() -> outbound().size() == 1);
            long first = outbound().get(0).id();
            smsc.answerEnquireLinks = false;
            await().atMost(WAIT).until(() -> smsc.bindAttempts.get() >= 2);
            smsc.answerEnquireLinks = true;
            await().atMost(WAIT).until(() -> outbound().size() == 1 && outbound().get(0).id() != first);
        });
        assertTrue(lines.messages().stream().anyMatch(m -> m.contains("smsc-uk") && m.contains("no enquire_link_resp")
                && m.contains("closing the session")), lines.messages().toString());
        assertTrue(lines.messages().stream().anyMatch(m -> m.contains("ended after") && m.contains("no enquire_link_resp")
                && m.contains("binding again")), lines.messages().toString());
        lines.events().forEach(e -> assertNull(e.getThrowableProxy(), "no stack trace: " + e.getFormattedMessage()));
        assertTrue(gw.get("/metrics").body().contains(
                "dlrgate_smpp_connect_failures_total{carrier=\"smsc-uk\",reason=\"enquire_link\"} 1.0"));
        send(1);
        await().atMost(WAIT).until(() -> inTab("delivered") == 1);
    }

    /**
     * The README's "the same" for submit_sm and long messages in the client role: what dlrgate sends to an SMSC it
     * binds to carries a receipt request, the validity asked for, UCS-2 when the text is not GSM-7, and long text in
     * one submit_sm's message_payload, exactly as to a carrier bound in (SendPathTest).
     */
    @Test
    void submitsToAnSmscCarryReceiptRequestValidityCodingAndLongTextInMessagePayload() throws Exception {
        smsc = new TestSmsc("acme", "secret");
        gw = GatewayHarness.start(carrier(smsc.port(), "secret"));
        await().atMost(WAIT).until(() -> outbound().size() == 1);
        String gsmLong = "Dear customer, ".repeat(15) + "{end}"; // over 160 septets
        String ucs2Long = "Привет! Ваш заказ №4821 готов к выдаче. Спасибо, что выбрали нас! 😀".repeat(2);
        gw.sendSingle("+447700900201", gsmLong, "PT2H");
        gw.sendSingle("+447700900202", ucs2Long, "PT2H");
        await().atMost(WAIT).until(() -> smsc.submits.size() == 2);

        Map<String, SubmitSm> byContent = new HashMap<>();
        for (SubmitSm pdu : smsc.submits) {
            assertEquals(0, pdu.getShortMessageLength(), "long text: nothing in short_message");
            byContent.put(MessageDecoder.decode(pdu.getDataCoding(),
                    pdu.getOptionalParameter(SmppConstants.TAG_MESSAGE_PAYLOAD).getValue()), pdu);
            assertEquals(0x01, pdu.getRegisteredDelivery() & 0x03, "final delivery receipts requested");
            Duration validity = ValidityPeriod.parseRelative(pdu.getValidityPeriod(), Instant.now());
            assertTrue(validity.compareTo(Duration.ofMinutes(118)) > 0 && validity.compareTo(Duration.ofHours(2)) <= 0,
                    "the validity asked for: " + validity);
        }
        assertEquals(0x00, byContent.get(gsmLong).getDataCoding(), byContent.keySet().toString());
        assertEquals(0x08, byContent.get(ucs2Long).getDataCoding(), byContent.keySet().toString());
        await().atMost(WAIT).until(() -> inTab("delivered") == 2);
    }

    @Test
    void stoppingTheGatewayUnbindsEverySession() throws Exception {
        smsc = new TestSmsc("acme", "secret");
        gw = GatewayHarness.start(carrier(smsc.port(), "secret", "bind: transmitter+receiver"));
        await().atMost(WAIT).until(() -> outbound().size() == 2);
        gw.close();
        gw = null;
        assertEquals(2, smsc.unbinds.get(), "an unbind per session, answered before the close");
    }
}
