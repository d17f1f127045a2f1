package io.dlrgate.gateway.smpp.client;

import com.cloudhopper.smpp.SmppBindType;
import io.dlrgate.config.CarrierConfig;
import io.dlrgate.config.ConnectConfig;
import io.dlrgate.gateway.logging.LogRateLimit;
import io.dlrgate.gateway.smpp.EnquireLinkKeeper;
import io.dlrgate.gateway.smpp.OutboundSessions;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps ONE outbound bind up (one transceiver, or the transmitter or the receiver of a pair): connects, binds, and
 * when that fails or the session ends, tries again after a {@link Backoff} wait. Attempts run on the client's
 * attempt threads, where blocking (DNS, connect, TLS handshake, bind) is allowed; never on an event loop.
 *
 * <p>One line per failed attempt and per session end (rate-limited per carrier), naming the carrier, the bind,
 * the SMSC and what went wrong; one count on {@code dlrgate_smpp_connect_failures_total{carrier,reason}}.
 */
final class BindKeeper {

    private static final Logger log = LoggerFactory.getLogger(BindKeeper.class);

    /** How long the TCP connection, the TLS handshake and the bind_resp may each take. */
    static final long CONNECT_TIMEOUT_MS = 10_000;
    static final long BIND_TIMEOUT_MS = 10_000;

    private final SmppClient client;
    private final CarrierConfig carrier;
    private final ConnectConfig connect;
    private final SmppBindType type;
    private final ClientTls tls;
    private final Backoff backoff;
    private final LogRateLimit lines;
    private final String name;

    // Guarded by this.
    private boolean stopped;
    private ScheduledFuture<?> next;
    private OutboundSessions.Outbound current;
    private long boundAtNanos;
    private int failuresInARow;

    BindKeeper(SmppClient client, CarrierConfig carrier, SmppBindType type, ClientTls tls, Backoff backoff,
               LogRateLimit lines) {
        this.client = client;
        this.carrier = carrier;
        this.connect = carrier.connect();
        this.type = type;
        this.tls = tls;
        this.backoff = backoff;
        this.lines = lines;
        this.name = type.name().toLowerCase(Locale.ROOT);
    }

    /** The first attempt, at once (on an attempt thread: the caller does not wait for it). */
    void start() {
        schedule(0);
    }

    private synchronized void schedule(long delayMs) {
        if (stopped) {
            return;
        }
        try {
            next = client.attempts().schedule(this::attempt, delayMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the client is stopping
        }
    }

    private void attempt() {
        synchronized (this) {
            if (stopped) {
                return;
            }
        }
        client.attemptStarted(carrier.id());
        Channel channel = null;
        long timeout = CONNECT_TIMEOUT_MS;
        try {
            AtomicReference<OutboundSessions.Outbound> opened = new AtomicReference<>();
            AtomicReference<SslHandler> handler = new AtomicReference<>();
            channel = connect(opened, handler);
            if (tls != null) {
                // The handler as made, not looked up in the pipeline: a channel the SMSC closed at once has an
                // empty pipeline by now, and its failed handshake is what tells why.
                SslHandler ssl = handler.get();
                if (!ssl.handshakeFuture().await(CONNECT_TIMEOUT_MS)) {
                    throw new javax.net.ssl.SSLException("no TLS handshake within " + CONNECT_TIMEOUT_MS + " ms");
                }
                if (!ssl.handshakeFuture().isSuccess()) {
                    failed(ConnectFailure.tls(ssl.handshakeFuture().cause()), channel);
                    return;
                }
            }
            OutboundSessions.Outbound out = opened.get();
            timeout = BIND_TIMEOUT_MS;
            out.bind(BIND_TIMEOUT_MS);
            synchronized (this) {
                if (stopped) {
                    out.close("gateway stopping");
                    return;
                }
                current = out;
                boundAtNanos = System.nanoTime();
                failuresInARow = 0;
                backoff.bound();
            }
            channel.closeFuture().addListener(f -> ended(out));
            if (out.activate()) {
                lines.info(log, "bound out: carrier={} type={} to {}:{}{} session={}", carrier.id(), name,
                        connect.host(), connect.port(), tls == null ? "" : " (TLS)", out.session().id());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(channel);
        } catch (Exception e) {
            failed(ConnectFailure.of(e, timeout), channel);
        }
    }

    /** Connects (the name resolved here, off the event loop) and returns the channel, its session installed. */
    private Channel connect(AtomicReference<OutboundSessions.Outbound> opened, AtomicReference<SslHandler> handler)
            throws Exception {
        InetAddress address = InetAddress.getByName(connect.host()); // UnknownHostException: one clear line
        Bootstrap b = new Bootstrap().group(client.group()).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT_MS)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null) { // first: everything else speaks through it
                            handler.set(tls.newHandler(ch.alloc(), connect.host(), connect.port()));
                            ch.pipeline().addFirst("dlrgateTls", handler.get());
                        }
                        // Installed before the connection is even made: nothing the SMSC sends can be missed.
                        opened.set(client.sessions().open(carrier, type, ch, client.windowMonitor(),
                                client::onEventLoop));
                    }
                });
        ChannelFuture f = b.connect(new InetSocketAddress(address, connect.port()));
        if (!f.await(CONNECT_TIMEOUT_MS + 1_000)) {
            f.channel().close();
            throw new io.netty.channel.ConnectTimeoutException("connect timed out");
        }
        if (!f.isSuccess()) {
            Throwable cause = f.cause();
            throw cause instanceof Exception ex ? ex : new java.io.IOException(String.valueOf(cause));
        }
        return f.channel();
    }

    private void failed(ConnectFailure failure, Channel channel) {
        closeQuietly(channel);
        client.metrics().connectFailure(carrier.id(), failure.reason());
        long delay;
        int inARow;
        synchronized (this) {
            if (stopped) {
                return;
            }
            delay = failure.bindRejected() ? backoff.slowestMillis() : backoff.nextMillis();
            inARow = ++failuresInARow;
        }
        lines.warn(log, "carrier {}: {} bind to {}:{}{} failed: {}; next attempt in {} ms{}", carrier.id(), name,
                connect.host(), connect.port(), tls == null ? "" : " (TLS)", failure.text(), delay,
                inARow > 1 ? " (" + inARow + " failures in a row)" : "");
        schedule(delay);
    }

    /** The bound session closed, whatever closed it: try again after a wait, unless the gateway is stopping. */
    private void ended(OutboundSessions.Outbound out) {
        long delay;
        long upMs;
        synchronized (this) {
            if (current == out) {
                current = null;
            }
            if (stopped) {
                return;
            }
            upMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - boundAtNanos);
            delay = backoff.afterSessionMillis(upMs);
        }
        String reason = out.endReason();
        if (reason.startsWith(EnquireLinkKeeper.END_REASON)) {
            client.metrics().connectFailure(carrier.id(), ConnectFailure.ENQUIRE_LINK);
        }
        lines.warn(log, "carrier {}: {} session {} to {}:{} ended after {} ms ({}); binding again in {} ms",
                carrier.id(), name, out.session().id(), connect.host(), connect.port(), upMs, reason, delay);
        schedule(delay);
    }

    /**
     * Stops trying. Returns the bound session, if any, for the caller to unbind (all sessions in parallel); an
     * attempt in progress notices and closes what it opened.
     */
    synchronized OutboundSessions.Outbound stop() {
        stopped = true;
        if (next != null) {
            next.cancel(false);
        }
        return current;
    }

    private static void closeQuietly(Channel channel) {
        if (channel != null) {
            channel.close();
        }
    }
}
