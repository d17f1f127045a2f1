package io.dlrgate.gateway.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.pdu.BindTransceiver;
import com.cloudhopper.smpp.pdu.BindTransceiverResp;
import com.cloudhopper.smpp.pdu.Pdu;
import io.dlrgate.config.BindType;
import io.dlrgate.config.CarrierConfig;
import io.dlrgate.config.ConnectConfig;
import io.dlrgate.gateway.metrics.GatewayMetrics;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An SMSC that closes the connection right after its bind_resp: the close may be handled before the thread that
 * bound gets to enter the session in the registry. Here that order is forced (the close is handled whole, then the
 * session is activated) over a real loopback connection: nothing of the session may stay in the registry.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OutboundSessionCloseRaceTest {

    @Test
    void aSessionClosedBeforeItIsActivatedLeavesNothingInTheRegistry() throws Exception {
        CarrierSessions registry = new CarrierSessions();
        RecordingListener listener = new RecordingListener();
        registry.addListener(listener);
        OutboundSessions sessions = new OutboundSessions(registry, listener, listener, GatewayMetrics.NOOP,
                Duration.ofSeconds(5));
        NioEventLoopGroup group = new NioEventLoopGroup(1);
        ScheduledExecutorService monitor = Executors.newSingleThreadScheduledExecutor();
        try (ServerSocket listen = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CarrierConfig carrier = GatewayServerTestBase.carrier("smsc-uk", "acme-in", "pw", EnumSet.of(BindType.TRANSCEIVER),
                    1, List.of()).withConnect(new ConnectConfig("127.0.0.1", listen.getLocalPort(), null, "acme",
                    "secret", null, ConnectConfig.Bind.TRANSCEIVER, 1, null, Duration.ofSeconds(1),
                    Duration.ofSeconds(60), Duration.ZERO));
            AtomicReference<OutboundSessions.Outbound> opened = new AtomicReference<>();
            Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            opened.set(sessions.open(carrier, SmppBindType.TRANSCEIVER, ch, monitor, () -> false));
                        }
                    })
                    .connect(listen.getLocalSocketAddress()).sync().channel();
            OutboundSessions.Outbound out = opened.get();

            CompletableFuture<Void> bound = CompletableFuture.runAsync(() -> {
                try {
                    out.bind(5_000);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (RawSmppSocket smsc = new RawSmppSocket(listen.accept())) {
                Pdu bind = smsc.read();
                assertInstanceOf(BindTransceiver.class, bind);
                BindTransceiverResp resp = ((BindTransceiver) bind).createResponse();
                resp.setSystemId("rawsmsc");
                smsc.send(resp);
                bound.get(10, TimeUnit.SECONDS);
            } // closed right after the bind_resp
            // Listeners run in the order they were added: once this one has run, so has the session's own.
            CountDownLatch closeHandled = new CountDownLatch(1);
            channel.closeFuture().addListener(f -> closeHandled.countDown());
            assertTrue(closeHandled.await(10, TimeUnit.SECONDS), "the SMSC's close reached the gateway");

            assertFalse(out.activate(), "a closed session is not reported bound");
            assertEquals(0, registry.slotCount(), "no slot left behind");
            assertTrue(registry.sessions("smsc-uk").isEmpty());
            assertTrue(listener.bound.isEmpty() && listener.closed.isEmpty(), "neither bound nor closed reported");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            monitor.shutdownNow();
        }
    }
}
