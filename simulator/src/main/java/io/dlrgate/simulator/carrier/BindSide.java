package io.dlrgate.simulator.carrier;

import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One bind as its session callbacks and its receipt loop see it, whichever side opened the TCP connection: a
 * {@link CarrierBind} (the carrier bound to the gateway) or an {@link SmscBind} (an ESME bound to the simulated
 * SMSC). Everything downstream (submit answers, receipts, the ledger) is the same for both.
 */
abstract class BindSide {
    final String name;
    /** This bind's receipts in flight, requeued when it dies. */
    final Map<PendingReceipt, PendingReceipt.InFlight> inFlight;
    /** What the bound session does on its thread (receipts, enquire_links). */
    final SessionLoop loop;
    /** The session is gone or must go (unbind, channel closed, dropped by a fault). */
    volatile boolean dead;

    BindSide(String name, CarrierSessionHandler.Parts parts, ScheduledExecutorService scheduler) {
        this.name = name;
        this.inFlight = parts.receipts().inFlightOfNewBind();
        this.loop = new SessionLoop(this, parts, scheduler);
    }

    /** True when submit_sm may arrive on this bind (others are answered ESME_RINVBNDSTS). */
    abstract boolean takesSubmits();

    /** True when this bind carries receipts to the peer. */
    abstract boolean sendsReceipts();

    /** Name in logs. */
    final String name() {
        return name;
    }

    final void markDead() {
        dead = true;
    }

    final boolean isDead() {
        return dead;
    }

    final Map<PendingReceipt, PendingReceipt.InFlight> inFlight() {
        return inFlight;
    }
}
