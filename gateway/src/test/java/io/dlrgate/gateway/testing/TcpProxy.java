package io.dlrgate.gateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback-only TCP proxy to put between a gateway and its PostgreSQL, so a test can cut the database away
 * and bring it back while the gateway runs.
 *
 * <p>{@link #cut()} closes every proxied connection (both ends, at once) and stops listening, so new connections
 * are refused by the kernel (ECONNREFUSED) as if the server were down; {@link #restore()} listens again on the
 * same port. {@link #stall()} instead keeps accepting but forwards nothing on the new connections until
 * {@link #release()}: a database that takes its time to answer a login. Plain blocking java.net: two pump threads per connection, fine for a connection pool's handful.
 */
public final class TcpProxy implements AutoCloseable {

    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong cutConnections = new AtomicLong();
    private volatile ServerSocket server;
    private volatile boolean closed;
    /** Guarded by this: while stalled, accepted connections wait here (client, upstream) instead of being pumped. */
    private boolean stalled;
    private final List<Socket[]> held = new ArrayList<>();

    private TcpProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = listen(0);
        this.port = server.getLocalPort();
        startAcceptor(server);
    }

    /** A proxy on 127.0.0.1 (a free port) forwarding to {@code host:port}, which must be a loopback address. */
    public static TcpProxy to(String host, int port) throws IOException {
        InetAddress address = InetAddress.getByName(host);
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("tests only ever target loopback, not " + host);
        }
        return new TcpProxy(new InetSocketAddress(address, port));
    }

    /** A proxy in front of the server of a {@code jdbc:postgresql://host:port/...} URL; see {@link #jdbcUrl}. */
    public static TcpProxy inFrontOf(String jdbcUrl) throws IOException {
        Matcher hostPort = JDBC_HOST_PORT.matcher(jdbcUrl);
        if (!hostPort.find()) {
            throw new IllegalArgumentException("not a jdbc:postgresql://host:port/ URL: " + jdbcUrl);
        }
        return to(hostPort.group(1), Integer.parseInt(hostPort.group(2)));
    }

    /** {@code jdbcUrl} with its host and port replaced by this proxy's. */
    public String jdbcUrl(String jdbcUrl) {
        return JDBC_HOST_PORT.matcher(jdbcUrl).replaceFirst("jdbc:postgresql://127.0.0.1:" + port + "/");
    }

    private static final Pattern JDBC_HOST_PORT = Pattern.compile("^jdbc:postgresql://([^/:]+):(\\d+)/");

    public int port() {
        return port;
    }

    /** Connections accepted and forwarded since start. */
    public long acceptedConnections() {
        return accepted.get();
    }

    /** Connections closed by {@link #cut()} so far. */
    public long cutConnections() {
        return cutConnections.get();
    }

    public boolean isCut() {
        return server == null;
    }

    /** Closes all proxied connections and stops listening: new connections are refused until {@link #restore()}. */
    public synchronized int cut() {
        ServerSocket s = server;
        server = null;
        stalled = false;
        closeQuietly(s);
        return dropConnections();
    }

    private synchronized int dropConnections() {
        int n = 0;
        for (Socket socket : open) {
            closeQuietly(socket);
            n++;
        }
        open.clear();
        held.clear();
        cutConnections.addAndGet(n / 2);
        return n / 2;
    }

    /** Connections proxied now (forwarded or held), not yet closed by either end. */
    public int openConnections() {
        return open.size() / 2;
    }

    /** Connections accepted while stalled and not released yet. */
    public synchronized int heldConnections() {
        return held.size();
    }

    /**
     * Closes all proxied connections, as {@link #cut()} does, but keeps listening: new connections are connected to
     * the target and then forwarded nothing, either way, until {@link #release()}.
     */
    public synchronized int stall() {
        if (server == null) {
            throw new IllegalStateException("cut: restore() before stall()");
        }
        stalled = true;
        return dropConnections();
    }

    /** Forwards the connections held since {@link #stall()}, and the new ones from now on. */
    public synchronized void release() {
        stalled = false;
        for (Socket[] pair : held) {
            pump(pair[0], pair[1], "up");
            pump(pair[1], pair[0], "down");
        }
        held.clear();
    }

    /** Listens again on the same port. */
    public synchronized void restore() throws IOException {
        if (server != null || closed) {
            return;
        }
        IOException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                server = listen(port);
                startAcceptor(server);
                return;
            } catch (BindException e) {
                last = e;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while re-listening on " + port, ie);
                }
            }
        }
        throw new IOException("could not listen on 127.0.0.1:" + port + " again", last);
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        return s;
    }

    private void startAcceptor(ServerSocket s) {
        Thread t = new Thread(() -> acceptLoop(s), "tcp-proxy-accept-" + port);
        t.setDaemon(true);
        t.start();
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            Socket client;
            try {
                client = s.accept();
            } catch (IOException e) {
                return; // closed by cut() or close()
            }
            Socket upstream = new Socket();
            try {
                upstream.setTcpNoDelay(true);
                client.setTcpNoDelay(true);
                upstream.connect(target, 2_000);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            synchronized (this) {
                if (server != s) { // cut while we connected
                    closeQuietly(client);
                    closeQuietly(upstream);
                    continue;
                }
                open.add(client);
                open.add(upstream);
                accepted.incrementAndGet();
                if (stalled) {
                    held.add(new Socket[] {client, upstream});
                    continue;
                }
            }
            pump(client, upstream, "up");
            pump(upstream, client, "down");
        }
    }

    private void pump(Socket from, Socket to, String direction) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (SocketException e) {
                // cut, or the peer went away
            } catch (IOException e) {
                // same
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-proxy-" + direction + "-" + port);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        cut();
    }
}
