package io.dlrgate.gateway.smpp;

import io.dlrgate.config.BindType;
import io.dlrgate.gateway.metrics.BoundSessions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Which carrier sessions are bound, per carrier and bind type, and who wants to hear about binds and closes.
 *
 * <p>A bind takes a slot in two steps: {@link #tryReserve} while the bind is being checked (so two binds racing
 * on different event loops cannot both get the last slot), {@link #activate} once the bind response is written.
 * {@link #release} frees the slot whichever step the session reached. Reads are lock-free.
 */
public final class CarrierSessions implements BoundSessions {

    /** @param outbound the gateway bound out to the carrier: counts against neither max_binds nor max_connections */
    private record Slot(String carrierId, SmppCarrierSession session, boolean outbound) {

        boolean inboundOf(String id) {
            return !outbound && carrierId.equals(id);
        }
    }

    private final Object lock = new Object();
    // Guarded by lock: every bind slot taken, reserved or active, by session id.
    private final Map<Long, Slot> slots = new HashMap<>();
    // Active (bind response written, reported to listeners) sessions per carrier; copy-on-write for lock-free reads.
    private final Map<String, CopyOnWriteArrayList<CarrierSession>> active = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<CarrierSessionListener> listeners = new CopyOnWriteArrayList<>();
    /** Set by {@link #drain}: a session that binds after it takes no submits either. */
    private volatile boolean draining;
    private final BindAdmission admission;

    /** A registry for one process alone: max_binds counts this process's binds. */
    public CarrierSessions() {
        this(BindAdmission.LOCAL);
    }

    /** @param admission counts binds across instances too: a bind must fit both this process's count and it */
    public CarrierSessions(BindAdmission admission) {
        this.admission = admission;
    }

    BindAdmission admission() {
        return admission;
    }

    /** Ids of the inbound sessions bound or being bound here: what this process holds of every carrier's binds. */
    public List<Long> inboundSessionIds() {
        synchronized (lock) {
            List<Long> out = new ArrayList<>();
            slots.forEach((id, slot) -> {
                if (!slot.outbound()) {
                    out.add(id);
                }
            });
            return out;
        }
    }

    /** Adds a listener for binds and closes; see {@link CarrierSessionListener} for the guarantees. */
    public void addListener(CarrierSessionListener listener) {
        listeners.add(listener);
    }

    public void removeListener(CarrierSessionListener listener) {
        listeners.remove(listener);
    }

    /** Bound sessions of this carrier that take submit_sm (receiver or transceiver), in bind order. */
    public List<CarrierSession> submitCapable(String carrierId) {
        List<CarrierSession> out = new ArrayList<>();
        for (CarrierSession s : sessions(carrierId)) {
            if (s.bindType().takesSubmits() && s.isBound()) {
                out.add(s);
            }
        }
        return out;
    }

    /** Every active session of this carrier (a closing one may still appear until its close is processed). */
    public List<CarrierSession> sessions(String carrierId) {
        CopyOnWriteArrayList<CarrierSession> list = active.get(carrierId);
        return list == null ? List.of() : List.copyOf(list);
    }

    /** Every active session of every carrier. */
    public List<CarrierSession> all() {
        List<CarrierSession> out = new ArrayList<>();
        active.values().forEach(out::addAll);
        return out;
    }

    /** Bound sessions of this carrier. */
    public int boundCount(String carrierId) {
        return (int) sessions(carrierId).stream().filter(CarrierSession::isBound).count();
    }

    /** Bound sessions of this carrier per bind type (every type present, zero where none). */
    public Map<BindType, Integer> boundCounts(String carrierId) {
        Map<BindType, Integer> out = new EnumMap<>(BindType.class);
        for (BindType t : BindType.values()) {
            out.put(t, 0);
        }
        for (CarrierSession s : sessions(carrierId)) {
            if (s.isBound()) {
                out.merge(s.bindType(), 1, Integer::sum);
            }
        }
        return out;
    }

    @Override
    public int boundCount(String carrierId, boolean outbound, BindType type) {
        SessionDirection direction = outbound ? SessionDirection.OUT : SessionDirection.IN;
        int n = 0;
        for (CarrierSession s : sessions(carrierId)) {
            if (s.isBound() && s.direction() == direction && s.boundAs() == type) {
                n++;
            }
        }
        return n;
    }

    @Override
    public long windowInUse(String carrierId) {
        return window(carrierId, false);
    }

    @Override
    public long windowSize(String carrierId) {
        return window(carrierId, true);
    }

    private long window(String carrierId, boolean size) {
        long n = 0;
        for (CarrierSession s : sessions(carrierId)) {
            // ch-smpp's own bound state, not isBound(): a session whose carrier is unbinding still has its
            // submits in flight.
            if (s.smppSession().isBound() && s.bindType().takesSubmits()) {
                var w = s.smppSession().getSendWindow();
                n += size ? w.getMaxSize() : w.getSize();
            }
        }
        return n;
    }

    /**
     * The first step of the gateway's stop: every session, and any that binds from now on, stops taking submits
     * ({@link CarrierSession#drain}) while its connection stays open for the answers and receipts. Then the
     * dispatchers' loops end, and {@link #awaitEmptyWindows} lets the answers come before anything is unbound.
     */
    public void drain() {
        draining = true;
        all().forEach(CarrierSession::drain);
    }

    /**
     * Waits up to {@code maxWait} for every open session's send window to empty, the answers being taken and
     * stored as usual meanwhile. Unbinding before that resends submits the carrier may have taken: an unbind is
     * answered at once while submit_sm_resps come later, and the close that follows it requeues what is still in
     * the window. Blocks: never on an event loop.
     *
     * @return the requests still unanswered when the wait ended (their sessions' close requeues the submits)
     */
    public int awaitEmptyWindows(Duration maxWait) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        int open;
        while ((open = unanswered()) > 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(DRAIN_POLL_MS);
        }
        return open;
    }

    private static final long DRAIN_POLL_MS = 10;

    /** Requests in the send windows of all open sessions (a closed session's window was emptied by its close). */
    private int unanswered() {
        int n = 0;
        for (CarrierSession s : all()) {
            n += s.smppSession().getSendWindow().getSize();
        }
        return n;
    }

    /** Bound sessions per carrier id, for carriers with at least one active session. */
    public Map<String, Integer> boundCountsByCarrier() {
        Map<String, Integer> out = new HashMap<>();
        for (String carrierId : active.keySet()) {
            int n = boundCount(carrierId);
            if (n > 0) {
                out.put(carrierId, n);
            }
        }
        return out;
    }

    /** Slots taken by this carrier: sessions bound or being bound. What the bind limit counts. */
    int slotsTaken(String carrierId) {
        synchronized (lock) {
            return (int) slots.values().stream().filter(s -> s.inboundOf(carrierId)).count();
        }
    }

    /** What {@link #tryReserve} did. */
    enum Reservation {
        RESERVED,
        /** the carrier has max_binds slots taken */
        MAX_BINDS,
        /** all carriers together have smpp.max_connections slots taken */
        MAX_CONNECTIONS
    }

    /**
     * Takes a bind slot for this session if the carrier has fewer than {@code maxBinds} taken and all carriers
     * together fewer than {@code maxSessions}.
     */
    Reservation tryReserve(long sessionId, String carrierId, int maxBinds, int maxSessions) {
        synchronized (lock) {
            if (slots.values().stream().filter(s -> !s.outbound()).count() >= maxSessions) {
                return Reservation.MAX_CONNECTIONS;
            }
            long taken = slots.values().stream().filter(s -> s.inboundOf(carrierId)).count();
            if (taken >= maxBinds) {
                return Reservation.MAX_BINDS;
            }
            slots.put(sessionId, new Slot(carrierId, null, false));
            return Reservation.RESERVED;
        }
    }

    /**
     * Makes a reserved session visible and reports it bound. Returns false (and reports nothing) when the
     * session was released in the meantime, i.e. it closed before its bind completed.
     */
    boolean activate(SmppCarrierSession session) {
        synchronized (lock) {
            Slot slot = slots.get(session.id());
            if (slot == null || session.isClosed()) {
                return false;
            }
            slots.put(session.id(), new Slot(slot.carrierId(), session, slot.outbound()));
            active.computeIfAbsent(session.carrierId(), k -> new CopyOnWriteArrayList<>()).add(session);
        }
        if (draining) { // read after the add: drain() either sees this session or this sees its flag
            session.drain();
        }
        // Outside the registry lock: listeners may look the registry up. The session's own lock orders the
        // bound report before any close report.
        return session.reportBound(listeners);
    }

    /**
     * Takes a slot for a session the gateway is about to bind out to a carrier's SMSC: before its channel's close
     * can be seen, so that {@link #release} always comes after it (were the slot taken once the bind succeeded,
     * an SMSC closing right after its bind_resp could have the release run first and the slot stay forever).
     * It counts against neither max_binds nor max_connections: those limit what carriers open to the gateway's
     * server, while the number of outbound binds is the carrier's {@code connect.sessions}. Once bound, the
     * session is entered with {@link #activate}, like an inbound one.
     */
    void reserveOutbound(long sessionId, String carrierId) {
        synchronized (lock) {
            slots.put(sessionId, new Slot(carrierId, null, true));
        }
    }

    /** Slots taken, inbound and outbound, reserved or active: for tests. */
    int slotCount() {
        synchronized (lock) {
            return slots.size();
        }
    }

    /** Frees the session's slot (reserved or active) and, if it was reported bound, reports it closed. */
    void release(long sessionId, SmppCarrierSession sessionOrNull) {
        synchronized (lock) {
            Slot slot = slots.remove(sessionId);
            SmppCarrierSession s = sessionOrNull != null ? sessionOrNull : slot == null ? null : slot.session();
            if (s != null) {
                CopyOnWriteArrayList<CarrierSession> list = active.get(s.carrierId());
                if (list != null) {
                    list.remove(s);
                }
            }
        }
        if (sessionOrNull != null) {
            sessionOrNull.reportClosed(listeners);
        }
    }
}
