package io.dlrgate.simulator.carrier;

import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.SmppSession;
import com.cloudhopper.smpp.impl.DefaultSmppClient;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * One bind of a simulated carrier to the gateway, on its own thread: binds, re-binds with back-off when the bind
 * drops, and while bound runs the {@link SessionLoop} (receipts, enquire_links). Receipts in flight when the session
 * dies go back to the queue.
 */
final class CarrierBind extends BindSide {
    private static final Logger log = LoggerFactory.getLogger(SimulatedCarrier.class);

    final SmppBindType type;
    private final SimulatedCarrier carrier;
    private final SimCarrierSettings config;
    private final DefaultSmppClient client;
    private final CarrierCounters counters;
    private final CarrierSessionHandler.Parts parts;
    volatile Thread thread;
    volatile SmppSession current;
    private boolean everBound;

    CarrierBind(String name, SmppBindType type, DefaultSmppClient client, ScheduledExecutorService scheduler,
                CarrierSessionHandler.Parts parts) {
        super(name, parts, scheduler);
        this.type = type;
        this.carrier = parts.carrier();
        this.config = carrier.config();
        this.client = client;
        this.counters = parts.counters();
        this.parts = parts;
    }

    /** A carrier's transmitter or transceiver bind sends the receipts. */
    @Override
    boolean sendsReceipts() {
        return type != SmppBindType.RECEIVER;
    }

    /** A carrier's receiver or transceiver bind takes the gateway's submit_sm. */
    @Override
    boolean takesSubmits() {
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
                loop.serve(session);
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
        loop.requeueInFlight();
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

    private boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
