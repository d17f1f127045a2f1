package io.dlrgate.gateway.smpp;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.SmppServerHandler;
import com.cloudhopper.smpp.SmppServerSession;
import com.cloudhopper.smpp.SmppSessionConfiguration;
import com.cloudhopper.smpp.channel.SmppChannelConstants;
import com.cloudhopper.smpp.impl.DefaultSmppSession;
import com.cloudhopper.smpp.pdu.BaseBind;
import com.cloudhopper.smpp.pdu.BaseBindResp;
import com.cloudhopper.smpp.transcoder.PduTranscoder;
import com.cloudhopper.smpp.type.LoggingOptions;
import com.cloudhopper.smpp.type.SmppProcessingException;
import io.dlrgate.config.BindType;
import io.dlrgate.config.CarrierConfig;
import io.dlrgate.config.SmppServerConfig;
import io.dlrgate.gateway.logging.LogRateLimit;
import io.dlrgate.gateway.metrics.GatewayMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;

/**
 * ch-smpp's server handler: reserves a session slot for binds whose credentials {@link BindGate} accepted, turns
 * them into {@link SmppCarrierSession}s, and reports their end. ch-smpp calls the three methods on the
 * connection's event loop.
 *
 * <p>Bind limit: a bind over the carrier's max_binds is answered ESME_RBINDFAIL, not ESME_RALYBND. RALYBND
 * ("ESME already in bound state") describes a second bind on the same connection, and is answered for exactly
 * that; a new connection over the limit is simply a bind that failed for a configured reason. The limit holds
 * across gateway instances: a bind within this process's count is also admitted by {@link BindAdmission} (a
 * database round trip on the blocking executor) before its bind_resp is written.
 */
final class BindHandler implements SmppServerHandler {

    private static final Logger log = LoggerFactory.getLogger(BindHandler.class);

    /**
     * A write that cannot complete within this time means the carrier stopped reading: ch-smpp then closes the
     * connection (and sessionClosed requeues its submits) instead of letting writes pile up.
     */
    static final long WRITE_TIMEOUT_MS = 30_000;

    /**
     * A carrier can have binds refused here (max_binds, max_connections) as fast as it likes: one line per refusal
     * (ch-smpp's own line for it is turned off in logback.xml), within limits.
     */
    private final LogRateLimit refusedLines = new LogRateLimit();

    private final SmppServerConfig serverConfig;
    private final CarrierSessions sessions;
    private final ReceiptListener receipts;
    private final SubmitListener submits;
    private final PduTranscoder transcoder;
    private final Executor blockingExecutor;
    private final Executor windowMonitor;
    private final BooleanSupplier onEventLoop;
    private final GatewayMetrics metrics;

    /**
     * "bound" and "session closed" lines, per carrier: a carrier binding and unbinding in a loop is bounded, and
     * does not hide another carrier's binds. Keyed by configured carriers only, so the map stays small.
     */
    private final Map<String, LogRateLimit> sessionLines = new ConcurrentHashMap<>();

    private final Map<Long, CarrierConfig> pending = new ConcurrentHashMap<>();
    private final Map<Long, SmppCarrierSession> byId = new ConcurrentHashMap<>();
    /** Sessions holding a place among their carrier's binds across instances; whoever removes one frees it. */
    private final Set<Long> admitted = ConcurrentHashMap.newKeySet();

    BindHandler(SmppServerConfig serverConfig, CarrierSessions sessions, ReceiptListener receipts,
                SubmitListener submits, PduTranscoder transcoder, Executor blockingExecutor, Executor windowMonitor,
                BooleanSupplier onEventLoop, GatewayMetrics metrics) {
        this.serverConfig = serverConfig;
        this.sessions = sessions;
        this.receipts = receipts;
        this.submits = submits;
        this.transcoder = transcoder;
        this.blockingExecutor = blockingExecutor;
        this.windowMonitor = windowMonitor;
        this.onEventLoop = onEventLoop;
        this.metrics = metrics;
    }

    @Override
    public void sessionBindRequested(Long sessionId, SmppSessionConfiguration config, BaseBind bind)
            throws SmppProcessingException {
        PduGuard.BindAttempt attempt = PduGuard.currentBind();
        if (attempt == null) { // every bind reaches ch-smpp through PduGuard, which has BindGate check it first
            throw new SmppProcessingException(SmppConstants.STATUS_SYSERR, "bind not checked");
        }
        CarrierConfig carrier = attempt.carrier;
        SocketAddress remote = attempt.channel.remoteAddress();
        BindType type = BindGate.bindType(bind);
        String typeName = type == null ? bind.getName() : type.configName();
        CarrierSessions.Reservation reservation = sessions.tryReserve(sessionId, carrier.id(), carrier.maxBinds(),
                serverConfig.maxConnections());
        if (reservation != CarrierSessions.Reservation.RESERVED) {
            String why = reservation == CarrierSessions.Reservation.MAX_BINDS
                    ? "max_binds " + carrier.maxBinds() + " reached"
                    : "max_connections " + serverConfig.maxConnections() + " reached (sessions of all carriers)";
            if (reservation == CarrierSessions.Reservation.MAX_CONNECTIONS) {
                metrics.connectionRefused(GatewayMetrics.REFUSED_MAX_CONNECTIONS);
            }
            refusedLines.warn(log, "bind refused: carrier={} type={} remote={}: {} (0x{})", carrier.id(), typeName,
                    remote, why, Integer.toHexString(SmppConstants.STATUS_BINDFAIL));
            throw new SmppProcessingException(SmppConstants.STATUS_BINDFAIL, why);
        }
        attempt.reservedSessionId = sessionId;
        pending.put(sessionId, carrier);

        // Per-session settings ch-smpp copies from this configuration when it creates the session.
        config.setName("smpp." + carrier.id() + "." + sessionId);
        config.setWindowSize(Math.max(1, carrier.windowSize()));
        config.setRequestExpiryTimeout(serverConfig.requestExpiry().toMillis());
        config.setWindowMonitorInterval(SmppGatewayServer.windowMonitorInterval(serverConfig));
        config.setWriteTimeout(WRITE_TIMEOUT_MS);
        LoggingOptions quiet = new LoggingOptions(); // ch-smpp logs every PDU at INFO by default: far too much
        quiet.setLogPdu(false);
        quiet.setLogBytes(false);
        config.setLoggingOptions(quiet);
    }

    @Override
    public void sessionCreated(Long sessionId, SmppServerSession serverSession, BaseBindResp preparedBindResponse)
            throws SmppProcessingException {
        CarrierConfig carrier = pending.remove(sessionId);
        if (carrier == null) {
            throw new SmppProcessingException(SmppConstants.STATUS_BINDFAIL, "bind was not approved");
        }
        PduGuard.BindAttempt attempt = PduGuard.currentBind();
        if (attempt != null) {
            attempt.sessionCreated = true;
        }
        DefaultSmppSession smpp = (DefaultSmppSession) serverSession;
        // ch-smpp renames the event-loop thread to the session's name around every read and read-complete: two
        // prctl() system calls per read, about 4% of the gateway's CPU at full receipt speed. Every log line of
        // ours names the carrier and session itself, so the renaming buys nothing.
        if (smpp.getChannel().pipeline().get(SmppChannelConstants.PIPELINE_SESSION_THREAD_RENAMER_NAME) != null) {
            smpp.getChannel().pipeline().remove(SmppChannelConstants.PIPELINE_SESSION_THREAD_RENAMER_NAME);
        }
        BindType type = toBindType(smpp.getBindType());
        SmppCarrierSession session = new SmppCarrierSession(sessionId, carrier, type, smpp, transcoder, onEventLoop);
        byId.put(sessionId, session);
        PduGuard guard = smpp.getChannel().pipeline().get(PduGuard.class);
        if (guard != null) {
            guard.holdUntilReady();
        }
        BoundSessionHandler handler = new BoundSessionHandler(session, receipts, submits, serverConfig.systemId(),
                serverConfig.requestExpiry());
        try {
            // serverReady writes the bind response and waits for the write: not on the event loop.
            blockingExecutor.execute(() -> completeBind(session, handler, guard, preparedBindResponse));
        } catch (RejectedExecutionException e) {
            byId.remove(sessionId);
            sessions.release(sessionId, session);
            throw new SmppProcessingException(SmppConstants.STATUS_SYSERR, "gateway is stopping");
        }
    }

    private void completeBind(SmppCarrierSession session, BoundSessionHandler handler, PduGuard guard,
                              BaseBindResp response) {
        try {
            if (!admitAcrossInstances(session, response)) {
                return;
            }
            session.smppSession().serverReady(handler); // bind_resp on the wire, reading resumed
            if (sessions.activate(session)) {
                sessionLines(session.carrierId()).info(log, "bound: carrier={} type={} remote={} session={}",
                        session.carrierId(),
                        session.bindType().configName(), session.remoteAddress(), session.id());
            }
            if (guard != null) {
                guard.ready(); // after activate: a receipt must never reach a session nobody was told about
            }
        } catch (RuntimeException e) {
            // Typically the server stopping under a bind in progress (its event loop already gone).
            log.warn("bind of carrier={} remote={} could not complete: {}", session.carrierId(),
                    session.remoteAddress(), e.toString());
            session.close();
        }
    }

    @Override
    public void sessionDestroyed(Long sessionId, SmppServerSession serverSession) {
        pending.remove(sessionId);
        SmppCarrierSession session = byId.remove(sessionId);
        if (session != null && admitted.remove(sessionId)) {
            endAdmission(session.carrierId(), sessionId);
        }
        try {
            sessions.release(sessionId, session);
        } catch (RuntimeException e) {
            // Runs inside ch-smpp's channelInactive, which would swallow it: say so loudly.
            log.error("releasing session {} failed", sessionId, e);
        }
        if (session != null) {
            sessionLines(session.carrierId()).info(log, "session closed: carrier={} type={} remote={} session={}: {}",
                    session.carrierId(),
                    session.bindType().configName(), session.remoteAddress(), session.id(), session.endReason());
        }
        // Stops the session's send-window check, which would otherwise run on until the window is garbage
        // collected ("Window was garbage collected"), one per closed session. Not destroy(): that also drops the
        // window's listeners, and a check in progress on the monitor thread (it takes expired submits out of the
        // window, then reports them one by one) would lose the rest, leaving those messages in flight for good.
        // Stopping it on the monitor's own single thread comes after any check in progress.
        if (serverSession instanceof DefaultSmppSession smpp) {
            try {
                windowMonitor.execute(smpp.getSendWindow()::stopMonitor);
            } catch (RejectedExecutionException e) {
                // The server is stopping: the monitor stops with it.
            }
        }
    }

    /**
     * The carrier-wide count: a bind that fit this process's max_binds must also fit the carrier's binds on every
     * instance. Refused, the prepared bind_resp goes out with the error status (ESME_RBINDFAIL over max_binds,
     * ESME_RSYSERR when the count cannot be read: a carrier retries a system error, and no instance can tell
     * whether the bind would fit) and the connection is closed. On the blocking executor: a database round trip.
     *
     * @return whether the bind goes on
     */
    private boolean admitAcrossInstances(SmppCarrierSession session, BaseBindResp response) {
        CarrierConfig carrier = session.carrier();
        BindAdmission.Verdict verdict = sessions.admission().admit(carrier.id(), session.id(), carrier.maxBinds());
        if (verdict == BindAdmission.Verdict.ADMITTED) {
            admitted.add(session.id());
            if (!byId.containsKey(session.id()) && admitted.remove(session.id())) {
                endAdmission(carrier.id(), session.id()); // closed while it was being admitted
            }
            return true;
        }
        boolean full = verdict == BindAdmission.Verdict.MAX_BINDS;
        int status = full ? SmppConstants.STATUS_BINDFAIL : SmppConstants.STATUS_SYSERR;
        String why = full ? "max_binds " + carrier.maxBinds() + " reached across the gateway instances"
                : "the binds of the other gateway instances cannot be counted (database unreachable?)";
        refusedLines.warn(log, "bind refused: carrier={} type={} remote={}: {} (0x{})", carrier.id(),
                session.bindType().configName(), session.remoteAddress(), why, Integer.toHexString(status));
        session.noteEndReason("bind refused: " + why);
        response.setCommandStatus(status);
        try {
            session.smppSession().sendResponsePdu(response);
        } catch (Exception e) {
            log.debug("bind_resp of a refused bind not sent: {}", e.toString());
        } finally {
            session.close();
        }
        return false;
    }

    private void endAdmission(String carrierId, long sessionId) {
        try {
            blockingExecutor.execute(() -> sessions.admission().ended(carrierId, sessionId));
        } catch (RejectedExecutionException e) {
            // Stopping: releasing the instance's lease frees all its binds at once.
        }
    }

    private LogRateLimit sessionLines(String carrierId) {
        return sessionLines.computeIfAbsent(carrierId, c -> new LogRateLimit());
    }

    /** After ch-smpp finished with a bind PDU: frees a slot reserved for a bind that never became a session. */
    void bindAttemptDone(PduGuard.BindAttempt attempt) {
        if (attempt.reservedSessionId != null && !attempt.sessionCreated) {
            pending.remove(attempt.reservedSessionId);
            sessions.release(attempt.reservedSessionId, null);
        }
    }

    private static BindType toBindType(com.cloudhopper.smpp.SmppBindType t) {
        return switch (t) {
            case TRANSCEIVER -> BindType.TRANSCEIVER;
            case RECEIVER -> BindType.RECEIVER;
            case TRANSMITTER -> BindType.TRANSMITTER;
        };
    }
}
