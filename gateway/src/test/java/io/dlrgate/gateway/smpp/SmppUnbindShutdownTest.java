package io.dlrgate.gateway.smpp;

import static io.dlrgate.gateway.smpp.RawSmppSocket.assertResponse;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.DeliverSmResp;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.pdu.UnbindResp;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The gateway stops its SMPP side before its committer: a receipt answered after that, which releases a carrier's
 * held unbind_resp, must not throw into the committer (it would make the lane write a batch twice).
 */
class SmppUnbindShutdownTest extends GatewayServerTestBase {

    /** Longer than the stop's own 2 s wait for the carriers' unbind answers: the unbind_resp is still held after. */
    @Override
    Duration requestExpiry() {
        return Duration.ofSeconds(30);
    }

    @Test
    void stoppingWaitsForACarrierThatIsUnbindingAsForOneItUnbinds() throws Exception {
        // Found in review: the stop path unbinds bound sessions and waits up to 2 s for them, but closed a session
        // whose carrier was unbinding at once, so the answers to its receipts (and its unbind_resp) never went out.
        try (RawSmppSocket raw = new RawSmppSocket(server.port())) {
            raw.bindOk(ACME);
            sendHeldReceiptsThenUnbind(raw, 1, 1);
            CarrierSession session = lastBound();
            Thread committer = new Thread(() -> { // the receipt is stored 300 ms into the stop
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                }
                session.respond(held.get(0).createResponse());
            });
            committer.start();
            server.stop();
            committer.join();
            raw.setReadTimeout(3_000);
            assertResponse(raw.read(), DeliverSmResp.class, SmppConstants.STATUS_OK, 2);
            assertResponse(raw.read(), UnbindResp.class, SmppConstants.STATUS_OK, 3);
        }
    }

    @Test
    void anAnswerAfterTheServerStoppedDoesNotThrow() throws Exception {
        try (RawSmppSocket raw = new RawSmppSocket(server.port())) {
            raw.bindOk(ACME);
            sendHeldReceiptsThenUnbind(raw, 1, 1);
            CarrierSession session = lastBound();

            server.stop();
            await().atMost(WAIT).until(() -> ((SmppCarrierSession) session).channel().eventLoop().isShutdown());

            PduResponse retryLater = held.get(0).createResponse();
            retryLater.setCommandStatus(0x58); // what the committer answers when it stops
            assertDoesNotThrow(() -> session.respond(retryLater), "the answer releases the held unbind_resp");
        }
    }
}
