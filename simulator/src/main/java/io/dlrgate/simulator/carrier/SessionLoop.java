package io.dlrgate.simulator.carrier;

import com.cloudhopper.smpp.SmppSession;
import com.cloudhopper.smpp.impl.DefaultSmppSession;
import com.cloudhopper.smpp.pdu.EnquireLink;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one bound session does on its own thread while it is up, in either role: sends receipts from the
 * carrier's queue when the bind carries them (so the session window limits what is in flight), enquire_links
 * when idle, and the slow-reading fault. Receipts in flight when the session ends go back to the queue.
 */
final class SessionLoop {
    private static final Logger log = LoggerFactory.getLogger(SimulatedCarrier.class);

    private final BindSide bind;
    private final SimulatedCarrier carrier;
    private final ReceiptScheduler receipts;
    private final CarrierCounters counters;
    private final ScheduledExecutorService scheduler;

    SessionLoop(BindSide bind, CarrierSessionHandler.Parts parts, ScheduledExecutorService scheduler) {
        this.bind = bind;
        this.carrier = parts.carrier();
        this.receipts = parts.receipts();
        this.counters = parts.counters();
        this.scheduler = scheduler;
    }

    /** Serves the session until it dies, the bind is dropped or the carrier stops. */
    void serve(SmppSession session) {
        long lastActivity = System.nanoTime();
        long nextPause = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(carrier.faults().slowReadEveryMillis());
        long enquireLinkMillis = carrier.config().enquireLinkMillis();
        while (carrier.isRunning() && !bind.isDead() && !carrier.isHeldDown() && session.isBound()) {
            CarrierFaults fs = carrier.faults();
            if (fs.slowReadPauseMillis() > 0 && System.nanoTime() >= nextPause
                    && session instanceof DefaultSmppSession ds) {
                nextPause = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(fs.slowReadEveryMillis());
                pauseReading(ds.getChannel(), fs.slowReadPauseMillis());
            }
            PendingReceipt p = null;
            try {
                if (bind.sendsReceipts()) {
                    p = receipts.next(50, TimeUnit.MILLISECONDS);
                } else {
                    Thread.sleep(50);
                }
            } catch (InterruptedException e) {
                if (p != null) {
                    receipts.putBack(p);
                }
                return;
            }
            if (p != null) {
                if (!receipts.send(session, p, bind.inFlight(), bind.name())) {
                    return;
                }
                lastActivity = System.nanoTime();
            } else if (enquireLinkMillis > 0
                    && System.nanoTime() - lastActivity > TimeUnit.MILLISECONDS.toNanos(enquireLinkMillis)) {
                lastActivity = System.nanoTime();
                if (!enquireLink(session)) {
                    return;
                }
            }
        }
    }

    /** The session ended: what was in flight on it goes back to the head of the queue. */
    void requeueInFlight() {
        for (PendingReceipt.InFlight f : new ArrayList<>(bind.inFlight().values())) {
            receipts.requeue(f);
        }
        bind.inFlight().clear();
    }

    /** Fault: stops reading the socket for a while (the peer's writes back up in TCP buffers). */
    private void pauseReading(Channel ch, long pauseMillis) {
        ch.config().setAutoRead(false);
        counters.readPauses.incrementAndGet();
        try {
            scheduler.schedule(() -> {
                ch.config().setAutoRead(true);
            }, pauseMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            ch.config().setAutoRead(true);
        }
    }

    /** False when the bind should be dropped. */
    private boolean enquireLink(SmppSession session) {
        try {
            session.enquireLink(new EnquireLink(), 10_000);
            return true;
        } catch (InterruptedException e) {
            return false;
        } catch (Exception e) {
            log.info("{}: enquire_link failed ({}), dropping the bind", bind.name(), e.toString());
            return false;
        }
    }
}
