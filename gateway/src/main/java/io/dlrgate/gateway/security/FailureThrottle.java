package io.dlrgate.gateway.security;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows down and then locks out password guessing: failed credential checks per source address and per
 * (source address, user name), with a growing delay and a lockout. Pure (no I/O, no timers): the caller asks
 * before checking a credential whether the address is locked out, reports the outcome, and itself waits the delay
 * returned for a failure before answering (without blocking a thread: a timer).
 *
 * <ul>
 *   <li><b>Delay</b>, per (address, user): the n-th failure in a row waits {@code firstDelay * 2^(n-1)}, at most
 *       {@code maxDelay}. A success for that user from that address resets it; so does a quiet spell of
 *       {@code window + lockout}.</li>
 *   <li><b>Lockout</b>, per address: {@code limit} failures within a sliding {@code window} lock the address out for
 *       {@code lockout}; while locked, attempts are refused without checking the credential and are not counted.
 *       A success from the address forgets its failures. Another address is never held up.</li>
 * </ul>
 *
 * <p>Memory is bounded: at most {@code maxKeys} addresses and {@code maxKeys} (address, user) pairs are tracked;
 * beyond that the least recently seen are forgotten, and entries idle for longer than {@code window + lockout} are
 * dropped as calls go by. User names are cut to {@link #MAX_USER_CHARS} characters for the key. Forgetting an entry
 * only ever lets a guesser start afresh, never locks anyone out wrongly.
 *
 * <p>Thread-safe: every method holds this object's lock for a few map operations (no I/O under the lock).
 */
public final class FailureThrottle {

    /** Longer names are keyed by their prefix: a peer cannot make one entry cost kilobytes. */
    public static final int MAX_USER_CHARS = 128;

    /**
     * @param limit      failures from one address within {@code window} that start a lockout
     * @param window     the sliding window the failures are counted in
     * @param lockout    how long a locked-out address is refused
     * @param firstDelay the delay after the first failure of a (address, user) pair; it doubles with each further one
     * @param maxDelay   the cap of that delay
     * @param maxKeys    how many addresses (and, separately, how many pairs) are tracked at most
     */
    public record Policy(int limit, Duration window, Duration lockout, Duration firstDelay, Duration maxDelay,
                         int maxKeys) {

        public static final Duration DEFAULT_FIRST_DELAY = Duration.ofMillis(100);
        public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(5);
        /** 10,000 addresses of ~200 bytes each: a couple of MB at worst, far more than honest clients ever need. */
        public static final int DEFAULT_MAX_KEYS = 10_000;

        public Policy {
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be at least 1: " + limit);
            }
            requirePositive("window", window);
            requirePositive("lockout", lockout);
            requirePositive("firstDelay", firstDelay);
            if (maxDelay.compareTo(firstDelay) < 0) {
                throw new IllegalArgumentException("maxDelay " + maxDelay + " is shorter than firstDelay " + firstDelay);
            }
            if (maxKeys < 1) {
                throw new IllegalArgumentException("maxKeys must be at least 1: " + maxKeys);
            }
        }

        /** The given limit, window and lockout with a delay of 100 ms doubling up to 5 s, 10,000 keys. */
        public static Policy of(int limit, Duration window, Duration lockout) {
            return new Policy(limit, window, lockout, DEFAULT_FIRST_DELAY, DEFAULT_MAX_DELAY, DEFAULT_MAX_KEYS);
        }

        private static void requirePositive(String name, Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
        }
    }

    /**
     * What a failure costs.
     *
     * @param delay          how long to wait before answering this failure
     * @param lockoutStarted this failure locked the address out (log it once, here)
     * @param lockedFor      how long the address is now locked out ({@link Duration#ZERO} when it is not)
     */
    public record Failure(Duration delay, boolean lockoutStarted, Duration lockedFor) {
    }

    /** An address's recent failure times (a ring of the last {@code limit}) and its lockout. */
    private static final class AddressState {
        final long[] failures; // epoch millis
        int next;
        int count;
        long lockedUntil;
        long lastSeen;

        AddressState(int limit) {
            failures = new long[limit];
        }
    }

    /** A (address, user) pair's failures in a row. */
    private static final class PairState {
        int streak;
        long lastSeen;
    }

    private final Policy policy;
    private final Clock clock;
    private final long idleMillis;
    // Access order: the eldest entry is the least recently seen, so the cap and the idle purge both work from the head.
    private final LinkedHashMap<String, AddressState> addresses;
    private final LinkedHashMap<String, PairState> pairs;

    public FailureThrottle(Policy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
        this.idleMillis = policy.window().plus(policy.lockout()).toMillis();
        this.addresses = boundedMap(policy.maxKeys());
        this.pairs = boundedMap(policy.maxKeys());
    }

    private static <V> LinkedHashMap<String, V> boundedMap(int maxKeys) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /** The limits this throttle applies (for log lines that state them). */
    public Policy policy() {
        return policy;
    }

    /** How much longer {@code address} is locked out; {@link Duration#ZERO} when it may try. */
    public synchronized Duration lockedFor(String address) {
        long now = clock.millis();
        purgeIdle(now);
        AddressState a = addresses.get(address);
        return a == null || a.lockedUntil <= now ? Duration.ZERO : Duration.ofMillis(a.lockedUntil - now);
    }

    /** Records a failed credential check of {@code user} from {@code address}. */
    public synchronized Failure recordFailure(String address, String user) {
        long now = clock.millis();
        purgeIdle(now);
        PairState p = pairs.computeIfAbsent(pairKey(address, user), k -> new PairState());
        p.streak = Math.min(p.streak + 1, 63); // 2^62 ms is beyond any cap; the bound keeps the shift defined
        p.lastSeen = now;
        AddressState a = addresses.computeIfAbsent(address, k -> new AddressState(policy.limit()));
        a.lastSeen = now;
        boolean started = false;
        if (a.lockedUntil <= now) {
            a.failures[a.next] = now;
            a.next = (a.next + 1) % a.failures.length;
            a.count = Math.min(a.count + 1, a.failures.length);
            // The ring is full and its oldest entry (the one next overwrites) is within the window: limit failures.
            if (a.count == a.failures.length && now - a.failures[a.next] < policy.window().toMillis()) {
                a.lockedUntil = now + policy.lockout().toMillis();
                a.count = 0;
                started = true;
            }
        }
        Duration locked = a.lockedUntil <= now ? Duration.ZERO : Duration.ofMillis(a.lockedUntil - now);
        return new Failure(delay(p.streak), started, locked);
    }

    /** Records a successful check of {@code user} from {@code address}: forgets the address's failures and the pair's. */
    public synchronized void recordSuccess(String address, String user) {
        purgeIdle(clock.millis());
        pairs.remove(pairKey(address, user));
        AddressState a = addresses.get(address);
        if (a != null && a.lockedUntil <= clock.millis()) {
            addresses.remove(address);
        }
    }

    /** How many addresses and pairs are tracked now (for tests and a gauge). */
    public synchronized int trackedKeys() {
        return addresses.size() + pairs.size();
    }

    private Duration delay(int streak) {
        long first = policy.firstDelay().toMillis();
        long max = policy.maxDelay().toMillis();
        // first << (streak - 1), without overflowing: stop doubling once past the cap.
        long d = first;
        for (int i = 1; i < streak && d < max; i++) {
            d *= 2;
        }
        return Duration.ofMillis(Math.min(d, max));
    }

    /** Drops the least recently seen entries while they have been idle longer than window + lockout. */
    private void purgeIdle(long now) {
        for (Iterator<AddressState> it = addresses.values().iterator(); it.hasNext(); ) {
            // A lockout ends within lockout of the last failure, so an entry idle this long is never locked.
            if (now - it.next().lastSeen <= idleMillis) {
                break;
            }
            it.remove();
        }
        for (Iterator<PairState> it = pairs.values().iterator(); it.hasNext(); ) {
            if (now - it.next().lastSeen <= idleMillis) {
                break;
            }
            it.remove();
        }
    }

    private static String pairKey(String address, String user) {
        String u = user == null ? "" : user.length() > MAX_USER_CHARS ? user.substring(0, MAX_USER_CHARS) : user;
        return address + '\u0000' + u;
    }
}
