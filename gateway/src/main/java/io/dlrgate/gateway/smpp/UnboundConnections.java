package io.dlrgate.gateway.smpp;

import io.dlrgate.gateway.metrics.GatewayMetrics;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The budget of connections that have not bound yet: a small one of their own, apart from the bound sessions
 * ({@code smpp.max_connections}), and at most a few from any one source address.
 *
 * <p>Why: anyone who can reach the port can open a connection, and an unbound connection holds its place until
 * its bind timer runs out. With one budget for everyone, a stranger reopening connections kept a good carrier
 * from binding at all. Now strangers can only use up this budget, never a carrier's bound slot, and one source
 * address can hold at most {@code maxPerAddress} of it, so a flood from one address leaves room for a carrier
 * binding from another. (Many addresses together can still fill it: that is what {@code allowed_ips} is for.)
 *
 * <p>Thread-safe; one lock, held for a map update per connection opened or bound or closed. The map holds only
 * addresses with unbound connections now, so it never has more than {@code max} entries.
 */
final class UnboundConnections {

    /** What {@link #admit} answers: a {@link Ticket}, or the {@link Refusal} to close the connection for. */
    sealed interface Admission permits Ticket, Refusal {
    }

    /** Why a connection was refused: also the {@code reason} label of the refusal counter. */
    enum Refusal implements Admission {
        MAX_UNBOUND(GatewayMetrics.REFUSED_MAX_UNBOUND),
        MAX_UNBOUND_PER_ADDRESS(GatewayMetrics.REFUSED_MAX_UNBOUND_PER_ADDRESS);

        final String reason;

        Refusal(String reason) {
            this.reason = reason;
        }
    }

    /** One admitted connection's place: given back once, when it binds or closes, whichever comes first. */
    final class Ticket implements Admission {
        private final InetAddress from;
        private final AtomicBoolean released = new AtomicBoolean();

        private Ticket(InetAddress from) {
            this.from = from;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                leave(from);
            }
        }
    }

    private final int max;
    private final int maxPerAddress;
    private int open; // guarded by this
    private final Map<InetAddress, Integer> perAddress = new HashMap<>(); // guarded by this

    UnboundConnections(int max, int maxPerAddress) {
        if (max < 1 || maxPerAddress < 1) {
            throw new IllegalArgumentException("limits must be at least 1: " + max + ", " + maxPerAddress);
        }
        this.max = max;
        this.maxPerAddress = maxPerAddress;
    }

    int max() {
        return max;
    }

    int maxPerAddress() {
        return maxPerAddress;
    }

    /**
     * Admits a new connection from {@code from} (null when unknown: counted as one address of its own), or says
     * why not. An admitted connection holds its place until its ticket is released.
     */
    synchronized Admission admit(InetAddress from) {
        if (open >= max) {
            return Refusal.MAX_UNBOUND;
        }
        int fromThere = perAddress.getOrDefault(from, 0);
        if (fromThere >= maxPerAddress) {
            return Refusal.MAX_UNBOUND_PER_ADDRESS;
        }
        open++;
        perAddress.put(from, fromThere + 1);
        return new Ticket(from);
    }

    /** Unbound connections open now. */
    synchronized int open() {
        return open;
    }

    /** Unbound connections open now from this address. */
    synchronized int open(InetAddress from) {
        return perAddress.getOrDefault(from, 0);
    }

    /** Addresses with unbound connections now: the size of the per-address map. */
    synchronized int addresses() {
        return perAddress.size();
    }

    private synchronized void leave(InetAddress from) {
        open--;
        perAddress.computeIfPresent(from, (a, n) -> n == 1 ? null : n - 1);
    }
}
