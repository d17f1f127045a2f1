package io.dlrgate.simulator.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A TLS terminator in front of a plain SMPP listener (the simulated SMSC): accepts TLS on a free loopback port,
 * presenting the given certificate, and relays the bytes to {@code 127.0.0.1:backendPort} once the handshake
 * succeeded. The simulator itself speaks no TLS (it stays free of certificates and of the gateway's TLS code); a
 * real carrier's SMSC behind stunnel or a load balancer looks the same to the ESME.
 *
 * <p>Test code: two threads per connection, closed with the front.
 */
public final class TlsFront implements AutoCloseable {
    private final SSLServerSocket server;
    private final int backendPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger handshakesFailed = new AtomicInteger();
    private volatile boolean closed;

    /** Listens at once; {@code chain} starts with the certificate of {@code key}. */
    public TlsFront(int backendPort, PrivateKey key, X509Certificate... chain) throws Exception {
        this.backendPort = backendPort;
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = "front".toCharArray();
        store.setKeyEntry("smsc", key, password, chain.clone());
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        server = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "tls-front-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted (each a handshake attempt of the ESME). */
    public int accepted() {
        return accepted.get();
    }

    /** Handshakes that failed (the ESME refused the certificate, say). */
    public int handshakesFailed() {
        return handshakesFailed.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SSLSocket client = (SSLSocket) server.accept();
                accepted.incrementAndGet();
                open.add(client);
                Thread t = new Thread(() -> connect(client), "tls-front-handshake");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException("TLS front stopped accepting", e);
                }
            }
        }
    }

    private void connect(SSLSocket client) {
        try {
            client.startHandshake();
        } catch (IOException e) {
            handshakesFailed.incrementAndGet();
            closeQuietly(client);
            return;
        }
        try {
            // the SMSC sees a connection only once TLS is up, as behind any terminator
            Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort);
            open.add(backend);
            pump(client, backend, "tls-front-up");
            pump(backend, client, "tls-front-down");
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    private void pump(Socket from, Socket to, String name) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed: close both below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        open.forEach(TlsFront::closeQuietly);
    }

    private static void closeQuietly(ServerSocket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
