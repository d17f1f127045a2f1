package io.dlrgate.gateway.cluster;

import io.dlrgate.config.ClusterConfig;
import io.dlrgate.gateway.logging.LogRateLimit;
import io.dlrgate.reporting.cluster.InstanceStore;
import io.dlrgate.reporting.message.Claimant;
import java.net.InetAddress;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This gateway instance's lease on the shared database: registered at start, renewed every
 * {@code cluster.heartbeat_interval}, released at a clean stop. Each renewal also takes over instances whose lease
 * ran out (their in-flight messages go back to the queue, once). Claims are marked with {@link #instanceId()}.
 *
 * <p>Losing the lease. The lease is held, as far as this process knows, until a heartbeat interval before it would
 * run out, counted from the moment the last successful heartbeat was sent (monotonic time, never later than the
 * database's own expiry). Past that, while heartbeats fail (a long GC pause, the database unreachable),
 * {@link #instanceId()} answers {@link Claimant#NO_LEASE}: the dispatchers claim nothing and write no submit, since
 * a survivor may requeue (and resend) what this instance holds. When a heartbeat gets through again, either the
 * lease was renewed in time (no survivor took it over: the instance simply goes on, its in-flight messages were
 * never requeued), or it was taken over: the instance registers anew under a new id, and what it claimed under
 * the old one (requeued by the survivor) is never written by it (the dispatchers compare the id they claimed under).
 * Either way its carrier binds did not count across the instances meanwhile: {@link #lapses()} tells
 * {@link ClusterBinds} to count them again.
 */
public final class InstanceLease implements Claimant, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InstanceLease.class);
    /** Released instances are forgotten after this: one row per start would otherwise pile up. */
    static final Duration FORGET_AFTER = Duration.ofDays(7);

    private final InstanceStore store;
    private final Duration heartbeat;
    private final Duration lease;
    private final LongSupplier nanos;
    private final String host;
    private final long pid;
    private final ScheduledExecutorService timer;
    private final LogRateLimit failures = new LogRateLimit(3, Duration.ofMinutes(1));
    private volatile long id = NO_LEASE;
    private volatile long heldUntilNanos;
    private volatile int liveInstances;
    /** Heartbeats that got through after the lease may have run out (renewed late, or registered anew). */
    private volatile long lapses;
    /** The database's time of this instance's last heartbeat: what a takeover may compare leases with. */
    private Instant aliveSince;
    private boolean closed;
    /** Run on the lease thread after each heartbeat that renewed the lease (or registered it anew). */
    private final List<Runnable> afterHeartbeat = new CopyOnWriteArrayList<>();

    private InstanceLease(InstanceStore store, ClusterConfig config, LongSupplier nanos) {
        this.store = store;
        this.heartbeat = config.heartbeatInterval();
        this.lease = config.leaseTimeout();
        this.nanos = nanos;
        this.host = hostName();
        this.pid = ProcessHandle.current().pid();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dlrgate-lease");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Registers this instance, takes over what dead instances left in flight, and starts the heartbeats. Fails when
     * the database refuses: an instance without a lease must not dispatch.
     */
    public static InstanceLease start(InstanceStore store, ClusterConfig config) throws SQLException {
        return start(store, config, System::nanoTime);
    }

    /** @param nanos a monotonic clock in nanoseconds, like {@link System#nanoTime()} (tests pass a fake one) */
    static InstanceLease start(InstanceStore store, ClusterConfig config, LongSupplier nanos) throws SQLException {
        InstanceLease l = new InstanceLease(store, config, nanos);
        l.register();
        int forgotten = store.forgetReleased(FORGET_AFTER);
        if (forgotten > 0) {
            log.info("forgot {} instances released more than {} ago", forgotten, FORGET_AFTER.toDays() + "d");
        }
        // At start, whatever ran out before now is dead: a fresh instance has no previous heartbeat to wait for.
        l.takeOver(null);
        l.liveInstances = store.countLive();
        long every = config.heartbeatInterval().toMillis();
        l.timer.scheduleWithFixedDelay(l::tick, every, every, TimeUnit.MILLISECONDS);
        return l;
    }

    /** The id claims are marked with now; {@link Claimant#NO_LEASE} while the lease may have run out. */
    @Override
    public long instanceId() {
        return nanos.getAsLong() - heldUntilNanos < 0 ? id : NO_LEASE;
    }

    /** Whether claims made under {@code claimedUnder} may still be written: the same lease, still held. */
    public boolean holds(long claimedUnder) {
        return claimedUnder != NO_LEASE && instanceId() == claimedUnder;
    }

    /**
     * Runs {@code task} on the lease's thread after every heartbeat that got through: the cluster-wide counts
     * (binds, outbound slots, rate shares) are refreshed at the lease's pace. A task must not block for long: the
     * next heartbeat waits for it.
     */
    public void afterHeartbeat(Runnable task) {
        afterHeartbeat.add(task);
    }

    /** The lease's heartbeat interval: how soon every other instance has seen a change made now. */
    public Duration heartbeatInterval() {
        return heartbeat;
    }

    /**
     * How many times a heartbeat got through after the lease may have run out: renewed late, or registered anew
     * after a takeover. Meanwhile the other instances may have stopped counting this one's carrier binds (a lease
     * run out counts nothing; a takeover removes its rows) and admitted binds in their place: whatever this
     * instance holds must be counted again ({@link ClusterBinds}). Changes on the lease thread only, before the
     * {@link #afterHeartbeat} tasks run.
     */
    public long lapses() {
        return lapses;
    }

    /** Instances with a live lease, this one included, as of the last heartbeat. */
    public int liveInstances() {
        return liveInstances;
    }

    private void register() throws SQLException {
        long sentAt = nanos.getAsLong();
        long newId = store.register(host, pid, lease);
        heldUntilNanos = sentAt + heldFor();
        aliveSince = null;
        id = newId;
        log.info("instance {} registered (host {}, pid {}): heartbeat every {} ms, lease {} ms", newId, host, pid,
                heartbeat.toMillis(), lease.toMillis());
    }

    /** Held until one heartbeat interval before the database's expiry: the margin for a check just before a write. */
    private long heldFor() {
        return lease.minus(heartbeat).toNanos();
    }

    /** One heartbeat: renews the lease (or registers anew if taken over), takes over dead instances. */
    synchronized void tick() {
        if (closed) {
            return;
        }
        try {
            long sentAt = nanos.getAsLong();
            long current = id;
            boolean lapsed = sentAt - heldUntilNanos >= 0;
            Optional<Instant> previous = store.heartbeat(current, lease);
            if (previous.isEmpty()) {
                // Taken over: what this instance had in flight was requeued by a survivor. Nothing claimed under the
                // old id is written any more (instanceId() changes); claims go on under a new one.
                id = NO_LEASE;
                log.warn("instance {}: lease lost (another instance took over its in-flight messages after the "
                        + "lease ran out); registering anew", current);
                register();
                lapses++;
            } else {
                heldUntilNanos = sentAt + heldFor();
                if (lapsed) {
                    lapses++;
                }
                Instant since = aliveSince;
                aliveSince = previous.get();
                if (since != null) {
                    takeOver(since);
                }
            }
            liveInstances = store.countLive();
        } catch (SQLException | RuntimeException e) {
            failures.warn(log, "instance {}: cannot renew the lease ({}); without a renewal it stops dispatching "
                    + "{} ms after the last one", id, e.toString(), heldFor() / 1_000_000);
            return;
        }
        for (Runnable task : afterHeartbeat) {
            try {
                task.run();
            } catch (RuntimeException e) {
                failures.warn(log, "instance {}: after the heartbeat: {}", id, e.toString());
            }
        }
    }

    /** @param aliveSince this instance's previous heartbeat; null at start (any lease run out counts) */
    private void takeOver(Instant aliveSince) throws SQLException {
        InstanceStore.Takeover t = store.takeOverDead(id, aliveSince);
        if (!t.instances().isEmpty()) {
            log.warn("instance {}: took over instances {} (lease ran out): {} in-flight messages requeued", id,
                    t.instances(), t.requeued());
        }
    }

    /**
     * Stops the heartbeats and releases the lease, requeueing what this instance still has in flight. Called after
     * the stop drained the submits and stored the outcomes: only what was never answered is left.
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        timer.shutdownNow();
        long current = id;
        id = NO_LEASE;
        if (current == NO_LEASE) {
            return;
        }
        try {
            int requeued = store.release(current);
            log.info("instance {} released its lease{}", current,
                    requeued == 0 ? "" : "; " + requeued + " messages still in flight requeued");
        } catch (SQLException e) {
            log.warn("instance {}: cannot release the lease ({}); other instances requeue its in-flight messages "
                    + "once it runs out", current, e.getMessage());
        }
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
