package io.dlrgate.gateway.smpp;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.SmppServerConfiguration;
import com.cloudhopper.smpp.channel.SmppChannelConstants;
import com.cloudhopper.smpp.channel.SmppServerConnector;
import com.cloudhopper.smpp.impl.DefaultSmppServer;
import com.cloudhopper.smpp.transcoder.DefaultPduTranscoder;
import com.cloudhopper.smpp.transcoder.DefaultPduTranscoderContext;
import com.cloudhopper.smpp.transcoder.PduTranscoder;
import com.cloudhopper.smpp.type.SmppChannelException;
import io.dlrgate.config.CarrierConfig;
import io.dlrgate.config.FailureLimits;
import io.dlrgate.config.IpAllowList;
import io.dlrgate.config.SmppServerConfig;
import io.dlrgate.gateway.logging.LogRateLimit;
import io.dlrgate.gateway.metrics.GatewayMetrics;
import io.dlrgate.gateway.security.FailureThrottle;
import io.dlrgate.gateway.tls.NettyServerTls;
import io.dlrgate.gateway.tls.Reloadable;
import io.dlrgate.gateway.tls.ReloadingCertificate;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The SMPP listener carriers bind to: ch-smpp's DefaultSmppServer, plus the guards and policy it lacks.
 *
 * <p>Each accepted connection gets, around ch-smpp's own pipeline, a {@link FrameGuard} (framing, bad lengths)
 * before its decoder and, after it, a {@link DecodeErrorGuard} (decode errors, alert_notification) and a
 * {@link PduGuard} (pre-bind policy). They are installed from
 * the worker group's register hook because ch-smpp builds its pipeline privately, in its connector's
 * channelActive. Binds are checked by {@link BindHandler}; bound sessions follow {@link BoundSessionHandler}.
 *
 * <p>With {@code smpp.tls}, a second listener on its own port accepts TLS connections into the very same server:
 * ch-smpp's connector, the same guards, carriers, sessions and limits (the unbound budget and max_connections
 * count both listeners together). Its connections get Netty's {@code SslHandler} at the head of the pipeline, so
 * every other handler sees plain SMPP, and a {@link TlsHandshakeGuard} for the handshake.
 *
 * <p>Threads owned: one acceptor, the Netty workers (event loops: never block there), one window monitor
 * (expires unanswered submits), and two "blocking" threads that write bind responses.
 *
 * <p>One-shot: {@link #start()} once, {@link #stop()} once (idempotent); a stopped server cannot restart.
 */
public final class SmppGatewayServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SmppGatewayServer.class);

    private final SmppServerConfig config;
    private final CarrierSessions sessions;
    private final NioEventLoopGroup bossGroup;
    private final NioEventLoopGroup workerGroup;
    private final ScheduledExecutorService windowMonitor;
    private final ExecutorService blockingExecutor;
    private final BindHandler bindHandler;
    private final BindGate bindGate;
    private final DefaultSmppServer server;
    private final UnboundConnections unbound;
    /** Where a carrier may bind from, any carrier: a connection from elsewhere can never bind. */
    private final IpAllowList acceptFrom;
    /** Strangers (scanners) may knock all day: their refusals are logged within limits, one limit per kind. */
    private static final LogRateLimit STRANGER_LINES = new LogRateLimit();
    private static final LogRateLimit UNBOUND_LIMIT_LINES = new LogRateLimit();
    private static final LogRateLimit UNBOUND_PER_ADDRESS_LINES = new LogRateLimit();
    private final GatewayMetrics metrics;
    private volatile Channel listenChannel;
    /** The TLS listener, or null without smpp.tls. */
    private final NettyServerTls tls;
    private volatile Channel tlsListenChannel;
    /** Marks the connections accepted by the TLS listener, before their pipeline is built. */
    private static final AttributeKey<Boolean> OVER_TLS = AttributeKey.valueOf("dlrgate.smppOverTls");
    private static final String TLS_HANDLER = "dlrgateTls";
    private static final String TLS_HANDSHAKE_GUARD = "dlrgateTlsHandshake";
    private volatile boolean started;
    private volatile boolean stopped;

    /**
     * A server with a registry of its own and one listener for all traffic (tests and tools).
     *
     * @param config   where to listen, the system_id to answer with, timeouts
     * @param carriers who may bind (system_id unique; checked again here)
     * @param listener takes receipts and follows submits; also registered for binds and closes on {@link #sessions()}
     */
    public SmppGatewayServer(SmppServerConfig config, List<CarrierConfig> carriers, CarrierTrafficListener listener) {
        this(config, carriers, listener, GatewayMetrics.NOOP);
    }

    /** @param metrics told about every PDU on carrier connections and every bind answered */
    public SmppGatewayServer(SmppServerConfig config, List<CarrierConfig> carriers, CarrierTrafficListener listener,
                             GatewayMetrics metrics) {
        this(config, carriers, listener, metrics, Clock.systemUTC());
    }

    /** @param clock the time failed binds are counted in (smpp.bind_failures) */
    public SmppGatewayServer(SmppServerConfig config, List<CarrierConfig> carriers, CarrierTrafficListener listener,
                             GatewayMetrics metrics, Clock clock) {
        this(config, carriers, new CarrierSessions(), listener, listener, metrics, clock);
    }

    /**
     * @param sessions the registry binds are entered in, built by the caller so that the dispatcher can share it
     * @param receipts takes the receipts carriers send
     * @param submits  follows the gateway's submits; also registered for binds and closes on {@code sessions}
     * @param metrics  told about every PDU on carrier connections and every bind answered
     * @param clock    the time failed binds are counted in (smpp.bind_failures)
     */
    public SmppGatewayServer(SmppServerConfig config, List<CarrierConfig> carriers, CarrierSessions sessions,
                             ReceiptListener receipts, SubmitListener submits, GatewayMetrics metrics, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.acceptFrom = acceptFrom(carriers);
        this.unbound = new UnboundConnections(config.maxUnboundConnections(), config.maxUnboundPerAddress());
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(receipts, "receipts");
        Objects.requireNonNull(submits, "submits");
        // Before any thread is started: an unusable certificate fails here, naming the file, and leaks nothing.
        this.tls = config.tls() == null ? null
                : new NettyServerTls(ReloadingCertificate.load("smpp.tls", config.tls().files()), config.tls());
        FailureLimits limits = config.bindFailures();
        this.bindGate = new BindGate(new CarrierAuthenticator(carriers), new FailureThrottle(
                FailureThrottle.Policy.of(limits.limit(), limits.window(), limits.lockout()), clock),
                config.systemId(), metrics);
        sessions.addListener(submits);

        PduTranscoder transcoder = new DefaultPduTranscoder(new DefaultPduTranscoderContext());
        // Every session's send window schedules its own expiry check here. Cancelled checks (a closed session's,
        // see BindHandler.sessionDestroyed) are removed at once, so reconnecting carriers leave nothing behind.
        ScheduledThreadPoolExecutor monitor = new ScheduledThreadPoolExecutor(1,
                new DefaultThreadFactory("dlrgate-smpp-window", true));
        monitor.setRemoveOnCancelPolicy(true);
        this.windowMonitor = monitor;
        this.blockingExecutor = Executors.newFixedThreadPool(2, new DefaultThreadFactory("dlrgate-smpp-bind", true));

        ChannelHandler installer = new GuardInstaller(transcoder);
        this.bossGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("dlrgate-smpp-accept", true)) {
            @Override
            public ChannelFuture register(Channel channel) {
                // The only way to learn the port ch-smpp bound when port is 0. Its listener registers first; the
                // TLS listener's channel comes from its own bind.
                if (listenChannel == null) {
                    listenChannel = channel;
                }
                return super.register(channel);
            }
        };
        this.workerGroup = new NioEventLoopGroup(0, new DefaultThreadFactory("dlrgate-smpp-io", true)) {
            @Override
            public ChannelFuture register(Channel channel) {
                channel.pipeline().addFirst("dlrgateGuardInstaller", installer);
                return super.register(channel);
            }
        };

        BindHandler bindHandler = new BindHandler(config, sessions, receipts, submits, transcoder,
                blockingExecutor, windowMonitor, this::onEventLoop, metrics);
        this.bindHandler = bindHandler;
        this.server = new DefaultSmppServer(serverConfiguration(config), bindHandler, windowMonitor, bossGroup, workerGroup);
    }

    private static SmppServerConfiguration serverConfiguration(SmppServerConfig config) {
        SmppServerConfiguration c = new SmppServerConfiguration();
        c.setName("dlrgate-smpp");
        c.setHost(config.host());
        c.setPort(config.port());
        c.setSystemId(config.systemId());
        // Only ever logged by ch-smpp, never enforced: the most connections that can be open (sessions plus
        // unbound), so that it never logs.
        c.setMaxConnectionSize(config.maxOpenConnections());
        // A backstop only: PduGuard closes a connection that has not bound at bind_timeout, and logs it within
        // limits; ch-smpp's timer logs once per connection. It must also outlast a refused bind's delayed answer.
        c.setBindTimeout(config.bindTimeout().plus(CH_SMPP_BIND_TIMER_MARGIN).toMillis());
        c.setNonBlockingSocketsEnabled(true);
        c.setReuseAddress(true);
        c.setJmxEnabled(false);
        c.setAutoNegotiateInterfaceVersion(true);
        c.setInterfaceVersion(SmppConstants.VERSION_3_4);
        c.setDefaultRequestExpiryTimeout(config.requestExpiry().toMillis());
        c.setDefaultWindowMonitorInterval(windowMonitorInterval(config));
        c.setDefaultSessionCountersEnabled(false);
        return c;
    }

    /**
     * The union of the carriers' {@code allowed_ips}, or any address as soon as one carrier may bind from anywhere.
     * Connections from outside it are closed at once, before they take a place in the unbound budget.
     */
    static IpAllowList acceptFrom(List<CarrierConfig> carriers) {
        List<String> ranges = new ArrayList<>();
        for (CarrierConfig c : carriers) {
            if (!c.acceptsBinds()) {
                continue; // only binds out: its allowed_ips admit nothing here
            }
            if (c.allowedIps().isEmpty()) {
                return IpAllowList.allowAll();
            }
            ranges.addAll(c.allowedIps());
        }
        return IpAllowList.parse(ranges); // empty (no carriers): allows any
    }

    /**
     * How long after bind_timeout ch-smpp's own bind timer closes a connection PduGuard should have closed: longer
     * than the longest delay of a refused bind's answer, which a connection may wait for after bind_timeout.
     */
    static final Duration CH_SMPP_BIND_TIMER_MARGIN = FailureThrottle.Policy.DEFAULT_MAX_DELAY.plusSeconds(5);

    /** Send-window checks scheduled now: one per open session (for tests: closed sessions must leave none). */
    int scheduledWindowChecks() {
        return ((ScheduledThreadPoolExecutor) windowMonitor).getQueue().size();
    }

    /** How often unanswered submits are checked for expiry: often enough to be within ~half the expiry. */
    static long windowMonitorInterval(SmppServerConfig config) {
        return Math.max(50, Math.min(1_000, config.requestExpiry().toMillis() / 2));
    }

    /** Starts listening. Throws when the address cannot be bound. */
    public synchronized void start() throws IOException {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        try {
            server.start();
        } catch (SmppChannelException e) {
            stop();
            throw new IOException("cannot listen for SMPP on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage(), e);
        }
        log.info("SMPP server listening on {}:{} as system_id {}", config.host(), port(), config.systemId());
        if (tls != null) {
            startTlsListener();
        }
    }

    /**
     * Binds the TLS port with ch-smpp's own connector for this server, so that its connections join the same
     * channel group (closed by {@link #stop()}), counters and bind handling as the plain listener's.
     */
    private void startTlsListener() throws IOException {
        SmppServerConnector connector = new SmppServerConnector(server.getChannels(), server);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childAttr(OVER_TLS, Boolean.TRUE)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("smppServerConnector", connector);
                    }
                });
        int port = config.tls().port();
        ChannelFuture bound = bootstrap.bind(new InetSocketAddress(config.host(), port)).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            stop();
            throw new TlsListenerException("cannot listen for SMPP over TLS on " + config.host() + ":" + port + ": "
                    + bound.cause(), bound.cause());
        }
        tlsListenChannel = bound.channel();
        log.info("SMPP server listening for TLS on {}:{} ({})", config.host(), tlsPort(),
                tls.certificate().current().describe());
    }

    /** The TLS listener could not bind its port (the plain one had): a start failure of its own, for its own key. */
    public static final class TlsListenerException extends IOException {
        TlsListenerException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The TLS listener's port (the real one when configured as 0); -1 without smpp.tls or before start. */
    public int tlsPort() {
        return portOf(tlsListenChannel);
    }

    /** The TLS listener's certificate, to reload; null without smpp.tls. */
    public ReloadingCertificate tlsCertificate() {
        return tls == null ? null : tls.certificate();
    }

    /** The TLS listener's files to reload (its certificate, and client_ca with client certificates); none without. */
    public List<Reloadable> tlsFiles() {
        return tls == null ? List.of() : tls.files();
    }

    /** The TCP port actually listened on (the real one when the configured port is 0); -1 before start. */
    public int port() {
        return portOf(listenChannel);
    }

    private static int portOf(Channel listener) {
        if (listener == null || !(listener.localAddress() instanceof InetSocketAddress address)) {
            return -1;
        }
        return address.getPort();
    }

    /** True while the listening sockets are open, plain and TLS (for the readiness check). */
    public boolean listening() {
        Channel ch = listenChannel;
        Channel tlsCh = tlsListenChannel;
        return ch != null && ch.isActive() && (tls == null || (tlsCh != null && tlsCh.isActive()));
    }

    /** Who is bound; add listeners here for binds and closes. */
    public CarrierSessions sessions() {
        return sessions;
    }

    /**
     * Unbinds every bound carrier (waiting at most {@link #UNBIND_ON_STOP_MS} for their answers), closes every
     * connection (sessionClosed fires for each bound session before this returns), stops listening and
     * releases all threads. Idempotent. Do not call on an event loop.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        Channel tlsCh = tlsListenChannel;
        if (tlsCh != null) {
            tlsCh.close().awaitUninterruptibly(); // ch-smpp closes its own listener; this one is ours
        }
        unbindAll();
        server.stop(); // closes all remaining channels and waits: sessionDestroyed runs for each session
        // ch-smpp's destroy() shuts the groups down with Netty's default 2 s quiet period; nothing is left to
        // wait for once the channels are closed, so end them promptly first.
        bossGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS);
        workerGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS);
        server.destroy();
        blockingExecutor.shutdownNow();
        windowMonitor.shutdownNow();
        log.info("SMPP server stopped");
    }

    @Override
    public void close() {
        stop();
    }

    /** How long stop() waits, in all, for carriers to answer the unbind it sends them. */
    static final long UNBIND_ON_STOP_MS = 2_000;

    /**
     * Sends every bound carrier an unbind, in parallel on the blocking threads, and waits a bounded time.
     * Carriers then reconnect promptly (to another gateway instance, say) instead of waiting for a TCP timeout.
     */
    private void unbindAll() {
        List<CompletableFuture<Void>> unbinds = new ArrayList<>();
        for (CarrierSession s : sessions.all()) {
            // Draining (the gateway's stop quiesced it first): bound still, and owed an unbind.
            if (s instanceof SmppCarrierSession session && session.boundEvenIfDraining()) {
                try {
                    unbinds.add(CompletableFuture.runAsync(
                            () -> session.unbindAndClose("gateway stopping", UNBIND_ON_STOP_MS), blockingExecutor));
                } catch (RejectedExecutionException e) {
                    break;
                }
            } else if (s instanceof SmppCarrierSession session && session.isUnbinding() && !session.isClosed()) {
                // The carrier's own unbind waits for the answers to its receipts: the same time to finish.
                CompletableFuture<Void> closed = new CompletableFuture<>();
                session.channel().closeFuture().addListener(f -> closed.complete(null));
                unbinds.add(closed);
            }
        }
        if (unbinds.isEmpty()) {
            return;
        }
        try {
            CompletableFuture.allOf(unbinds.toArray(CompletableFuture[]::new))
                    .get(UNBIND_ON_STOP_MS + 500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("not every carrier answered the unbind in time; closing the rest: {}", e.toString());
        }
    }

    private boolean onEventLoop() {
        for (EventExecutor e : workerGroup) {
            if (e.inEventLoop()) {
                return true;
            }
        }
        return bossGroup.next().inEventLoop();
    }

    /**
     * Added first to each accepted channel. Lets ch-smpp's connector build its pipeline (in channelActive),
     * then slots the guards in around ch-smpp's decoder and removes itself. Also enforces the unbound budget
     * ({@link UnboundConnections}); max_connections, which ch-smpp only logs, counts sessions and is enforced at
     * bind ({@link CarrierSessions#tryReserve}).
     */
    @ChannelHandler.Sharable
    private final class GuardInstaller extends ChannelInboundHandlerAdapter {
        private final PduTranscoder transcoder;

        GuardInstaller(PduTranscoder transcoder) {
            this.transcoder = transcoder;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            Channel ch = ctx.channel();
            InetAddress from = ch.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
            if (!acceptFrom.allows(from)) {
                metrics.connectionRefused(GatewayMetrics.REFUSED_ALLOWED_IPS);
                STRANGER_LINES.warn(log, "connection from {} refused before any bind: no carrier's allowed_ips "
                        + "admits that address", ch.remoteAddress());
                ctx.pipeline().remove(this);
                ch.close();
                return;
            }
            UnboundConnections.Admission admission = unbound.admit(from);
            if (admission instanceof UnboundConnections.Refusal refusal) {
                metrics.connectionRefused(refusal.reason);
                if (refusal == UnboundConnections.Refusal.MAX_UNBOUND) {
                    UNBOUND_LIMIT_LINES.warn(log, "connection from {} refused before any bind: {} connections not "
                            + "bound yet (max_unbound_connections)", ch.remoteAddress(), unbound.max());
                } else {
                    UNBOUND_PER_ADDRESS_LINES.warn(log, "connection from {} refused before any bind: {} connections "
                            + "from that address not bound yet (max_unbound_per_address)", ch.remoteAddress(),
                            unbound.maxPerAddress());
                }
                ctx.pipeline().remove(this);
                ch.close();
                return;
            }
            UnboundConnections.Ticket ticket = (UnboundConnections.Ticket) admission;
            ch.closeFuture().addListener(f -> ticket.release());
            var p = ctx.pipeline();
            boolean overTls = Boolean.TRUE.equals(ch.attr(OVER_TLS).get());
            if (overTls) {
                // First in the pipeline: everything else reads and writes plain SMPP. Added before PduGuard, so
                // the handshake deadline (bind_timeout too) is scheduled first and fires first: a stalled
                // handshake is reported as such, and its close gives the unbound place back.
                long deadline = config.bindTimeout().toMillis();
                p.addFirst(TLS_HANDLER, tls.newHandler(ch.alloc(), deadline));
                p.addAfter(TLS_HANDLER, TLS_HANDSHAKE_GUARD, new TlsHandshakeGuard(metrics, deadline));
            }
            ctx.fireChannelActive(); // ch-smpp's connector builds its pipeline here, synchronously
            if (p.get(SmppChannelConstants.PIPELINE_SESSION_PDU_DECODER_NAME) == null
                    || p.get(SmppChannelConstants.PIPELINE_SESSION_WRAPPER_NAME) == null) {
                log.error("unexpected ch-smpp pipeline {}: closing connection from {}", p.names(), ch.remoteAddress());
                ch.close();
                return;
            }
            p.addBefore(SmppChannelConstants.PIPELINE_SESSION_PDU_DECODER_NAME, "dlrgateFrameGuard",
                    new FrameGuard(transcoder));
            addFront(p, overTls, "dlrgateReadWhileWritable", new ReadWhileWritable());
            p.addAfter(SmppChannelConstants.PIPELINE_SESSION_PDU_DECODER_NAME, "dlrgateDecodeErrorGuard",
                    new DecodeErrorGuard(transcoder));
            p.addBefore(SmppChannelConstants.PIPELINE_SESSION_WRAPPER_NAME, "dlrgatePduGuard",
                    new PduGuard(transcoder, bindGate, bindHandler::bindAttemptDone, ticket,
                            config.bindTimeout().toMillis()));
            if (metrics.enabled()) {
                PduMeter[] meters = PduMeter.forChannel(metrics);
                p.addAfter("dlrgateFrameGuard", "dlrgatePduMeterIn", meters[0]); // whole frames in
                addFront(p, overTls, "dlrgatePduMeterOut", meters[1]); // every write, whoever made it
            }
            p.remove(this);
        }

        /** First in the pipeline, or right after the TLS handlers: they must stay first. */
        private void addFront(ChannelPipeline p, boolean overTls, String name, ChannelHandler handler) {
            if (overTls) {
                p.addAfter(p.get(TLS_HANDSHAKE_GUARD) != null ? TLS_HANDSHAKE_GUARD : TLS_HANDLER, name, handler);
            } else {
                p.addFirst(name, handler);
            }
        }
    }

    /** Connections accepted and not bound yet, on either listener (the unbound budget in use). */
    int unboundOpen() {
        return unbound.open();
    }
}
