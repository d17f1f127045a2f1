package io.dlrgate.gateway.smpp.client;

import static io.dlrgate.gateway.smpp.RawSmppSocket.assertResponse;
import static io.dlrgate.gateway.smpp.RawSmppSocket.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.AlertNotification;
import com.cloudhopper.smpp.pdu.BindTransceiver;
import com.cloudhopper.smpp.pdu.BindTransceiverResp;
import com.cloudhopper.smpp.pdu.DeliverSmResp;
import com.cloudhopper.smpp.pdu.EnquireLink;
import com.cloudhopper.smpp.pdu.EnquireLinkResp;
import com.cloudhopper.smpp.pdu.GenericNack;
import com.cloudhopper.smpp.pdu.Pdu;
import com.cloudhopper.smpp.type.Address;
import io.dlrgate.gateway.smpp.CarrierSession;
import io.dlrgate.gateway.smpp.RawSmppSocket;
import io.dlrgate.gateway.smpp.SessionDirection;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.LogCapture;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An SMSC that sends what ch-smpp cannot decode, over the gateway's own outbound bind: raw bytes from a plain
 * socket, since no SMPP library would write them. Every request gets its answer, as on binds carriers open.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SmppClientMalformedPduTest {

    GatewayHarness gw;

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void undecodablePdusFromTheSmscAreAnsweredAndTheSessionGoesOn() throws Exception {
        try (ServerSocket listen = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            gw = GatewayHarness.start(SmppClientTest.carrier(listen.getLocalPort(), "secret",
                    "enquire_link_interval: 1h", // nothing of ours interleaves with the answers read here
                    "address_range: \"^44\"", "addr_ton: 1", "addr_npi: 1"));
            LogCapture.Lines lines;
            try (RawSmppSocket smsc = new RawSmppSocket(listen.accept())) {
                bindOk(smsc);
                lines = LogCapture.during(null, () -> {
                    // a request with an unknown command_id (a vendor's)
                    smsc.sendBytes(header(16, 0x00000111, 0, 7));
                    assertResponse(smsc.read(), GenericNack.class, SmppConstants.STATUS_INVCMDID, 7);

                    // a deliver_sm whose service_type C-string never ends within the PDU
                    smsc.sendBytes(header(19, SmppConstants.CMD_ID_DELIVER_SM, 0, 8, (byte) 'A', (byte) 'B',
                            (byte) 'C'));
                    assertResponse(smsc.read(), DeliverSmResp.class, SmppConstants.STATUS_INVCMDLEN, 8);

                    // alert_notification has no response: the next answer is the enquire_link's
                    AlertNotification alert = new AlertNotification();
                    alert.setSequenceNumber(9);
                    alert.setSourceAddress(new Address((byte) 1, (byte) 1, "447700900001"));
                    alert.setEsmeAddress(new Address((byte) 1, (byte) 1, "12345"));
                    smsc.send(alert);
                    EnquireLink link = new EnquireLink();
                    link.setSequenceNumber(10);
                    smsc.send(link);
                    assertResponse(smsc.read(), EnquireLinkResp.class, SmppConstants.STATUS_OK, 10);

                    // deliver_sm bodies shorter than their own fields (sm_length 200, "hello" follows), in a
                    // flood: each answered, few logged, no stack trace
                    int flood = 100;
                    ByteArrayOutputStream all = new ByteArrayOutputStream();
                    byte[] body = {0, 1, 1, 0, 1, 1, 0, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 200,
                        'h', 'e', 'l', 'l', 'o'};
                    for (int i = 0; i < flood; i++) {
                        all.write(header(16 + body.length, SmppConstants.CMD_ID_DELIVER_SM, 0, 100 + i, body));
                    }
                    smsc.sendBytes(all.toByteArray());
                    for (int i = 0; i < flood; i++) {
                        assertResponse(smsc.read(), DeliverSmResp.class, SmppConstants.STATUS_INVCMDLEN, 100 + i);
                    }
                });
                assertEquals(1, outbound().size(), "still bound");
                link(smsc, 11);
            }
            for (ILoggingEvent e : lines.events()) {
                assertNull(e.getThrowableProxy(), "no stack trace: " + e.getLoggerName() + " " + e.getFormattedMessage());
            }
            assertTrue(lines.events().size() <= 30, "lines for 103 bad PDUs: " + lines.messages());
        }
    }

    @Test
    void aBindAnsweredWithGenericNackIsRejectedAndRetriedAtTheSlowEnd() throws Exception {
        try (ServerSocket listen = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LogCapture.Lines lines = LogCapture.during(BindKeeper.class, () -> {
                // min 100 ms: were it retried on the ordinary backoff, 3 s would see several attempts.
                gw = GatewayHarness.start(SmppClientTest.carrier(listen.getLocalPort(), "secret",
                        "reconnect: {min: 100ms, max: 60s}"));
                try (RawSmppSocket smsc = new RawSmppSocket(listen.accept())) {
                    Pdu bind = smsc.read();
                    assertInstanceOf(BindTransceiver.class, bind);
                    GenericNack nack = new GenericNack();
                    nack.setCommandStatus(SmppConstants.STATUS_SYSERR);
                    nack.setSequenceNumber(bind.getSequenceNumber());
                    smsc.send(nack);
                    assertTrue(smsc.closedWithin(5_000), "the gateway closes the connection");
                }
                listen.setSoTimeout(3_000);
                assertThrows(SocketTimeoutException.class, listen::accept, "no second attempt within 3 s");
            });
            String line = lines.messages().stream().filter(m -> m.contains("generic_nack")).findFirst().orElseThrow(
                    () -> new AssertionError("no line names the generic_nack: " + lines.messages()));
            assertTrue(line.contains("ESME_RSYSERR (0x00000008)") && line.contains("smsc-uk"), line);
            assertTrue(gw.get("/metrics").body().contains(
                    "dlrgate_smpp_connect_failures_total{carrier=\"smsc-uk\",reason=\"bind_rejected\"} 1.0"));
        }
    }

    private void bindOk(RawSmppSocket smsc) throws Exception {
        Pdu bind = smsc.read();
        assertInstanceOf(BindTransceiver.class, bind);
        Address range = ((BindTransceiver) bind).getAddressRange();
        assertEquals(1, range.getTon());
        assertEquals(1, range.getNpi());
        assertEquals("^44", range.getAddress());
        BindTransceiverResp resp = ((BindTransceiver) bind).createResponse();
        resp.setSystemId("rawsmsc");
        smsc.send(resp);
        org.awaitility.Awaitility.await().atMost(SmppClientTest.WAIT).until(() -> outbound().size() == 1);
    }

    private static void link(RawSmppSocket smsc, int seq) throws Exception {
        EnquireLink link = new EnquireLink();
        link.setSequenceNumber(seq);
        smsc.send(link);
        assertResponse(smsc.read(), EnquireLinkResp.class, SmppConstants.STATUS_OK, seq);
    }

    private List<CarrierSession> outbound() {
        return gw.gateway().smpp().sessions().sessions("smsc-uk").stream()
                .filter(s -> s.direction() == SessionDirection.OUT && s.isBound()).toList();
    }
}
