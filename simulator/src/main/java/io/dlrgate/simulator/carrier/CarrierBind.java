package io.dlrgate.simulator.carrier;

import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.SmppSession;
import com.cloudhopper.smpp.impl.DefaultSmppClient;
import com.cloudhopper.smpp.impl.DefaultSmppSession;
import com.cloudhopper.smpp.pdu.EnquireLink;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * One bind of a simulated carrier, on its own thread: binds, re-binds with back-off when the bind drops, and
 * while bound sends receipts from the carrier's queue (so the session window limits what is in flight) and
 * enquire_links when idle. Receipts in flight when the session dies go back to the queue.
 */
final class CarrierBind {
    private static final Logger log = LoggerFactory.getLogger(SimulatedCarrier.class);

    final String name;
    final SmppBindType type;
    private final SimulatedCarrier carrier;
    private final SimCarrierSettings config;
    private final DefaultSmppClient client;
    private final ScheduledExecutorService scheduler;
    private final ReceiptScheduler receipts;
    private final CarrierCounters counters;
    private final CarrierSessionHandler.Parts parts;
    final Map<PendingReceipt, PendingReceipt.InFlight> inFlight;
    volatile Thread thread;
    volatile SmppSession current;
    volatile boolean dead;
    private boolean everBound;

    CarrierBind(String name, SmppBindType type, DefaultSmppClient client, ScheduledExecutorService scheduler,
                CarrierSessionHandler.Parts parts) {
        this.name = name;
        this.type = type;
        this.carrier = parts.carrier();
        this.config = carrier.config();
        this.client = client;
        this.scheduler = scheduler;
        this.receipts = parts.receipts();
        this.counters = parts.counters();
        this.parts = parts;
        this.inFlight = receipts.inFlightOfNewBind();
    }

    boolean transmits() {
        return type != SmppBindType.RECEIVER;
    }

    boolean receives() {
        return type != SmppBindType.TRANSMITTER;
    }

    boolean isBound() {
        SmppSession session = current;
        return session != null && session.isBound() && !dead;
    }

    /** Closes the session as if the network dropped it. */
    void drop() {
        dead = true;
        SmppSession session = current;
        if (session != null) {
            session.close();
        }
    }

    void run() {
        long backoffMillis = config.reconnectMinMillis();
        long firstAttempt = System.nanoTime();
        while (carrier.isRunning()) {
            if (carrier.isHeldDown()) {
                if (!sleep(50)) {
                    break;
                }
                continue;
            }
            dead = false;
            CarrierSessionHandler handler = new CarrierSessionHandler(this, parts);
            SmppSession session;
            try {
                session = client.bind(SmppSessions.configuration(name, config.host(), config.port(), type,
                        config.systemId(), config.password(), config.windowSize(),
                        config.requestTimeoutMillis()), handler);
            } catch (InterruptedException e) {
                break;
            } catch (Exception e) {
                counters.bindFailures.incrementAndGet();
                String fatal = BindFailure.fatal(e, everBound, firstAttempt, config);
                if (fatal != null) {
                    carrier.fail(name + ": " + fatal);
                    break;
                }
                // before the first bind the carrier gives up after a few seconds with one line of its own
                log.atLevel(everBound ? Level.INFO : Level.DEBUG).log(
                        "{}: bind to {}:{} failed ({}), retrying in {} ms", name, config.host(), config.port(),
                        e.getMessage(), backoffMillis);
                if (!sleep(backoffMillis)) {
                    break;
                }
                backoffMillis = Math.min(config.reconnectMaxMillis(), backoffMillis * 2);
                continue;
            }
            bound(session, handler);
            backoffMillis = config.reconnectMinMillis();
            try {
                serve(session);
            } finally {
                unbound(session, backoffMillis);
            }
            if (carrier.isRunning() && !sleep(backoffMillis)) {
                break;
            }
        }
    }

    private void bound(SmppSession session, CarrierSessionHandler handler) {
        counters.binds.incrementAndGet();
        if (everBound) {
            counters.reconnects.incrementAndGet();
        }
        everBound = true;
        current = session;
        handler.session.complete(session);
        log.info("{}: bound as {} to {}:{}", name, type, config.host(), config.port());
    }

    private void unbound(SmppSession session, long backoffMillis) {
        current = null;
        for (PendingReceipt.InFlight f : new ArrayList<>(inFlight.values())) {
            receipts.requeue(f);
        }
        inFlight.clear();
        if (carrier.isRunning()) {
            log.info("{}: bind lost, re-binding in {} ms", name, backoffMillis);
            session.destroy();
        } else {
            try {
                session.unbind(2_000);
            } catch (RuntimeException e) {
                log.debug("{}: unbind failed: {}", name, e.toString());
            }
            session.destroy();
        }
    }

    private void serve(SmppSession session) {
        long lastActivity = System.nanoTime();
        long nextPause = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(carrier.faults().slowReadEveryMillis());
        while (carrier.isRunning() && !dead && !carrier.isHeldDown() && session.isBound()) {
            CarrierFaults fs = carrier.faults();
            if (fs.slowReadPauseMillis() > 0 && System.nanoTime() >= nextPause
                    && session instanceof DefaultSmppSession ds) {
                nextPause = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(fs.slowReadEveryMillis());
                pauseReading(ds.getChannel(), fs.slowReadPauseMillis());
            }
            PendingReceipt p = null;
            try {
                if (transmits()) {
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
                if (!receipts.send(session, p, inFlight, name)) {
                    return;
                }
                lastActivity = System.nanoTime();
            } else if (config.enquireLinkMillis() > 0
                    && System.nanoTime() - lastActivity > TimeUnit.MILLISECONDS.toNanos(config.enquireLinkMillis())) {
                lastActivity = System.nanoTime();
                if (!enquireLink(session)) {
                    return;
                }
            }
        }
    }

    /** Fault: stops reading the socket for a while (the gateway's writes back up in TCP buffers). */
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
            log.info("{}: enquire_link failed ({}), dropping the bind", name, e.toString());
            return false;
        }
    }

    private boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
