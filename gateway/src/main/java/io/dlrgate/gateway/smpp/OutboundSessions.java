package io.dlrgate.gateway.smpp;

import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.SmppSession;
import com.cloudhopper.smpp.SmppSessionConfiguration;
import com.cloudhopper.smpp.channel.SmppChannelConstants;
import com.cloudhopper.smpp.channel.SmppSessionPduDecoder;
import com.cloudhopper.smpp.channel.SmppSessionWrapper;
import com.cloudhopper.smpp.impl.DefaultSmppSession;
import com.cloudhopper.smpp.pdu.BaseBind;
import com.cloudhopper.smpp.pdu.BaseBindResp;
import com.cloudhopper.smpp.pdu.BindReceiver;
import com.cloudhopper.smpp.pdu.BindTransceiver;
import com.cloudhopper.smpp.pdu.BindTransmitter;
import com.cloudhopper.smpp.transcoder.DefaultPduTranscoder;
import com.cloudhopper.smpp.transcoder.DefaultPduTranscoderContext;
import com.cloudhopper.smpp.transcoder.PduTranscoder;
import com.cloudhopper.smpp.type.Address;
import com.cloudhopper.smpp.type.LoggingOptions;
import com.cloudhopper.smpp.type.RecoverablePduException;
import com.cloudhopper.smpp.type.SmppBindException;
import com.cloudhopper.smpp.type.SmppChannelException;
import com.cloudhopper.smpp.type.SmppTimeoutException;
import com.cloudhopper.smpp.type.UnrecoverablePduException;
import io.dlrgate.config.BindType;
import io.dlrgate.config.CarrierConfig;
import io.dlrgate.config.ConnectConfig;
import io.dlrgate.gateway.metrics.GatewayMetrics;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.WriteTimeoutHandler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a connection the gateway opened to a carrier's SMSC into a carrier session like any inbound one: the same
 * bookkeeping ({@link SmppCarrierSession}), the same PDU policy ({@link BoundSessionHandler}: enquire_link answered,
 * receipts to the intake, the SMSC's unbind answered after the receipts before it), the same guards on the wire
 * ({@link FrameGuard}, {@link DecodeErrorGuard}, {@link ReadWhileWritable}, {@link PduMeter}) and the same registry and listeners
 * ({@link CarrierSessions}: the dispatcher submits through it, closes requeue what was in flight).
 *
 * <p>The outbound role (package {@code smpp.client}) owns the rest: connecting, TLS, the bind's retries and
 * backoff. Outbound session ids are negative, so they never meet the positive ids ch-smpp's server gives inbound
 * sessions.
 */
public final class OutboundSessions {

    private static final Logger log = LoggerFactory.getLogger(OutboundSessions.class);

    private final CarrierSessions registry;
    private final ReceiptListener receipts;
    private final SubmitListener submits;
    private final GatewayMetrics metrics;
    private final Duration requestExpiry;
    private final PduTranscoder transcoder = new DefaultPduTranscoder(new DefaultPduTranscoderContext());
    private final AtomicLong lastId = new AtomicLong();

    /**
     * @param registry      the registry inbound sessions are entered in (the dispatcher submits through it)
     * @param receipts      takes the receipts carriers send (the intake)
     * @param submits       follows the gateway's submits (the dispatcher); registered on {@code registry} by the
     *                      SMPP server already, or here when there is none
     * @param requestExpiry how long a request to a carrier may wait for its response (smpp.request_expiry)
     */
    public OutboundSessions(CarrierSessions registry, ReceiptListener receipts, SubmitListener submits,
                            GatewayMetrics metrics, Duration requestExpiry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.receipts = Objects.requireNonNull(receipts, "receipts");
        this.submits = Objects.requireNonNull(submits, "submits");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.requestExpiry = requestExpiry;
    }

    /** The ch-smpp bind types a connect mode is made of, in the order they are bound. */
    public static SmppBindType[] bindTypes(ConnectConfig.Bind mode) {
        return switch (mode) {
            case TRANSCEIVER -> new SmppBindType[] {SmppBindType.TRANSCEIVER};
            case TRANSMITTER_RECEIVER -> new SmppBindType[] {SmppBindType.TRANSMITTER, SmppBindType.RECEIVER};
        };
    }

    /**
     * The carrier's side of our bind (see {@link CarrierSession#bindType()}): our transmitter sends the carrier
     * submits, so to the rest of the gateway it is a session that takes submits, a RECEIVER; and the other way round.
     */
    static BindType carrierSide(SmppBindType ours) {
        return switch (ours) {
            case TRANSMITTER -> BindType.RECEIVER;
            case RECEIVER -> BindType.TRANSMITTER;
            case TRANSCEIVER -> BindType.TRANSCEIVER;
        };
    }

    /**
     * Puts a ch-smpp client session on a channel the caller connected (with TLS, if any, already first in its
     * pipeline), ready to bind. Nothing is sent yet.
     *
     * @param windowMonitor expires unanswered requests of the session's window
     * @param onEventLoop   true on any event loop of the caller's group (where sendSubmit must refuse to block)
     */
    public Outbound open(CarrierConfig carrier, SmppBindType type, Channel channel,
                         ScheduledExecutorService windowMonitor, BooleanSupplier onEventLoop) {
        ConnectConfig connect = carrier.connect();
        long id = -lastId.incrementAndGet();
        SmppSessionConfiguration config = new SmppSessionConfiguration(type, connect.systemId(), connect.password(),
                connect.systemType());
        config.setName("smpp-out." + carrier.id() + "." + (-id));
        config.setHost(connect.host());
        config.setPort(connect.port());
        config.setInterfaceVersion(SmppConstants.VERSION_3_4);
        config.setWindowSize(Math.max(1, carrier.windowSize()));
        config.setRequestExpiryTimeout(requestExpiry.toMillis());
        config.setWindowMonitorInterval(Math.max(50, Math.min(1_000, requestExpiry.toMillis() / 2)));
        config.setWriteTimeout(BindHandler.WRITE_TIMEOUT_MS);
        config.setCountersEnabled(false);
        LoggingOptions quiet = new LoggingOptions(); // ch-smpp logs every PDU at INFO by default: far too much
        quiet.setLogPdu(false);
        quiet.setLogBytes(false);
        config.setLoggingOptions(quiet);

        ForwardingSessionHandler handler = new ForwardingSessionHandler();
        DefaultSmppSession smpp = new DefaultSmppSession(SmppSession.Type.CLIENT, config, channel, handler,
                windowMonitor);
        SmppCarrierSession session = new SmppCarrierSession(id, carrier, carrierSide(type), SessionDirection.OUT,
                smpp, transcoder, onEventLoop);
        handler.forwardTo(new BoundSessionHandler(session, receipts, submits, connect.systemId(), requestExpiry));
        installPipeline(channel.pipeline(), smpp);
        // The slot before the close listener: a close, however early, releases it after it was taken.
        registry.reserveOutbound(id, carrier.id());
        channel.closeFuture().addListener(f -> closed(session, smpp, windowMonitor));
        return new Outbound(session, smpp, bindRequest(type, connect));
    }

    /** ch-smpp's client pipeline (its DefaultSmppClient would build it), with the server's guards around it. */
    private void installPipeline(ChannelPipeline p, DefaultSmppSession smpp) {
        p.addLast("dlrgateReadWhileWritable", new ReadWhileWritable());
        PduMeter[] meters = metrics.enabled() ? PduMeter.forChannel(metrics) : null;
        if (meters != null) {
            p.addLast("dlrgatePduMeterOut", meters[1]); // every write, whoever made it; TLS (if any) below it
        }
        p.addLast(SmppChannelConstants.PIPELINE_SESSION_WRITE_TIMEOUT_NAME,
                new WriteTimeoutHandler(BindHandler.WRITE_TIMEOUT_MS, TimeUnit.MILLISECONDS));
        p.addLast("dlrgateFrameGuard", new FrameGuard(transcoder));
        if (meters != null) {
            p.addLast("dlrgatePduMeterIn", meters[0]); // whole frames in
        }
        p.addLast(SmppChannelConstants.PIPELINE_SESSION_PDU_DECODER_NAME, new SmppSessionPduDecoder(transcoder));
        // ch-smpp's wrapper would only log what the decoder could not decode: the SMSC would never get an answer.
        p.addLast("dlrgateDecodeErrorGuard", new DecodeErrorGuard(transcoder));
        p.addLast(SmppChannelConstants.PIPELINE_SESSION_WRAPPER_NAME, new SmppSessionWrapper(smpp));
    }

    private static BaseBind<? extends BaseBindResp> bindRequest(SmppBindType type, ConnectConfig connect) {
        BaseBind<? extends BaseBindResp> bind = switch (type) {
            case TRANSCEIVER -> new BindTransceiver();
            case TRANSMITTER -> new BindTransmitter();
            case RECEIVER -> new BindReceiver();
        };
        bind.setSystemId(connect.systemId());
        bind.setPassword(connect.password());
        bind.setSystemType(connect.systemType());
        bind.setInterfaceVersion(SmppConstants.VERSION_3_4);
        bind.setAddressRange(new Address((byte) connect.addrTon(), (byte) connect.addrNpi(),
                connect.addressRange()));
        return bind;
    }

    /** On the channel's close: out of the registry (listeners requeue what was in flight), window check stopped. */
    private void closed(SmppCarrierSession session, DefaultSmppSession smpp, ScheduledExecutorService windowMonitor) {
        try {
            registry.release(session.id(), session);
        } catch (RuntimeException e) {
            log.error("releasing outbound session {} of carrier {} failed", session.id(), session.carrierId(), e);
        }
        try {
            // As for inbound sessions (BindHandler.sessionDestroyed): after any check in progress, on its own thread.
            windowMonitor.execute(smpp.getSendWindow()::stopMonitor);
        } catch (RejectedExecutionException e) {
            // stopping: the monitor stops with everything else
        }
    }

    /** One outbound connection, from its bind on. */
    public final class Outbound {
        private final SmppCarrierSession session;
        private final DefaultSmppSession smpp;
        private final BaseBind<? extends BaseBindResp> bind;

        private Outbound(SmppCarrierSession session, DefaultSmppSession smpp, BaseBind<? extends BaseBindResp> bind) {
            this.session = session;
            this.smpp = smpp;
            this.bind = bind;
        }

        public CarrierSession session() {
            return session;
        }

        public Channel channel() {
            return session.channel();
        }

        /**
         * Sends the bind and waits for its answer. Blocks: never on an event loop.
         *
         * @throws SmppBindException the SMSC answered with an error status ({@code getBindResponse()})
         * @throws SmppTimeoutException no bind_resp in time
         */
        public BaseBindResp bind(long timeoutMs) throws SmppBindException, SmppTimeoutException, SmppChannelException,
                UnrecoverablePduException, RecoverablePduException, InterruptedException {
            return smpp.bind(bind, timeoutMs);
        }

        /**
         * After a successful bind: enters the registry and tells the listeners (the dispatcher starts submitting).
         * False when the connection closed meanwhile.
         */
        public boolean activate() {
            return registry.activate(session);
        }

        /** Why the connection ended, for the log line: "connection dropped", "unbind by the carrier", ... */
        public String endReason() {
            return session.endReason();
        }

        /** Notes why the gateway is about to close the connection (first note wins). */
        public void noteEndReason(String reason) {
            session.noteEndReason(reason);
        }

        /** Polite end: unbind, wait up to {@code timeoutMs} for unbind_resp, close. Blocks: not on an event loop. */
        public void unbindAndClose(String reason, long timeoutMs) {
            session.unbindAndClose(reason, timeoutMs);
        }

        /** Closes the connection without an unbind. Non-blocking. */
        public void close(String reason) {
            session.noteEndReason(reason);
            session.channel().close();
        }
    }
}
