package io.dlrgate.gateway.smpp;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.PduAsyncResponse;
import com.cloudhopper.smpp.pdu.PduRequest;
import io.dlrgate.config.SmppServerConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every submit in flight when a session goes is handed back exactly once, as expired or as in flight at the close,
 * even when the connection drops while the window monitor is reporting expiries one by one: the monitor takes the
 * expired submits out of the window first, so the close no longer sees them, and cleaning up the closed session's
 * window must not cut the reporting short (found in review: destroy() did, leaving messages in flight for good).
 */
class SmppExpiryDuringCloseTest {

    @Test
    void submitsExpiringWhileTheConnectionDropsAreAllHandedBack() throws Exception {
        CountDownLatch inFirstExpiry = new CountDownLatch(1);
        CountDownLatch letExpiryGoOn = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        List<PduRequest<?>> expired = new CopyOnWriteArrayList<>();
        List<PduRequest<?>> inFlightAtClose = new CopyOnWriteArrayList<>();
        List<CarrierSession> bound = new CopyOnWriteArrayList<>();
        CarrierTrafficListener listener = new CarrierTrafficListener() {
            @Override
            public void sessionBound(CarrierSession s) {
                bound.add(s);
            }

            @Override
            public void sessionClosed(CarrierSession s) {
                inFlightAtClose.addAll(s.inFlight());
                closed.countDown();
            }

            @Override
            public void receiptPdu(CarrierSession s, PduRequest<?> pdu) {
                s.respond(pdu.createResponse());
            }

            @Override
            public void submitResponse(CarrierSession s, PduAsyncResponse r) {
            }

            @Override
            public void submitExpired(CarrierSession s, PduRequest<?> r) {
                expired.add(r);
                inFirstExpiry.countDown();
                try { // hold the monitor between two expiries while the connection drops
                    letExpiryGoOn.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        SmppServerConfig config = new SmppServerConfig("127.0.0.1", 0, "dlrgate", 100, Duration.ofSeconds(3),
                Duration.ofMillis(400));
        SmppGatewayServer server = new SmppGatewayServer(config, List.of(GatewayServerTestBase.ACME), listener);
        server.start();
        try (RawSmppSocket raw = new RawSmppSocket(server.port())) {
            raw.bindOk(GatewayServerTestBase.ACME);
            await().atMost(Duration.ofSeconds(5)).until(() -> bound.size() == 1);
            for (int i = 0; i < 5; i++) { // the raw peer never answers them
                bound.get(0).sendSubmit(SmppCarrierTrafficTest.submit("44770090020" + i, "never answered"), 1_000);
            }
            assertTrue(inFirstExpiry.await(5, TimeUnit.SECONDS), "the monitor reports the first expiry");
            raw.close();
            assertTrue(closed.await(5, TimeUnit.SECONDS), "the session closes");
            Thread.sleep(200); // the close's clean-up has run
            letExpiryGoOn.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> expired.size() + inFlightAtClose.size() >= 5);
            Thread.sleep(200); // nothing is handed back twice either
            assertEquals(5, expired.size() + inFlightAtClose.size(),
                    "expired " + expired.size() + ", in flight at close " + inFlightAtClose.size());
        } finally {
            letExpiryGoOn.countDown();
            server.stop();
        }
    }
}
