package io.dlrgate.simulator.carrier;

import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.SmppServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ESME's bind to a simulated carrier in the SMSC role: the session the ESME opened, served by the same
 * {@link SessionLoop} and {@link CarrierSessionHandler} as a carrier's own binds, on a thread of its own. The ESME's
 * bind type says what flows: submit_sm on its transmitter and transceiver binds, receipts on its receiver and
 * transceiver binds (receiver only, with the fault {@code receipts_on_receiver_only}).
 */
final class SmscBind extends BindSide {
    private static final Logger log = LoggerFactory.getLogger(SimulatedCarrier.class);

    final long sessionId;
    private final SmppBindType esmeType;
    private final boolean sendsReceipts;
    private final SmppServerSession session;
    final CarrierSessionHandler handler;
    private volatile Thread thread;

    SmscBind(long sessionId, String name, SmppServerSession session, CarrierSessionHandler.Parts parts,
             java.util.concurrent.ScheduledExecutorService scheduler, boolean receiverOnly) {
        super(name, parts, scheduler);
        this.sessionId = sessionId;
        this.session = session;
        this.esmeType = session.getBindType();
        this.sendsReceipts = esmeType == SmppBindType.RECEIVER
                || (esmeType == SmppBindType.TRANSCEIVER && !receiverOnly);
        this.handler = new CarrierSessionHandler(this, parts);
        handler.session.complete(session);
    }

    /** The ESME submits on its transmitter and transceiver binds. */
    @Override
    boolean takesSubmits() {
        return esmeType != SmppBindType.RECEIVER;
    }

    @Override
    boolean sendsReceipts() {
        return sendsReceipts;
    }

    boolean isBound() {
        return !dead && session.isBound();
    }

    /** Starts this bind's thread: it serves the session until it ends, then closes it and requeues. */
    void start() {
        Thread t = new Thread(this::run, name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private void run() {
        try {
            loop.serve(session);
        } finally {
            dead = true;
            loop.requeueInFlight();
            session.close(); // a no-op when the ESME closed it; sessionDestroyed follows
        }
    }

    /** Closes the connection as if the network dropped it (fault, hold-down). */
    void drop() {
        dead = true;
        session.close();
    }

    /** Unbinds politely (the simulator is stopping), closes, and waits for the thread. */
    void stop() {
        dead = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            if (session.isBound()) {
                session.unbind(2_000);
            }
        } catch (RuntimeException e) {
            log.debug("{}: unbind failed: {}", name, e.toString());
        }
        session.destroy();
    }
}
