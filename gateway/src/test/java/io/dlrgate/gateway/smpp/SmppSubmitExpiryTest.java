package io.dlrgate.gateway.smpp;

import com.cloudhopper.smpp.pdu.SubmitSm;
import io.dlrgate.config.BindType;
import io.dlrgate.gateway.testing.TestCarrier;
import io.dlrgate.gateway.testing.TestCarrier.SubmitAnswer;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A server whose request expiry is short enough to watch an unanswered submit expire. */
class SmppSubmitExpiryTest extends GatewayServerTestBase {

    @Override
    Duration requestExpiry() {
        return Duration.ofMillis(500);
    }

    @Test
    void anUnansweredSubmitIsReportedExpiredOnceAndLeavesTheWindow() throws Exception {
        TestCarrier carrier = carrierFor(ACME, BindType.RECEIVER).onSubmit(s -> SubmitAnswer.none()).bind();
        carriers.add(carrier);
        await().atMost(WAIT).until(() -> server.sessions().submitCapable("acme").size() == 1);
        CarrierSession session = server.sessions().submitCapable("acme").get(0);

        SubmitSm submit = SmppCarrierTrafficTest.submit("447700900200", "never answered");
        session.sendSubmit(submit, 1_000);

        await().atMost(WAIT).until(() -> listener.expired.size() == 1);
        assertSame(submit, listener.expired.get(0));
        assertTrue(session.inFlight().isEmpty());
        Thread.sleep(1_200);
        assertEquals(1, listener.expired.size(), "reported once");
        assertTrue(listener.submitResponses.isEmpty());
    }
}
