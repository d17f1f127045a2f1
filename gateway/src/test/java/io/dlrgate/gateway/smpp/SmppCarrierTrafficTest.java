package io.dlrgate.gateway.smpp;

import com.cloudhopper.commons.util.windowing.WindowFuture;
import com.cloudhopper.smpp.PduAsyncResponse;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.pdu.SubmitSmResp;
import com.cloudhopper.smpp.pdu.Unbind;
import com.cloudhopper.smpp.type.Address;
import io.dlrgate.config.BindType;
import io.dlrgate.gateway.testing.TestCarrier;
import io.dlrgate.gateway.testing.TestCarrier.SubmitAnswer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmppCarrierTrafficTest extends GatewayServerTestBase {

    static SubmitSm submit(String to, String text) {
        SubmitSm s = new SubmitSm();
        s.setSourceAddress(new Address((byte) 5, (byte) 0, "DLRGATE"));
        s.setDestAddress(new Address((byte) 1, (byte) 1, to));
        s.setRegisteredDelivery((byte) 0x01);
        try {
            s.setShortMessage(text.getBytes(StandardCharsets.ISO_8859_1));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
        return s;
    }

    @Test
    void aSubmitReachesAReceiverAndItsResponseReachesTheListener() throws Exception {
        TestCarrier carrier = carrierFor(ACME, BindType.RECEIVER)
                .onSubmit(s -> SubmitAnswer.ok("812FC7470000001B")).bind();
        carriers.add(carrier);
        await().atMost(WAIT).until(() -> server.sessions().submitCapable("acme").size() == 1);
        CarrierSession session = server.sessions().submitCapable("acme").get(0);

        SubmitSm submit = submit("447700900123", "hello");
        WindowFuture<Integer, PduRequest, PduResponse> future = session.sendSubmit(submit, 1_000);
        assertNotNull(future);

        List<TestCarrier.ReceivedSubmit> got = carrier.awaitSubmits(1, WAIT);
        assertEquals("447700900123", got.get(0).destination());
        assertEquals("hello", new String(got.get(0).pdu().getShortMessage(), StandardCharsets.ISO_8859_1));
        await().atMost(WAIT).until(() -> listener.submitResponses.size() == 1);
        PduAsyncResponse response = listener.submitResponses.get(0);
        assertSame(submit, response.getRequest());
        SubmitSmResp resp = assertInstanceOf(SubmitSmResp.class, response.getResponse());
        assertEquals(SmppConstants.STATUS_OK, resp.getCommandStatus());
        assertEquals("812FC7470000001B", resp.getMessageId());
        assertTrue(session.inFlight().isEmpty());
    }

    @Test
    void aTransceiverTakesSubmitsAndAnErrorStatusReachesTheListener() throws Exception {
        TestCarrier carrier = carrierFor(ACME, BindType.TRANSCEIVER)
                .onSubmit(s -> SubmitAnswer.error(SmppConstants.STATUS_SUBMITFAIL)).bind();
        carriers.add(carrier);
        await().atMost(WAIT).until(() -> server.sessions().submitCapable("acme").size() == 1);

        server.sessions().submitCapable("acme").get(0).sendSubmit(submit("447700900124", "x"), 1_000);

        await().atMost(WAIT).until(() -> listener.submitResponses.size() == 1);
        assertEquals(SmppConstants.STATUS_SUBMITFAIL, listener.submitResponses.get(0).getResponse().getCommandStatus());
    }

    @Test
    void aThousandSubmitsAllGetTheirOwnResponse() throws Exception {
        TestCarrier carrier = carrierFor(ACME, BindType.RECEIVER)
                .onSubmit(s -> SubmitAnswer.ok("id-" + s.getDestAddress().getAddress())).bind();
        carriers.add(carrier);
        await().atMost(WAIT).until(() -> server.sessions().submitCapable("acme").size() == 1);
        CarrierSession session = server.sessions().submitCapable("acme").get(0);

        for (int i = 0; i < 1_000; i++) {
            session.sendSubmit(submit("4477009" + String.format("%05d", i), "m" + i), 5_000);
        }

        await().atMost(WAIT.multipliedBy(2)).until(() -> listener.submitResponses.size() == 1_000);
        for (PduAsyncResponse r : listener.submitResponses) {
            SubmitSm req = (SubmitSm) r.getRequest();
            assertEquals("id-" + req.getDestAddress().getAddress(), ((SubmitSmResp) r.getResponse()).getMessageId());
        }
        assertEquals(1_000, carrier.submitCount());
    }

    @Test
    void aTransmitterIsNotSubmitCapableAndRefusesSubmits() {
        bind(ACME, BindType.TRANSMITTER);
        assertTrue(server.sessions().submitCapable("acme").isEmpty());
        CarrierSession tx = lastBound();
        assertThrows(IllegalStateException.class, () -> tx.sendSubmit(submit("447700900125", "x"), 100));
    }

    @Test
    void aFullWindowIsReportedAsWindowFull() throws Exception {
        TestCarrier carrier = carrierFor(ACME, BindType.RECEIVER).onSubmit(s -> SubmitAnswer.none()).bind();
        carriers.add(carrier);
        await().atMost(WAIT).until(() -> server.sessions().submitCapable("acme").size() == 1);
        CarrierSession session = server.sessions().submitCapable("acme").get(0);

        for (int i = 0; i < ACME.windowSize(); i++) {
            session.sendSubmit(submit("44770090" + i, "x"), 100);
        }
        SendFailedException e = assertThrows(SendFailedException.class,
                () -> session.sendSubmit(submit("447700900999", "x"), 100));
        assertEquals(SendFailedException.Reason.WINDOW_FULL, e.reason());
        assertEquals(ACME.windowSize(), session.inFlight().size());
    }

    @Test
    void sendSubmitRefusesToRunOnAnEventLoop() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        listener.onReceipt = (session, pdu) -> {
            try {
                session.sendSubmit(submit("447700900126", "x"), 100);
            } catch (Throwable t) {
                thrown.set(t);
            }
            session.respond(pdu.createResponse());
        };
        TestCarrier carrier = bind(ACME, BindType.TRANSCEIVER);
        carrier.sendDeliverSm(TestCarrier.receipt("id:1 stat:DELIVRD"), WAIT);
        assertInstanceOf(IllegalStateException.class, thrown.get());
        assertEquals(0, carrier.submitCount());
    }

    @Test
    void sessionClosedFiresWhenTheCarrierDropsTcpAndInFlightSubmitsAreHandedBack() throws Exception {
        TestCarrier carrier = carrierFor(ACME, BindType.TRANSCEIVER).onSubmit(s -> SubmitAnswer.none()).bind();
        carriers.add(carrier);
        await().atMost(WAIT).until(() -> listener.bound.size() == 1);
        CarrierSession session = lastBound();
        SubmitSm unanswered = submit("447700900127", "x");
        session.sendSubmit(unanswered, 1_000);
        carrier.awaitSubmits(1, WAIT);

        carrier.drop();

        await().atMost(WAIT).until(() -> listener.closed.contains(session));
        assertFalse(session.isBound());
        assertEquals(List.of(unanswered), session.inFlight());
        assertEquals(0, server.sessions().boundCount("acme"));
        assertTrue(server.sessions().submitCapable("acme").isEmpty());
        SendFailedException e = assertThrows(SendFailedException.class, () -> session.sendSubmit(submit("1", "x"), 100));
        assertEquals(SendFailedException.Reason.NOT_BOUND, e.reason());
        assertTrue(listener.expired.isEmpty());
        assertTrue(listener.submitResponses.isEmpty());
    }

    @Test
    void aSubmitHandedBackByAClosedSessionCanBeSentAgainOnAnother() throws Exception {
        TestCarrier silent = carrierFor(ACME, BindType.RECEIVER).onSubmit(s -> SubmitAnswer.none()).bind();
        carriers.add(silent);
        await().atMost(WAIT).until(() -> listener.bound.size() == 1);
        CarrierSession first = lastBound();
        for (int i = 0; i < 3; i++) {
            first.sendSubmit(submit("44770090030" + i, "x"), 1_000);
        }
        silent.awaitSubmits(3, WAIT);
        silent.drop();
        await().atMost(WAIT).until(() -> listener.closed.contains(first));
        List<PduRequest<?>> handedBack = first.inFlight();
        assertEquals(3, handedBack.size());

        TestCarrier good = carrierFor(ACME, BindType.TRANSCEIVER).onSubmit(s -> SubmitAnswer.ok("ok")).bind();
        carriers.add(good);
        await().atMost(WAIT).until(() -> server.sessions().submitCapable("acme").size() == 1);
        CarrierSession second = server.sessions().submitCapable("acme").get(0);
        // one fresh submit first, so the new session's first sequence number is taken
        second.sendSubmit(submit("447700900399", "fresh"), 1_000);
        for (PduRequest<?> req : handedBack) {
            second.sendSubmit((SubmitSm) req, 1_000);
        }
        await().atMost(WAIT).until(() -> listener.submitResponses.size() == 4);
        assertEquals(4, good.submitCount());
        for (PduRequest<?> req : handedBack) {
            assertTrue(listener.submitResponses.stream().anyMatch(r -> r.getRequest() == req), "each got its own answer");
        }
    }

    @Test
    void sessionClosedFiresForEverySessionWhenTheServerStopsAndCarriersAreUnbound() {
        TestCarrier a = bind(ACME, BindType.RECEIVER);
        TestCarrier b = bind(ACME, BindType.TRANSMITTER);
        TestCarrier c = bind(RX_ONLY, BindType.RECEIVER);

        server.stop();

        assertEquals(3, listener.closed.size(), "stop() returns after every close was reported");
        assertTrue(server.sessions().all().isEmpty());
        for (TestCarrier carrier : List.of(a, b, c)) {
            assertTrue(carrier.otherRequests().stream().anyMatch(r -> r instanceof Unbind), "unbind sent");
        }
        assertTrue(listener.submitResponses.isEmpty(), "unbind_resp is not a submit response");
    }

    @Test
    void closingASessionFromTheGatewayReportsItClosed() {
        TestCarrier carrier = bind(ACME, BindType.TRANSCEIVER);
        CarrierSession session = lastBound();
        session.close();
        await().atMost(WAIT).until(() -> listener.closed.contains(session));
        await().atMost(WAIT).until(carrier::closedByPeer);
        assertEquals(1, listener.bound.size());
        assertEquals(1, listener.closed.size(), "closed exactly once");
    }
}
