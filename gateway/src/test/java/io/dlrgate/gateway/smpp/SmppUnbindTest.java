package io.dlrgate.gateway.smpp;

import static io.dlrgate.gateway.smpp.RawSmppSocket.assertResponse;
import static io.dlrgate.gateway.smpp.RawSmppSocket.withSeq;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.DeliverSmResp;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.Unbind;
import com.cloudhopper.smpp.pdu.UnbindResp;
import io.dlrgate.gateway.testing.TestCarrier;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An unbind sent right behind receipts is answered only after them: receipts are answered once stored, later than
 * an unbind could be, and a carrier that closes on the unbind_resp would never see their answers and would send
 * them again. Over a raw socket, so the order of the gateway's answers on the wire is what is checked.
 */
class SmppUnbindTest extends GatewayServerTestBase {

    /** The bound on the wait, short for the test: the unbind_resp goes out after it whatever is unanswered. */
    @Override
    Duration requestExpiry() {
        return Duration.ofSeconds(2);
    }

    @Test
    void unbindRespWaitsForTheAnswersOfTheReceiptsBeforeIt() throws Exception {
        try (RawSmppSocket raw = new RawSmppSocket(server.port())) {
            raw.bindOk(ACME);
            sendHeldReceiptsThenUnbind(raw, 3, 1); // receipts 2..4, unbind 5

            // Nothing may come while the receipts are unanswered: not the unbind_resp, not a close.
            raw.assertSilentFor(500, "the unbind_resp overtook the receipts' answers");

            // Meanwhile the session takes no new submit: the carrier asked to leave.
            CarrierSession session = lastBound();
            assertFalse(session.isBound(), "a session whose carrier unbinds is not bound for sending");
            assertFalse(server.sessions().submitCapable(ACME.id()).contains(session));
            for (PduRequest<?> receipt : held) {
                session.respond(receipt.createResponse());
            }
            for (int seq = 2; seq <= 4; seq++) {
                assertResponse(raw.read(), DeliverSmResp.class, SmppConstants.STATUS_OK, seq);
            }
            assertResponse(raw.read(), UnbindResp.class, SmppConstants.STATUS_OK, 5);
            assertTrue(raw.closedByServer(), "the connection is closed after the unbind_resp");
        }
    }

    @Test
    void unbindRespGoesOutAfterTheBoundWhenAnswersNeverCome() throws Exception {
        try (RawSmppSocket raw = new RawSmppSocket(server.port())) {
            raw.bindOk(ACME);
            sendHeldReceiptsThenUnbind(raw, 1, 1);
            raw.assertSilentFor(500, "held while the receipt is unanswered");
            // The bound is 2 s (requestExpiry above); the socket waits up to 5 s.
            assertResponse(raw.read(), UnbindResp.class, SmppConstants.STATUS_OK, 3);
            assertTrue(raw.closedByServer(), "the connection is closed after the unbind_resp");
        }
    }

    @Test
    void aRepeatedUnbindIsAnsweredTooInOrder() throws Exception {
        try (RawSmppSocket raw = new RawSmppSocket(server.port())) {
            raw.bindOk(ACME);
            sendHeldReceiptsThenUnbind(raw, 1, 2); // the carrier repeats its unbind while the first waits
            raw.assertSilentFor(500, "held while the receipt is unanswered");

            lastBound().respond(held.get(0).createResponse());
            assertResponse(raw.read(), DeliverSmResp.class, SmppConstants.STATUS_OK, 2);
            assertResponse(raw.read(), UnbindResp.class, SmppConstants.STATUS_OK, 3);
            assertResponse(raw.read(), UnbindResp.class, SmppConstants.STATUS_OK, 4);
            assertTrue(raw.closedByServer());
        }
    }

    @Test
    void aRepeatedUnbindWithNothingOutstandingIsAnsweredToo() throws Exception {
        // Found in review: the first unbind_resp, not held, closed the connection before the second was written.
        try (RawSmppSocket raw = new RawSmppSocket(server.port())) {
            raw.bindOk(ACME);
            raw.sendTogether(withSeq(new Unbind(), 3), withSeq(new Unbind(), 4)); // read in one go
            assertResponse(raw.read(), UnbindResp.class, SmppConstants.STATUS_OK, 3);
            assertResponse(raw.read(), UnbindResp.class, SmppConstants.STATUS_OK, 4);
            assertTrue(raw.closedByServer());
        }
    }

    @Test
    void unbindWithNothingOutstandingIsAnsweredAtOnce() throws Exception {
        try (RawSmppSocket raw = new RawSmppSocket(server.port())) {
            raw.bindOk(ACME);
            raw.send(withSeq(TestCarrier.receipt("id:8 stat:DELIVRD"), 2)); // answered at once by the listener
            assertResponse(raw.read(), DeliverSmResp.class, SmppConstants.STATUS_OK, 2);
            raw.send(withSeq(new Unbind(), 3));
            // Well inside the 2 s bound: it was not held.
            raw.setReadTimeout(1_000);
            assertResponse(raw.read(), UnbindResp.class, SmppConstants.STATUS_OK, 3);
        }
    }
}
