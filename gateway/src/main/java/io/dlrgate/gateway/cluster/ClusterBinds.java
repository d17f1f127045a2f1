package io.dlrgate.gateway.cluster;

import io.dlrgate.gateway.logging.LogRateLimit;
import io.dlrgate.gateway.smpp.BindAdmission;
import io.dlrgate.gateway.smpp.CarrierSession;
import io.dlrgate.gateway.smpp.SessionDirection;
import io.dlrgate.reporting.cluster.CarrierBindStore;
import io.dlrgate.reporting.message.Claimant;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carrier limits across the instances on one database: {@code max_binds} counted over every instance's binds
 * ({@link BindAdmission}, one database round trip per bind), and {@code max_submit_rate} split evenly among the
 * live instances that hold binds or outbound slots of the carrier ({@link SubmitShare}, no database round trip per
 * submit: the split is read at every heartbeat and after every bind this instance admits).
 *
 * <p>Joining without overshoot: the others learn of a new holder at their next heartbeat, up to one interval after
 * it bound. Until then they still send at their old, larger share; a newcomer that sent at once would push the
 * carrier's second over its rate. So an instance whose binds of a carrier are younger than {@link #joinGrace} (two
 * heartbeat intervals) while another instance held binds before it sends nothing for the carrier until the grace
 * is over and each of those instances had a heartbeat since it bound (a heartbeat delayed by load is waited for).
 * An instance that dies takes its share with it: the others go on at theirs (the carrier gets less than its rate)
 * until its lease runs out, then split the whole rate again.
 *
 * <p>Each instance sharing a carrier also leaves two submits a second of its share unused (see
 * {@code CarrierDispatcher.effectiveRate}): one instance's pacing can put two more than its rate in a second.
 */
public final class ClusterBinds implements BindAdmission, SubmitShare {

    private static final Logger log = LoggerFactory.getLogger(ClusterBinds.class);

    private final CarrierBindStore store;
    private final InstanceLease lease;
    private final Duration joinGrace;
    private final LogRateLimit failures = new LogRateLimit(3, Duration.ofMinutes(1));
    /** The lease id each admitted session's row was entered under (a lease lost and registered anew changes it). */
    private final Map<Long, Long> admittedUnder = new ConcurrentHashMap<>();
    private volatile Map<String, Double> shares = Map.of();
    private volatile Map<String, Integer> liveBinds = Map.of();
    /** {@link InstanceLease#lapses()} when this instance's binds were last counted again; lease thread only. */
    private long readmittedAt;

    public ClusterBinds(CarrierBindStore store, InstanceLease lease) {
        this.store = store;
        this.lease = lease;
        this.joinGrace = lease.heartbeatInterval().multipliedBy(2);
    }

    @Override
    public Verdict admit(String carrierId, long sessionId, int maxBinds) {
        long id = lease.instanceId();
        if (id == Claimant.NO_LEASE) {
            failures.warn(log, "bind of carrier {} refused: this instance's lease may have run out (the database "
                    + "unreachable?), its binds would not count", carrierId);
            return Verdict.UNAVAILABLE;
        }
        try {
            CarrierBindStore.Admission a = store.admit(id, carrierId, sessionId, maxBinds);
            switch (a) {
                case ADMITTED -> {
                    admittedUnder.put(sessionId, id);
                    refreshShares(); // before the bind_resp: the first submit already goes at the right share
                    return Verdict.ADMITTED;
                }
                case MAX_BINDS -> {
                    return Verdict.MAX_BINDS;
                }
                default -> {
                    return Verdict.UNAVAILABLE;
                }
            }
        } catch (SQLException | RuntimeException e) {
            failures.warn(log, "bind of carrier {} refused: cannot count its binds across the instances ({})",
                    carrierId, e.toString());
            return Verdict.UNAVAILABLE;
        }
    }

    @Override
    public void ended(String carrierId, long sessionId) {
        Long under = admittedUnder.remove(sessionId);
        if (under == null) {
            return;
        }
        try {
            store.forget(under, sessionId);
        } catch (SQLException | RuntimeException e) {
            // The next heartbeat's prune removes it; meanwhile it still counts against max_binds.
            failures.warn(log, "session {} of carrier {} ended but its bind could not be removed from the count "
                    + "across instances ({}); retried at the next heartbeat", sessionId, carrierId, e.toString());
        }
    }

    /**
     * At every heartbeat: counts this instance's binds again after its lease lapsed ({@link #readmit}), removes its
     * binds whose session ended but whose removal failed, and reads the rate split again.
     *
     * @param openSessions the inbound sessions bound or being bound here now
     * @param bound        the sessions bound here now (inbound and outbound; the inbound ones count), in bind order
     */
    public void heartbeat(Supplier<List<Long>> openSessions, Supplier<List<CarrierSession>> bound) {
        long id = lease.instanceId();
        if (id == Claimant.NO_LEASE) {
            return;
        }
        long lapses = lease.lapses();
        if (lapses != readmittedAt && readmit(id, bound.get())) {
            readmittedAt = lapses;
        }
        try {
            List<Long> open = new ArrayList<>(openSessions.get());
            int pruned = store.prune(id, open, joinGrace);
            if (pruned > 0) {
                log.info("instance {}: removed {} binds of ended sessions from the count across instances", id,
                        pruned);
            }
            liveBinds = store.liveBinds();
        } catch (SQLException | RuntimeException e) {
            failures.warn(log, "instance {}: cannot update its binds across instances ({})", id, e.toString());
        }
        refreshShares();
    }

    /**
     * After the lease lapsed (a long GC pause, the database out of reach) its binds stopped counting across the
     * instances: a lease run out counts nothing, and a survivor that took the instance over removed its rows. The
     * others may have admitted binds in their place meanwhile. So each carrier's bound sessions here are entered
     * again under the lease held now, the oldest first, as far as {@code max_binds} leaves room; those that find
     * none are closed (the carrier binds them again, to whichever instance has room): the carrier never has more
     * binds than {@code max_binds} for longer than the lapse.
     *
     * @return whether every carrier was counted again (else: tried again at the next heartbeat)
     */
    private boolean readmit(long id, List<CarrierSession> bound) {
        Map<String, List<CarrierSession>> byCarrier = new LinkedHashMap<>();
        bound.stream().filter(s -> s.direction() == SessionDirection.IN)
                .forEach(s -> byCarrier.computeIfAbsent(s.carrierId(), k -> new ArrayList<>()).add(s));
        boolean done = true;
        for (Map.Entry<String, List<CarrierSession>> e : byCarrier.entrySet()) {
            List<CarrierSession> sessions = e.getValue();
            try {
                List<Long> refused = store.readmit(id, e.getKey(), sessions.stream().map(CarrierSession::id).toList(),
                        sessions.get(0).carrier().maxBinds());
                if (refused == null) {
                    done = false;
                    continue;
                }
                for (CarrierSession s : sessions) {
                    if (refused.contains(s.id())) {
                        admittedUnder.remove(s.id());
                        s.close();
                    } else {
                        admittedUnder.computeIfPresent(s.id(), (k, v) -> id);
                    }
                }
                log.warn("instance {}: lease lapsed; {} binds of carrier {} counted again across instances{}", id,
                        sessions.size() - refused.size(), e.getKey(), refused.isEmpty() ? ""
                                : ", " + refused.size() + " closed (max_binds taken by other instances meanwhile)");
            } catch (SQLException | RuntimeException ex) {
                done = false;
                failures.warn(log, "instance {}: cannot count the binds of carrier {} again after its lease lapsed "
                        + "({}); retried at the next heartbeat", id, e.getKey(), ex.toString());
            }
        }
        return done;
    }

    /** Reads the live holders of every carrier and works out this instance's share of each one's rate. */
    void refreshShares() {
        long me = lease.instanceId();
        if (me == Claimant.NO_LEASE) {
            return;
        }
        try {
            CarrierBindStore.Holders h = store.holders();
            Map<String, List<CarrierBindStore.Holder>> byCarrier = new HashMap<>();
            h.holders().forEach(x -> byCarrier.computeIfAbsent(x.carrier(), k -> new ArrayList<>()).add(x));
            Map<String, Double> out = new HashMap<>();
            byCarrier.forEach((carrier, holders) -> out.put(carrier, share(me, holders, h.now())));
            shares = Map.copyOf(out);
        } catch (SQLException | RuntimeException e) {
            failures.warn(log, "instance {}: cannot read the rate split across instances ({}); keeping the last "
                    + "one", me, e.toString());
        }
    }

    private double share(long me, List<CarrierBindStore.Holder> holders, Instant now) {
        CarrierBindStore.Holder mine = holders.stream().filter(x -> x.instance() == me).findFirst().orElse(null);
        if (mine == null) {
            return 1.0 / (holders.size() + 1); // no binds here (yet): the share it would have
        }
        List<CarrierBindStore.Holder> before = holders.stream()
                .filter(x -> x.instance() != me && x.since().isBefore(mine.since())).toList();
        // Wait until every instance that held binds before has had a heartbeat since (it lowers its share right
        // after it), and two intervals in any case: a heartbeat seen here may still be reading the split.
        boolean othersLowered = before.stream().allMatch(x -> x.heartbeat().isAfter(mine.since()));
        if (!before.isEmpty() && (!othersLowered || mine.since().plus(joinGrace).isAfter(now))) {
            return 0;
        }
        return 1.0 / holders.size();
    }

    @Override
    public double of(String carrierId) {
        Double s = shares.get(carrierId);
        // Not read yet (the database was unreachable right after the bind): a cautious even split.
        return s != null ? s : 1.0 / Math.max(1, lease.liveInstances());
    }

    /** Inbound binds of the carrier on every live instance, as of the last heartbeat. */
    public int liveBinds(String carrierId) {
        return liveBinds.getOrDefault(carrierId, 0);
    }
}
