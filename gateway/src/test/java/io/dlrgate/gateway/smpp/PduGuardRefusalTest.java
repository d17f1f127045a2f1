package io.dlrgate.gateway.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.pdu.BindTransceiver;
import com.cloudhopper.smpp.transcoder.DefaultPduTranscoder;
import com.cloudhopper.smpp.transcoder.DefaultPduTranscoderContext;
import io.dlrgate.gateway.metrics.GatewayMetrics;
import io.dlrgate.gateway.security.FailureThrottle;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A refused bind's answer must not hold the connection's unbound slot forever when the peer stops reading.
 * The peer is simulated by an outbound handler that takes every write and never completes it, as a socket
 * whose send buffer is full does.
 */
class PduGuardRefusalTest {

    private static final long BIND_TIMEOUT_MS = 1_000;

    /** Swallows writes without completing them: the bytes never leave. */
    private static final class PeerNotReading extends ChannelOutboundHandlerAdapter {
        int writes;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            writes++;
            ReferenceCountUtil.release(msg);
        }
    }

    @Test
    void aRefusedBindWhoseAnswerIsNeverTakenStillClosesAndFreesItsSlot() throws Exception {
        UnboundConnections unbound = new UnboundConnections(10, 10);
        UnboundConnections.Ticket ticket = (UnboundConnections.Ticket) unbound.admit(InetAddress.getLoopbackAddress());
        BindGate gate = new BindGate(new CarrierAuthenticator(List.of(GatewayServerTestBase.ACME)),
                new FailureThrottle(FailureThrottle.Policy.of(10, Duration.ofMinutes(1), Duration.ofMinutes(5)),
                        Clock.systemUTC()),
                "dlrgate", GatewayMetrics.NOOP);
        PeerNotReading peer = new PeerNotReading();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.closeFuture().addListener(f -> ticket.release());
        channel.pipeline().addLast(peer, new PduGuard(new DefaultPduTranscoder(new DefaultPduTranscoderContext()),
                gate, attempt -> { }, ticket, BIND_TIMEOUT_MS));
        assertEquals(1, unbound.open());

        BindTransceiver wrongPassword = new BindTransceiver();
        wrongPassword.setSystemId("acme");
        wrongPassword.setPassword("not-it");
        wrongPassword.setSequenceNumber(1);
        channel.writeInbound(wrongPassword);
        channel.runPendingTasks();
        assertTrue(channel.isActive(), "still open while the answer may yet go out");

        channel.advanceTimeBy(Duration.ofMinutes(6).toMillis() + BIND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertEquals(1, peer.writes, "the refusal was written (and is stuck, as the peer reads nothing)");
        assertFalse(channel.isActive(), "closed once the answer had its delay plus a bind timeout");
        assertEquals(0, unbound.open(), "the unbound slot is free again");
        channel.finishAndReleaseAll();
    }
}
