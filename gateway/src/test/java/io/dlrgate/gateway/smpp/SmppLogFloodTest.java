package io.dlrgate.gateway.smpp;

import static io.dlrgate.gateway.smpp.RawSmppSocket.assertResponse;
import static io.dlrgate.gateway.smpp.RawSmppSocket.withSeq;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.GenericNack;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.pdu.SubmitSmResp;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

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
        assertAnsweredButLogLimited(PduGuard.class, "unknown command_id",
                (raw, seq) -> raw.sendBytes(RawSmppSocket.header(16, 0x00001234, 0, seq)), GenericNack.class);
    }

    @Test
    void submitSmFromACarrierAreAllAnsweredButFewAreLogged() throws Exception {
        assertAnsweredButLogLimited(BoundSessionHandler.class, "submit_sm",
                (raw, seq) -> raw.send(withSeq(new SubmitSm(), seq)), SubmitSmResp.class);
    }

    /**
     * Binds, sends {@link #FLOOD} PDUs each refused with ESME_RINVCMDID, reads every answer back in order and
     * counts the lines {@code source} logged about them (those containing {@code marker}).
     */
    private void assertAnsweredButLogLimited(Class<?> source, String marker, FloodPdu pdu,
                                             Class<? extends PduResponse> answer) throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(source);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        long start = System.nanoTime();
        try (RawSmppSocket raw = new RawSmppSocket(server.port())) {
            raw.bindOk(ACME);
            for (int seq = 2; seq < FLOOD + 2; seq++) {
                pdu.send(raw, seq);
            }
            for (int seq = 2; seq < FLOOD + 2; seq++) {
                assertResponse(raw.read(), answer, SmppConstants.STATUS_INVCMDID, seq);
            }
        } finally {
            logger.detachAppender(lines);
        }
        long elapsed = System.nanoTime() - start;
        long logged;
        synchronized (lines) { // the event loop appends under the appender's lock (AppenderBase.doAppend)
            logged = lines.list.stream().filter(e -> e.getFormattedMessage().contains(marker)).count();
        }
        // The limiters are static, shared with the other tests in this JVM: the flood may begin at the end of a
        // window they opened and go on into the next. Windows never overlap and last at least DEFAULT_WINDOW.
        long windows = elapsed / LogRateLimit.DEFAULT_WINDOW.toNanos() + 2;
        long allowed = windows * LogRateLimit.DEFAULT_LINES;
        System.out.printf("%d PDUs refused by %s: %d lines logged (at most %d allowed)%n", FLOOD,
                source.getSimpleName(), logged, allowed);
        assertTrue(logged <= allowed, logged + " lines logged for " + FLOOD + " PDUs; at most " + allowed
                + " allowed");
    }
}
