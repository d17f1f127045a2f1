package io.dlrgate.gateway.testing;

import com.cloudhopper.commons.util.windowing.WindowFuture;
import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.SmppSession;
import com.cloudhopper.smpp.SmppSessionConfiguration;
import com.cloudhopper.smpp.impl.DefaultSmppClient;
import com.cloudhopper.smpp.impl.DefaultSmppSession;
import com.cloudhopper.smpp.impl.DefaultSmppSessionHandler;
import com.cloudhopper.smpp.pdu.DeliverSm;
import com.cloudhopper.smpp.pdu.DeliverSmResp;
import com.cloudhopper.smpp.pdu.EnquireLink;
import com.cloudhopper.smpp.pdu.EnquireLinkResp;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.pdu.SubmitSmResp;
import com.cloudhopper.smpp.pdu.Unbind;
import com.cloudhopper.smpp.pdu.UnbindResp;
import com.cloudhopper.smpp.type.Address;
import com.cloudhopper.smpp.type.LoggingOptions;
import com.cloudhopper.smpp.type.SmppBindException;
import io.dlrgate.config.BindType;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * A carrier for tests: a ch-smpp client that binds to a gateway on 127.0.0.1 like a real carrier would.
 *
 * <pre>{@code
 * try (TestCarrier carrier = TestCarrier.to(server.port())
 *         .systemId("acme").password("secret").bindType(BindType.TRANSCEIVER)
 *         .onSubmit(submit -> SubmitAnswer.ok("812FC7470000001B"))
 *         .bind()) {
 *     List<ReceivedSubmit> got = carrier.awaitSubmits(10, Duration.ofSeconds(5));
 *     DeliverSmResp resp = carrier.sendDeliverSm(TestCarrier.receipt("id:1 stat:DELIVRD"), Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>Incoming submit_sm are recorded (with their arrival time, to count per second) and answered as the submit
 * handler says, from a single thread of this carrier so answers go out in arrival order and never from a Netty
 * event loop. enquire_link and unbind from the gateway are answered OK; anything else ESME_RINVCMDID.
 */
public final class TestCarrier implements AutoCloseable {

    /** How to answer one submit_sm. */
    public record SubmitAnswer(boolean answer, int status, String messageId) {
        public static SubmitAnswer ok(String messageId) {
            return new SubmitAnswer(true, SmppConstants.STATUS_OK, messageId);
        }

        public static SubmitAnswer error(int status) {
            return new SubmitAnswer(true, status, null);
        }

        /** Never answer: lets the gateway's request expiry fire. */
        public static SubmitAnswer none() {
            return new SubmitAnswer(false, 0, null);
        }
    }

    /** A submit_sm the carrier received, with when it arrived ({@code System.nanoTime()} and wall clock). */
    public record ReceivedSubmit(SubmitSm pdu, long receivedNanos, Instant receivedAt) {
        public String destination() {
            return pdu.getDestAddress() == null ? null : pdu.getDestAddress().getAddress();
        }
    }

    /** The bind was answered with an error status. */
    public static final class BindFailedException extends RuntimeException {
        private final int status;

        BindFailedException(int status, Throwable cause) {
            super("bind refused with command_status 0x" + Integer.toHexString(status), cause);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public static Builder to(int port) {
        return new Builder(port);
    }

    public static final class Builder {
        private final int port;
        private String host = "127.0.0.1";
        private String systemId = "carrier";
        private String password = "secret";
        private String systemType = "";
        private BindType bindType = BindType.TRANSCEIVER;
        private int windowSize = 100;
        private Duration bindTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Function<SubmitSm, SubmitAnswer> onSubmit;
        private boolean answerEnquireLinks = true;
        private Duration answerDelay = Duration.ZERO;
        private Duration answerJitter = Duration.ZERO;
        private SslContext tls;

        private Builder(int port) {
            this.port = port;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder systemId(String systemId) {
            this.systemId = systemId;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder systemType(String systemType) {
            this.systemType = systemType;
            return this;
        }

        /** From the carrier's side: RECEIVER takes submits, TRANSMITTER sends receipts, TRANSCEIVER both. */
        public Builder bindType(BindType bindType) {
            this.bindType = bindType;
            return this;
        }

        /** Requests this carrier may have outstanding (its deliver_sm window). */
        public Builder windowSize(int windowSize) {
            this.windowSize = windowSize;
            return this;
        }

        public Builder bindTimeout(Duration bindTimeout) {
            this.bindTimeout = bindTimeout;
            return this;
        }

        /** How long {@link #send} and friends wait for the gateway's response by default. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /** Answers each submit_sm; default: OK with ids "1", "2", ... Called on this carrier's responder thread. */
        /** {@code false}: enquire_link requests are recorded but never answered (a carrier whose link is dead). */
        public Builder answerEnquireLinks(boolean answer) {
            this.answerEnquireLinks = answer;
            return this;
        }

        /**
         * Connects over TLS with this client context (the certificates it trusts), verifying that the gateway's
         * certificate names the host connected to, as a carrier's client would.
         */
        public Builder tls(SslContext clientContext) {
            this.tls = clientContext;
            return this;
        }

        /**
         * Answers each submit_sm {@code delay} late, plus up to {@code jitter} more (a busy SMSC); the unbind and
         * enquire_link are still answered at once, as ch-smpp's own SMSCs do.
         */
        public Builder answerDelay(Duration delay, Duration jitter) {
            this.answerDelay = delay;
            this.answerJitter = jitter;
            return this;
        }

        public Builder onSubmit(Function<SubmitSm, SubmitAnswer> onSubmit) {
            this.onSubmit = onSubmit;
            return this;
        }

        /** Binds, or throws {@link BindFailedException} with the status the gateway answered. */
        public TestCarrier bind() {
            TestCarrier carrier = new TestCarrier(this);
            try {
                carrier.doBind();
                return carrier;
            } catch (RuntimeException e) {
                carrier.destroy();
                throw e;
            }
        }

        /** Binds expecting a refusal and returns the refusal's command_status; fails if the bind succeeds. */
        public int bindExpectingFailure() {
            try (TestCarrier unexpected = bind()) {
                throw new AssertionError("bind of " + systemId + " as " + bindType + " succeeded, expected a failure");
            } catch (BindFailedException e) {
                return e.status();
            }
        }
    }

    private final Builder config;
    private final NioEventLoopGroup group;
    private final ScheduledExecutorService monitor;
    private final ExecutorService responder;
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(
            new DefaultThreadFactory("test-carrier-late", true));
    private final DefaultSmppClient client;
    private final CompletableFuture<SmppSession> sessionFuture = new CompletableFuture<>();
    private final List<ReceivedSubmit> submits = new CopyOnWriteArrayList<>();
    private final List<PduRequest<?>> otherRequests = new CopyOnWriteArrayList<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final AtomicBoolean closedByPeer = new AtomicBoolean();
    private final Function<SubmitSm, SubmitAnswer> onSubmit;
    private final boolean answerEnquireLinks;
    private volatile SslHandler sslHandler;

    private TestCarrier(Builder b) {
        this.config = b;
        this.answerEnquireLinks = b.answerEnquireLinks;
        this.onSubmit = b.onSubmit != null ? b.onSubmit
                : submit -> SubmitAnswer.ok(Long.toString(nextId.getAndIncrement()));
        this.group = b.tls == null
                ? new NioEventLoopGroup(1, new DefaultThreadFactory("test-carrier-" + b.systemId, true))
                : new NioEventLoopGroup(1, new DefaultThreadFactory("test-carrier-" + b.systemId, true)) {
                    // ch-smpp's client builds its pipeline privately: TLS goes first as the channel registers.
                    @Override
                    public ChannelFuture register(Channel channel) {
                        SslHandler ssl = b.tls.newHandler(channel.alloc(), b.host, b.port);
                        SSLParameters params = ssl.engine().getSSLParameters();
                        params.setEndpointIdentificationAlgorithm("HTTPS");
                        ssl.engine().setSSLParameters(params);
                        sslHandler = ssl;
                        channel.pipeline().addFirst("testCarrierTls", ssl);
                        return super.register(channel);
                    }
                };
        this.monitor = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("test-carrier-mon", true));
        this.responder = Executors.newSingleThreadExecutor(new DefaultThreadFactory("test-carrier-resp", true));
        this.client = new DefaultSmppClient(group, monitor);
    }

    private void doBind() {
        SmppSessionConfiguration c = new SmppSessionConfiguration();
        c.setName("test-carrier." + config.systemId);
        c.setType(switch (config.bindType) {
            case TRANSMITTER -> SmppBindType.TRANSMITTER;
            case RECEIVER -> SmppBindType.RECEIVER;
            case TRANSCEIVER -> SmppBindType.TRANSCEIVER;
        });
        c.setHost(config.host);
        c.setPort(config.port);
        c.setSystemId(config.systemId);
        c.setPassword(config.password);
        c.setSystemType(config.systemType);
        c.setConnectTimeout(config.bindTimeout.toMillis());
        c.setBindTimeout(config.bindTimeout.toMillis());
        c.setWindowSize(config.windowSize);
        c.setRequestExpiryTimeout(config.requestTimeout.toMillis());
        c.setWindowMonitorInterval(500);
        LoggingOptions quiet = new LoggingOptions();
        quiet.setLogPdu(false);
        quiet.setLogBytes(false);
        c.setLoggingOptions(quiet);
        try {
            sessionFuture.complete(client.bind(c, new Handler()));
        } catch (SmppBindException e) {
            throw new BindFailedException(e.getBindResponse().getCommandStatus(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding", e);
        } catch (Exception e) {
            throw new IllegalStateException("bind of " + config.systemId + " to 127.0.0.1:" + config.port
                    + " failed: " + e, e);
        }
    }

    /** Over TLS: the certificate the gateway presented; null over plain TCP. */
    public X509Certificate peerCertificate() throws SSLPeerUnverifiedException {
        SslHandler ssl = sslHandler;
        return ssl == null ? null
                : (X509Certificate) ssl.engine().getSession().getPeerCertificates()[0];
    }

    /** The ch-smpp session, for anything this helper does not cover. */
    public SmppSession session() {
        return sessionFuture.getNow(null);
    }

    public boolean isBound() {
        SmppSession s = session();
        return s != null && s.isBound();
    }

    /** True once the gateway closed the connection without this carrier asking. */
    public boolean closedByPeer() {
        return closedByPeer.get();
    }

    /** Every submit_sm received so far, in arrival order. */
    public List<ReceivedSubmit> submits() {
        return List.copyOf(submits);
    }

    public int submitCount() {
        return submits.size();
    }

    /** Requests from the gateway other than submit_sm (enquire_link, unbind, ...). */
    public List<PduRequest<?>> otherRequests() {
        return List.copyOf(otherRequests);
    }

    /** Waits until at least {@code count} submits arrived; returns them all. */
    public List<ReceivedSubmit> awaitSubmits(int count, Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (submits.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("got " + submits.size() + " submits of " + count + " within " + timeout);
            }
            Thread.sleep(5);
        }
        return submits();
    }

    /** Sends any request and waits for its response (which may be a generic_nack). */
    public PduResponse send(PduRequest<?> request, Duration timeout) throws Exception {
        SmppSession s = Objects.requireNonNull(session(), "not bound");
        WindowFuture<Integer, PduRequest, PduResponse> f = s.sendRequestPdu(request, timeout.toMillis(), true);
        if (!f.await(timeout.toMillis())) {
            f.cancel();
            throw new TimeoutException("no response to " + request.getName() + " within " + timeout);
        }
        if (!f.isSuccess()) {
            throw new IllegalStateException(request.getName() + " failed", f.getCause());
        }
        return f.getResponse();
    }

    /** Sends a deliver_sm and waits for its deliver_sm_resp (the gateway may answer a generic_nack instead). */
    public PduResponse sendDeliverSm(DeliverSm deliverSm, Duration timeout) throws Exception {
        return send(deliverSm, timeout);
    }

    public PduResponse sendDeliverSm(DeliverSm deliverSm) throws Exception {
        return send(deliverSm, config.requestTimeout);
    }

    public EnquireLinkResp enquireLink(Duration timeout) throws Exception {
        return (EnquireLinkResp) send(new EnquireLink(), timeout);
    }

    /** Sends unbind, waits for unbind_resp; the connection is then closed by the gateway. */
    public UnbindResp unbind(Duration timeout) throws Exception {
        return (UnbindResp) send(new Unbind(), timeout);
    }

    /** Drops the TCP connection without an unbind, as a crashed carrier would. */
    public void drop() {
        SmppSession s = session();
        if (s instanceof DefaultSmppSession d) {
            d.getChannel().close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /**
     * A deliver_sm flagged as a delivery receipt (esm_class 0x04) with the given text in short_message, from
     * {@code source} to {@code destination}. Build your own for anything fancier (TLVs, data_sm).
     */
    public static DeliverSm receipt(String text, String source, String destination) {
        DeliverSm d = new DeliverSm();
        d.setEsmClass((byte) 0x04);
        d.setSourceAddress(new Address((byte) 1, (byte) 1, source));
        d.setDestAddress(new Address((byte) 1, (byte) 1, destination));
        try {
            d.setShortMessage(text.getBytes(StandardCharsets.ISO_8859_1));
        } catch (Exception e) {
            throw new IllegalArgumentException("receipt text too long for short_message", e);
        }
        return d;
    }

    public static DeliverSm receipt(String text) {
        return receipt(text, "447700900001", "12345");
    }

    /** Unbinds politely if still bound, then releases the client's threads. */
    @Override
    public void close() {
        try {
            SmppSession s = session();
            if (s != null && s.isBound()) {
                s.unbind(2_000);
            }
        } catch (RuntimeException ignored) {
            // closing anyway
        }
        destroy();
    }

    private void destroy() {
        SmppSession s = session();
        if (s != null) {
            s.destroy(); // closes the connection and waits for it (bounded)
        }
        // Not client.destroy(): it waits on its channel group and then shuts our group down with Netty's 2 s
        // quiet period. Its only other job is that shutdown, done here without the quiet period.
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        responder.shutdownNow();
        later.shutdownNow();
        monitor.shutdownNow();
    }

    private void answerLate(PduResponse response) {
        long delay = config.answerDelay.toMillis();
        if (delay <= 0) {
            answer(response);
            return;
        }
        long jitter = config.answerJitter.toMillis();
        delay += jitter > 0 ? ThreadLocalRandom.current().nextLong(jitter + 1) : 0;
        later.schedule(() -> answer(response), delay, TimeUnit.MILLISECONDS);
    }

    /** Answers from the responder thread: ch-smpp's sendResponsePdu blocks, so never on the event loop. */
    private void answer(PduResponse response) {
        responder.execute(() -> {
            try {
                sessionFuture.get(10, TimeUnit.SECONDS).sendResponsePdu(response);
            } catch (Exception e) {
                // the connection went away; the gateway will see the close
            }
        });
    }

    private final class Handler extends DefaultSmppSessionHandler {
        @Override
        @SuppressWarnings("rawtypes")
        public PduResponse firePduRequestReceived(PduRequest request) {
            if (request instanceof SubmitSm submit) {
                submits.add(new ReceivedSubmit(submit, System.nanoTime(), Instant.now()));
                responder.execute(() -> {
                    SubmitAnswer a = onSubmit.apply(submit);
                    if (a != null && a.answer()) {
                        SubmitSmResp resp = submit.createResponse();
                        resp.setCommandStatus(a.status());
                        if (a.messageId() != null) {
                            resp.setMessageId(a.messageId());
                        }
                        answerLate(resp);
                    }
                });
                return null;
            }
            otherRequests.add(request);
            if (request instanceof EnquireLink && !answerEnquireLinks) {
                return null;
            }
            PduResponse resp = request.createResponse();
            if (!(request instanceof EnquireLink) && !(request instanceof Unbind)) {
                resp.setCommandStatus(SmppConstants.STATUS_INVCMDID);
            }
            answer(resp);
            return null;
        }

        @Override
        public void fireChannelUnexpectedlyClosed() {
            closedByPeer.set(true);
        }
    }

    /** The destination addresses of the submits received, in arrival order. */
    public List<String> destinations() {
        List<String> out = new ArrayList<>();
        submits.forEach(s -> out.add(s.destination()));
        return out;
    }
}
