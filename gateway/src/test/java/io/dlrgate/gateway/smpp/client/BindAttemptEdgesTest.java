package io.dlrgate.gateway.smpp.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.LogCapture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bind attempts at their edges, against a bare TCP listener that is no SMSC: one that takes the connection and
 * never answers (the attempt waits in its bind when the gateway stops), and one that resets every connection at
 * once (the channel is closed before the TLS handshake is even looked at).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BindAttemptEdgesTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    GatewayHarness gw;
    BareListener listener;

    @AfterEach
    void stop() throws IOException {
        if (gw != null) {
            gw.close();
        }
        if (listener != null) {
            listener.close();
        }
    }

    @Test
    void stopReturnsOnlyOnceTheAttemptThreadsHaveEnded() throws Exception {
        listener = new BareListener(false);
        gw = GatewayHarness.start(SmppClientTest.carrier(listener.port(), "secret"));
        // The attempt is now waiting for a bind_resp that never comes (10 s).
        await().atMost(WAIT).until(() -> listener.accepted.get() >= 1);
        gw.gateway().smppClient().stop();
        List<String> alive = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(Thread::getName).filter(n -> n.startsWith("dlrgate-smpp-connect")).toList();
        assertEquals(List.of(), alive, "attempt threads still running after stop()");
    }

    @Test
    void aConnectionResetBeforeTheHandshakeIsATlsFailureNotAnInternalError() throws Exception {
        listener = new BareListener(true);
        LogCapture.Lines lines = LogCapture.during(null, () -> {
            gw = GatewayHarness.start(SmppClientTest.carrier(listener.port(), "secret", "tls: true",
                    "reconnect: {min: 100ms, max: 100ms}"));
            await().atMost(WAIT).until(() -> gw.gateway().smppClient().attemptsTo("smsc-uk") >= 30);
            gw.gateway().smppClient().stop();
        });
        // Each attempt fails as a reset connection or a failed handshake; none with a NullPointerException
        // (whose Java 17 message names the null handler), which the closed channel's empty pipeline gave.
        List<String> failures = lines.messages().stream().filter(m -> m.contains("bind to 127.0.0.1")).toList();
        assertFalse(failures.isEmpty(), lines.messages().toString());
        assertTrue(failures.stream().noneMatch(m -> m.contains("SslHandler") || m.contains("NullPointer")),
                failures.toString());
    }

    /** Accepts connections on loopback; either holds them silently or resets each at once. */
    static final class BareListener implements AutoCloseable {
        final AtomicInteger accepted = new AtomicInteger();
        private final ServerSocket server;
        private final List<Socket> held = new CopyOnWriteArrayList<>();

        BareListener(boolean reset) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        accepted.incrementAndGet();
                        if (reset) {
                            s.setSoLinger(true, 0);
                            s.close();
                        } else {
                            held.add(s);
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "bare-listener");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
