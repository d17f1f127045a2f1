package io.dlrgate.simulator.carrier;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.SmppServerConfiguration;
import com.cloudhopper.smpp.SmppServerHandler;
import com.cloudhopper.smpp.SmppServerSession;
import com.cloudhopper.smpp.SmppSessionConfiguration;
import com.cloudhopper.smpp.impl.DefaultSmppServer;
import com.cloudhopper.smpp.pdu.BaseBind;
import com.cloudhopper.smpp.pdu.BaseBindResp;
import com.cloudhopper.smpp.type.LoggingOptions;
import com.cloudhopper.smpp.type.SmppChannelException;
import com.cloudhopper.smpp.type.SmppProcessingException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator as an SMSC: one SMPP listener (ch-smpp's {@link DefaultSmppServer}) where ESMEs bind as any of the
 * simulated carriers, each by its own system_id and password. A bind with an unknown system_id is refused with
 * ESME_RINVSYSID, a wrong password with ESME_RINVPASWD, a bind beyond the carrier's limit (or while it is held
 * down) with ESME_RBINDFAIL, and the fault {@code refuse_binds} with its chosen status. Accepted sessions are
 * handed to their {@link SimulatedCarrier}, which answers submits and sends receipts exactly as in the carrier
 * role. Port 0 listens on a free port ({@link #port()}).
 */
public final class SmscServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmscServer.class);
    /** Refused binds logged one by one; beyond, one line per this many (an ESME may retry in a loop). */
    private static final long REFUSALS_LOGGED = 20;
    private static final long REFUSAL_LOG_EVERY = 1_000;

    private final String host;
    private final Map<String, SimulatedCarrier> bySystemId = new LinkedHashMap<>();
    /** Binds accepted and not yet created as sessions, and sessions alive: which carrier each belongs to. */
    private final Map<Long, SimulatedCarrier> sessions = new ConcurrentHashMap<>();
    private final AtomicLong refusals = new AtomicLong();
    private final NioEventLoopGroup boss;
    private final NioEventLoopGroup workers;
    private final ScheduledExecutorService monitor;
    private final DefaultSmppServer server;
    private final boolean tls;
    private volatile Channel listenChannel;

    /**
     * @param host     address to listen on (loopback unless the system property dlrgate.sim.allowRemote is true)
     * @param port     TCP port; 0 picks a free one
     * @param carriers the carriers ESMEs may bind as, each started with {@link SimulatedCarrier#startAsSmsc()}
     */
    public SmscServer(String host, int port, Collection<SimulatedCarrier> carriers) {
        this(host, port, carriers, null);
    }

    /** @param tls the listener's TLS ({@link SmscTls#fromPem}), or null for plain TCP */
    public SmscServer(String host, int port, Collection<SimulatedCarrier> carriers,
                      com.cloudhopper.smpp.ssl.SslConfiguration tls) {
        if (!SmppSessions.isLoopback(host) && !Boolean.getBoolean("dlrgate.sim.allowRemote")) {
            // a QA tool: it only listens where this machine alone can reach it unless told otherwise
            throw new IllegalArgumentException("SMSC host " + host + " is not a loopback address");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        this.host = host;
        int maxConnections = 8;
        for (SimulatedCarrier c : carriers) {
            bySystemId.put(c.config().systemId(), c);
            maxConnections += c.smsc().maxBinds();
        }
        boss = new NioEventLoopGroup(1, SimulatedCarrier.daemonThreads("dlrgate-sim-smsc-accept")) {
            @Override
            public ChannelFuture register(Channel channel) {
                listenChannel = channel; // the only way to learn the port actually bound when port is 0
                return super.register(channel);
            }
        };
        workers = new NioEventLoopGroup(2, SimulatedCarrier.daemonThreads("dlrgate-sim-smsc-io"));
        monitor = Executors.newSingleThreadScheduledExecutor(SimulatedCarrier.daemonThreads("dlrgate-sim-smsc-monitor"));
        SmppServerConfiguration c = new SmppServerConfiguration();
        c.setName("dlrgate-sim-smsc");
        c.setSystemId("dlrgate-sim");
        c.setHost(host);
        c.setPort(port);
        c.setMaxConnectionSize(maxConnections);
        c.setNonBlockingSocketsEnabled(true);
        c.setReuseAddress(true);
        c.setDefaultWindowSize(50);
        c.setDefaultWindowWaitTimeout(30_000);
        c.setDefaultRequestExpiryTimeout(30_000);
        c.setDefaultWindowMonitorInterval(1_000);
        c.setDefaultSessionCountersEnabled(false);
        c.setJmxEnabled(false);
        c.setBindTimeout(5_000);
        if (tls != null) {
            c.setUseSsl(true);
            c.setSslConfiguration(tls);
        }
        this.tls = tls != null;
        server = new DefaultSmppServer(c, new Binds(), monitor, boss, workers);
    }

    /** Starts listening; throws when the address cannot be bound. */
    public void start() throws IOException {
        try {
            server.start();
        } catch (SmppChannelException e) {
            close();
            throw new IOException("cannot listen for SMPP on " + host + ":" + server.getConfiguration().getPort()
                    + ": " + e.getMessage(), e);
        }
        log.info("simulated SMSC listening on {}:{}{} for {}", host, port(), tls ? " (TLS)" : "",
                bySystemId.keySet());
    }

    /** The TCP port actually listened on (the real one when the port given was 0); -1 before start. */
    public int port() {
        Channel ch = listenChannel;
        return ch != null && ch.localAddress() instanceof InetSocketAddress a ? a.getPort() : -1;
    }

    public String host() {
        return host;
    }

    /** Stops listening and closes every connection (stop the carriers first: they unbind their ESMEs politely). */
    @Override
    public void close() {
        server.stop();
        server.destroy();
        monitor.shutdownNow();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private final class Binds implements SmppServerHandler {
        @Override
        public void sessionBindRequested(Long sessionId, SmppSessionConfiguration cfg, BaseBind bind)
                throws SmppProcessingException {
            SimulatedCarrier carrier = bySystemId.get(cfg.getSystemId());
            if (carrier == null) {
                refuse(null, cfg, SmppConstants.STATUS_INVSYSID, "unknown system_id");
            }
            if (!carrier.config().password().equals(cfg.getPassword())) {
                carrier.bindRefused();
                refuse(carrier, cfg, SmppConstants.STATUS_INVPASWD, "wrong password");
            }
            int status = carrier.bindRefusal();
            if (status != 0) {
                carrier.bindRefused();
                refuse(carrier, cfg, status, "refused (fault refuse_binds, bind limit, or held down)");
            }
            SimCarrierSettings settings = carrier.config();
            cfg.setName(settings.name() + "-session-" + sessionId);
            cfg.setWindowSize(settings.windowSize());
            cfg.setWindowWaitTimeout(settings.requestTimeoutMillis());
            cfg.setRequestExpiryTimeout(settings.requestTimeoutMillis());
            cfg.setWindowMonitorInterval(1_000);
            cfg.setCountersEnabled(false);
            LoggingOptions logging = new LoggingOptions();
            logging.setLogPdu(false);
            logging.setLogBytes(false);
            cfg.setLoggingOptions(logging);
            sessions.put(sessionId, carrier);
        }

        @Override
        public void sessionCreated(Long sessionId, SmppServerSession session, BaseBindResp resp)
                throws SmppProcessingException {
            SimulatedCarrier carrier = sessions.get(sessionId);
            if (carrier == null) {
                throw new SmppProcessingException(SmppConstants.STATUS_BINDFAIL);
            }
            SmscBind bind = carrier.attach(sessionId, session);
            session.serverReady(bind.handler); // bound from here: the bind's loop serves it while it is
            bind.start();
        }

        @Override
        public void sessionDestroyed(Long sessionId, SmppServerSession session) {
            SimulatedCarrier carrier = sessions.remove(sessionId);
            if (carrier != null) {
                carrier.detach(sessionId);
            }
            session.destroy();
        }

        private void refuse(SimulatedCarrier carrier, SmppSessionConfiguration cfg, int status, String why)
                throws SmppProcessingException {
            long n = refusals.incrementAndGet();
            if (n <= REFUSALS_LOGGED || n % REFUSAL_LOG_EVERY == 0) {
                log.info("bind as system_id '{}' ({}) refused with 0x{}: {}{}", printable(cfg.getSystemId()),
                        carrier == null ? "no such carrier" : carrier.config().name(),
                        Integer.toHexString(status), why, n == REFUSALS_LOGGED ? " (further refusals: one line per "
                                + REFUSAL_LOG_EVERY + ")" : "");
            }
            throw new SmppProcessingException(status);
        }
    }

    /** A peer's system_id as a log may show it: printable ASCII, at most 16 characters. */
    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 16; i++) {
            char ch = s.charAt(i);
            sb.append(ch >= 0x20 && ch < 0x7f ? ch : '?');
        }
        return sb.toString();
    }
}
