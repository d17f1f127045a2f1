package io.dlrgate.gateway.smpp;

import static io.dlrgate.gateway.smpp.RawSmppSocket.assertResponse;
import static io.dlrgate.gateway.smpp.RawSmppSocket.withSeq;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.AlertNotification;
import com.cloudhopper.smpp.pdu.BindTransceiver;
import com.cloudhopper.smpp.pdu.BindTransceiverResp;
import com.cloudhopper.smpp.pdu.DataSm;
import com.cloudhopper.smpp.pdu.DataSmResp;
import com.cloudhopper.smpp.pdu.DeliverSm;
import com.cloudhopper.smpp.pdu.DeliverSmResp;
import com.cloudhopper.smpp.pdu.EnquireLink;
import com.cloudhopper.smpp.pdu.EnquireLinkResp;
import com.cloudhopper.smpp.pdu.GenericNack;
import com.cloudhopper.smpp.pdu.Pdu;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.pdu.QuerySm;
import com.cloudhopper.smpp.pdu.QuerySmResp;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.pdu.SubmitSmResp;
import com.cloudhopper.smpp.pdu.Unbind;
import com.cloudhopper.smpp.pdu.UnbindResp;
import com.cloudhopper.smpp.type.Address;
import io.dlrgate.config.BindType;
import io.dlrgate.gateway.testing.TestCarrier;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmppPduPolicyTest extends GatewayServerTestBase {

    @Test
    void enquireLinkIsAnswered() throws Exception {
        TestCarrier carrier = bind(ACME, BindType.TRANSMITTER);
        EnquireLinkResp resp = carrier.enquireLink(WAIT);
        assertEquals(SmppConstants.STATUS_OK, resp.getCommandStatus());
    }

    @Test
    void unbindIsAnsweredAndTheSessionCleanedUp() throws Exception {
        TestCarrier carrier = bind(ACME, BindType.TRANSCEIVER);
        CarrierSession session = lastBound();

        UnbindResp resp = carrier.unbind(WAIT);

        assertEquals(SmppConstants.STATUS_OK, resp.getCommandStatus());
        await().atMost(WAIT).until(() -> listener.closed.contains(session));
        assertFalse(session.isBound());
        assertEquals(0, server.sessions().boundCount("acme"));
        assertTrue(server.sessions().sessions("acme").isEmpty());
    }

    @Test
    void receiptOverATransmitterBindReachesTheListenerWhichAnswers() throws Exception {
        TestCarrier carrier = bind(ACME, BindType.TRANSMITTER);
        PduResponse resp = carrier.sendDeliverSm(TestCarrier.receipt("id:42 sub:001 dlvrd:001 stat:DELIVRD err:000"), WAIT);
        assertInstanceOf(DeliverSmResp.class, resp);
        assertEquals(SmppConstants.STATUS_OK, resp.getCommandStatus());
        assertEquals(1, listener.receipts.size());
        DeliverSm got = (DeliverSm) listener.receipts.get(0);
        assertEquals("id:42 sub:001 dlvrd:001 stat:DELIVRD err:000", new String(got.getShortMessage(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void dataSmReceiptOverATransceiverReachesTheListener() throws Exception {
        TestCarrier carrier = bind(ACME, BindType.TRANSCEIVER);
        DataSm dataSm = new DataSm();
        dataSm.setEsmClass((byte) 0x04);
        dataSm.setSourceAddress(new Address((byte) 1, (byte) 1, "447700900001"));
        dataSm.setDestAddress(new Address((byte) 1, (byte) 1, "12345"));
        PduResponse resp = carrier.send(dataSm, WAIT);
        assertInstanceOf(DataSmResp.class, resp);
        assertEquals(SmppConstants.STATUS_OK, resp.getCommandStatus());
        assertInstanceOf(DataSm.class, listener.receipts.get(0));
    }

    @Test
    void receiptOverAReceiverBindIsRinvbndsts() throws Exception {
        TestCarrier carrier = bind(ACME, BindType.RECEIVER);
        PduResponse resp = carrier.sendDeliverSm(TestCarrier.receipt("id:1 stat:DELIVRD"), WAIT);
        assertInstanceOf(DeliverSmResp.class, resp);
        assertEquals(SmppConstants.STATUS_INVBNDSTS, resp.getCommandStatus());
        assertTrue(listener.receipts.isEmpty());
        assertTrue(carrier.enquireLink(WAIT) != null, "the session stays usable");
    }

    @Test
    void aListenerThatThrowsGetsTheCarrierThrottleStatusSoItRetries() throws Exception {
        listener.onReceipt = (session, pdu) -> {
            throw new IllegalStateException("store down");
        };
        TestCarrier carrier = bind(ACME, BindType.TRANSMITTER);
        PduResponse resp = carrier.sendDeliverSm(TestCarrier.receipt("id:1 stat:DELIVRD"), WAIT);
        assertEquals(0x58, resp.getCommandStatus());
    }

    @Test
    void theDefaultReceiptHandlingNeverAcknowledgesWhatNobodyStored() throws Exception {
        CarrierTrafficListener takesNoReceipts = new CarrierTrafficListener() {
        };
        listener.onReceipt = takesNoReceipts::receiptPdu;
        TestCarrier carrier = bind(ACME, BindType.TRANSMITTER);
        PduResponse resp = carrier.sendDeliverSm(TestCarrier.receipt("id:1 stat:DELIVRD"), WAIT);
        assertEquals(ACME.throttleStatus(), resp.getCommandStatus());
    }

    @Test
    void aListenerMayAnswerLaterFromAnotherThread() throws Exception {
        listener.onReceipt = (session, pdu) -> new Thread(() -> {
            sleep(200);
            session.respond(pdu.createResponse());
        }).start();
        TestCarrier carrier = bind(ACME, BindType.TRANSMITTER);
        long start = System.nanoTime();
        PduResponse resp = carrier.sendDeliverSm(TestCarrier.receipt("id:1 stat:DELIVRD"), WAIT);
        assertEquals(SmppConstants.STATUS_OK, resp.getCommandStatus());
        assertTrue(System.nanoTime() - start >= 150_000_000L, "the answer waited for the listener");
    }

    @Test
    void submitSmAndQuerySmFromACarrierAreRinvcmdid() throws Exception {
        TestCarrier carrier = bind(ACME, BindType.TRANSCEIVER);
        SubmitSm submit = new SubmitSm();
        submit.setSourceAddress(new Address((byte) 1, (byte) 1, "12345"));
        submit.setDestAddress(new Address((byte) 1, (byte) 1, "447700900001"));
        PduResponse resp = carrier.send(submit, WAIT);
        assertInstanceOf(SubmitSmResp.class, resp);
        assertEquals(SmppConstants.STATUS_INVCMDID, resp.getCommandStatus());

        QuerySm query = new QuerySm();
        query.setMessageId("1");
        query.setSourceAddress(new Address((byte) 1, (byte) 1, "12345"));
        PduResponse queryResp = carrier.send(query, WAIT);
        assertInstanceOf(QuerySmResp.class, queryResp);
        assertEquals(SmppConstants.STATUS_INVCMDID, queryResp.getCommandStatus());
    }

    @Test
    void requestsBeforeBindAreRinvbndstsButALinkCheckIsOkAndTheConnectionCanStillBind() throws Exception {
        try (RawSmppSocket raw = new RawSmppSocket(server.port())) {
            // A link check is allowed before bind (SMPP 5.0, 4.1.2: open state): answered OK, not an error.
            raw.send(withSeq(new EnquireLink(), 1));
            assertResponse(raw.read(), EnquireLinkResp.class, SmppConstants.STATUS_OK, 1);

            raw.send(withSeq(TestCarrier.receipt("id:1 stat:DELIVRD"), 2));
            assertResponse(raw.read(), DeliverSmResp.class, SmppConstants.STATUS_INVBNDSTS, 2);

            SubmitSm submit = new SubmitSm();
            submit.setSequenceNumber(3);
            raw.send(submit);
            assertResponse(raw.read(), SubmitSmResp.class, SmppConstants.STATUS_INVBNDSTS, 3);

            raw.send(withSeq(new Unbind(), 4));
            assertResponse(raw.read(), UnbindResp.class, SmppConstants.STATUS_INVBNDSTS, 4);

            raw.send(acmeBind(5));
            assertResponse(raw.read(), BindTransceiverResp.class, SmppConstants.STATUS_OK, 5);
        }
        assertTrue(listener.receipts.isEmpty());
    }

    @Test
    void unknownCommandIdGetsGenericNackBeforeAndAfterBind() throws Exception {
        try (RawSmppSocket raw = new RawSmppSocket(server.port())) {
            raw.sendBytes(RawSmppSocket.header(16, 0x00000111, 0, 7));
            assertResponse(raw.read(), GenericNack.class, SmppConstants.STATUS_INVCMDID, 7);

            raw.send(acmeBind(8));
            assertResponse(raw.read(), BindTransceiverResp.class, SmppConstants.STATUS_OK, 8);

            // with a body, and a command id in the reserved range
            raw.sendBytes(RawSmppSocket.header(20, 0x00010200, 0, 9, (byte) 1, (byte) 2, (byte) 3, (byte) 4));
            assertResponse(raw.read(), GenericNack.class, SmppConstants.STATUS_INVCMDID, 9);

            raw.send(withSeq(new EnquireLink(), 10));
            assertResponse(raw.read(), EnquireLinkResp.class, SmppConstants.STATUS_OK, 10);
        }
    }

    @Test
    void aBodyThatDoesNotFitItsLengthIsRinvcmdlenAndTheSessionGoesOn() throws Exception {
        try (RawSmppSocket raw = new RawSmppSocket(server.port())) {
            raw.bindOk(ACME);

            // deliver_sm whose service_type C-string never ends within the PDU
            raw.sendBytes(RawSmppSocket.header(19, SmppConstants.CMD_ID_DELIVER_SM, 0, 2, (byte) 'A', (byte) 'B', (byte) 'C'));
            assertResponse(raw.read(), DeliverSmResp.class, SmppConstants.STATUS_INVCMDLEN, 2);

            raw.send(withSeq(new EnquireLink(), 3));
            assertResponse(raw.read(), EnquireLinkResp.class, SmppConstants.STATUS_OK, 3);
        }
        assertTrue(listener.receipts.isEmpty());
    }

    @Test
    void aBodyShorterThanItsOwnFieldsIsAnsweredAndTheSessionGoesOn() throws Exception {
        try (RawSmppSocket raw = new RawSmppSocket(server.port())) {
            raw.bindOk(ACME);

            // deliver_sm whose sm_length says 200 but only "hello" follows: ch-smpp reads past the end
            byte[] body = {0, 1, 1, 0, 1, 1, 0, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 200,
                'h', 'e', 'l', 'l', 'o'};
            raw.sendBytes(RawSmppSocket.header(16 + body.length, SmppConstants.CMD_ID_DELIVER_SM, 0, 2, body));
            assertResponse(raw.read(), DeliverSmResp.class, SmppConstants.STATUS_INVCMDLEN, 2);

            raw.send(withSeq(new EnquireLink(), 3));
            assertResponse(raw.read(), EnquireLinkResp.class, SmppConstants.STATUS_OK, 3);
        }
        assertTrue(listener.receipts.isEmpty());
    }

    @Test
    void aPeerThatNeverReadsIsNoLongerReadEither() throws Exception {
        // Every enquire_link earns a response. A peer that sends without reading made the server queue those
        // responses in memory without limit; now the server stops reading it, and the peer's sends stall in TCP.
        try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open()) {
            ch.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4096);
            ch.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
            ch.write(java.nio.ByteBuffer.wrap(encode(acmeBind(1))));
            java.nio.ByteBuffer bindResp = java.nio.ByteBuffer.allocate(4096);
            ch.read(bindResp); // the bind_resp; from here on nothing is read any more
            ch.configureBlocking(false);
            int pdus = 2_000_000; // 32 MB of enquire_link: far more than every socket buffer on the way
            java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(16 * 4096);
            for (int i = 0; i < 4096; i++) {
                chunk.putInt(16).putInt(SmppConstants.CMD_ID_ENQUIRE_LINK).putInt(0).putInt(i + 2);
            }
            chunk.flip();
            long sent = 0;
            long lastProgress = System.nanoTime();
            boolean stalled = false;
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (sent < pdus * 16L && System.nanoTime() < deadline) {
                int n = ch.write(chunk);
                if (!chunk.hasRemaining()) {
                    chunk.rewind();
                }
                if (n > 0) {
                    sent += n;
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > java.util.concurrent.TimeUnit.SECONDS.toNanos(2)) {
                    stalled = true;
                    break;
                } else {
                    Thread.sleep(5);
                }
            }
            System.out.printf("a peer that never reads got %,d bytes of enquire_link accepted before its sends stalled%n",
                    sent);
            assertTrue(stalled, "the server kept reading " + sent + " bytes from a peer that reads nothing");
            assertTrue(sent < pdus * 16L / 2, "stalled only after " + sent + " bytes");
        }
        // Other connections are still served.
        try (RawSmppSocket raw = new RawSmppSocket(server.port())) {
            raw.send(withSeq(new EnquireLink(), 9));
            assertEquals(9, raw.read().getSequenceNumber());
        }
    }

    @Test
    void aLengthUnderSixteenGetsGenericNackAndTheConnectionIsClosed() throws Exception {
        try (RawSmppSocket raw = new RawSmppSocket(server.port())) {
            raw.sendBytes(RawSmppSocket.header(8, SmppConstants.CMD_ID_ENQUIRE_LINK, 0, 5));
            assertResponse(raw.read(), GenericNack.class, SmppConstants.STATUS_INVCMDLEN, 5);
            assertTrue(raw.closedByServer());
        }
    }

    @Test
    void aHugeLengthClosesTheConnectionInsteadOfBufferingForever() throws Exception {
        try (RawSmppSocket raw = new RawSmppSocket(server.port())) {
            raw.bindOk(ACME);
            await().atMost(WAIT).until(() -> listener.bound.size() == 1);
            CarrierSession session = listener.bound.get(0);

            raw.sendBytes(RawSmppSocket.header(0x7fffffff, SmppConstants.CMD_ID_DELIVER_SM, 0, 2));
            assertResponse(raw.read(), GenericNack.class, SmppConstants.STATUS_INVCMDLEN, 2);
            assertTrue(raw.closedByServer());
            await().atMost(WAIT).until(() -> listener.closed.contains(session));
        }
    }

    @Test
    void garbageOnTheSmppPortNeverDisturbsABoundCarrierOrNewBinds() throws Exception {
        TestCarrier neighbour = bind(ACME, BindType.TRANSCEIVER);

        Random random = new Random(42);
        for (int round = 0; round < 5; round++) {
            try (RawSmppSocket raw = new RawSmppSocket(server.port())) {
                byte[] garbage = new byte[64 * 1024];
                random.nextBytes(garbage);
                try {
                    raw.sendBytes(garbage);
                } catch (java.io.IOException closedWhileWriting) {
                    // the gateway may close before all of it is written: that is the point
                }
                assertTrue(raw.closedByServer(), "garbage round " + round + " left the connection open");
            }
            assertEquals(SmppConstants.STATUS_OK, neighbour.enquireLink(WAIT).getCommandStatus());
        }
        try (RawSmppSocket http = new RawSmppSocket(server.port())) {
            http.sendBytes("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(http.closedByServer(), "an HTTP request is not SMPP");
        }
        // A stream of well-framed PDUs with random command ids: answered one by one, never closed.
        try (RawSmppSocket framed = new RawSmppSocket(server.port())) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int i = 1; i <= 50; i++) {
                all.write(RawSmppSocket.header(16, 0x00001000 + random.nextInt(0x1000), 0, i));
            }
            framed.sendBytes(all.toByteArray());
            for (int i = 1; i <= 50; i++) {
                assertResponse(framed.read(), GenericNack.class, SmppConstants.STATUS_INVCMDID, i);
            }
        }

        assertEquals(SmppConstants.STATUS_OK, neighbour.enquireLink(WAIT).getCommandStatus());
        assertEquals(SmppConstants.STATUS_OK,
                neighbour.sendDeliverSm(TestCarrier.receipt("id:7 stat:DELIVRD"), WAIT).getCommandStatus());
        assertTrue(lastBound().isBound());
        bind(ACME, BindType.RECEIVER); // the server still takes new binds
        assertEquals(2, server.sessions().boundCount("acme"));
    }

    @Test
    void aPduPipelinedRightBehindTheBindIsAnsweredAfterTheBindResponse() throws Exception {
        try (RawSmppSocket raw = new RawSmppSocket(server.port())) {
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.write(encode(acmeBind(1)));
            both.write(encode(withSeq(TestCarrier.receipt("id:9 stat:DELIVRD"), 2)));
            both.write(encode(withSeq(new EnquireLink(), 3)));
            raw.sendBytes(both.toByteArray());

            assertResponse(raw.read(), BindTransceiverResp.class, SmppConstants.STATUS_OK, 1);
            assertResponse(raw.read(), DeliverSmResp.class, SmppConstants.STATUS_OK, 2);
            assertResponse(raw.read(), EnquireLinkResp.class, SmppConstants.STATUS_OK, 3);
        }
        assertEquals(1, listener.receipts.size());
        assertEquals(1, listener.bound.size(), "the receipt came after the session was reported bound");
    }

    @Test
    void alertNotificationHasNoResponseAndIsIgnored() throws Exception {
        try (RawSmppSocket raw = new RawSmppSocket(server.port())) {
            raw.bindOk(ACME);
            AlertNotification alert = new AlertNotification();
            alert.setSequenceNumber(2);
            alert.setSourceAddress(new Address((byte) 1, (byte) 1, "447700900001"));
            alert.setEsmeAddress(new Address((byte) 1, (byte) 1, "12345"));
            raw.send(alert);
            raw.send(withSeq(new EnquireLink(), 3));
            assertResponse(raw.read(), EnquireLinkResp.class, SmppConstants.STATUS_OK, 3);
        }
    }

    private static BindTransceiver acmeBind(int seq) {
        return RawSmppSocket.bindTransceiver(ACME, seq);
    }

    private static byte[] encode(Pdu pdu) throws Exception {
        ByteBuf buf = new com.cloudhopper.smpp.transcoder.DefaultPduTranscoder(
                new com.cloudhopper.smpp.transcoder.DefaultPduTranscoderContext()).encode(pdu);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.release();
        return bytes;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
