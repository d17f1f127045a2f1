package io.dlrgate.gateway.events;

import io.dlrgate.gateway.logging.LogRateLimit;
import io.dlrgate.gateway.metrics.GatewayMetrics;
import io.dlrgate.reporting.logging.LogText;
import io.dlrgate.reporting.notify.EventListener;
import io.dlrgate.reporting.notify.Notifier;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where live events go: to this instance's SSE clients at once (the Vert.x event bus, {@link #ADDRESS}), and to the
 * other instances' through the store ({@link Notifier}); events from the other instances come back through
 * {@link EventListener} and go to this instance's clients only (the store's channel drops this process's own
 * notifications, so no client sees an event twice).
 *
 * <p>Missed events become a {@code resync} event, which tells clients to reload their counts from the store: this
 * instance's clients get one when the listening connection was lost and opened again; the other instances' clients
 * get one after a notification this instance could not send (the database away), with the next one that goes out.
 *
 * <p>What comes from the channel is checked and re-encoded ({@link LiveEvent#parse}): anyone who may connect to the
 * database may notify on it. A relayed {@code resync} makes every client reload from the store, so they are
 * coalesced: at most one per {@link #RESYNC_EVERY_MILLIS} goes to this instance's clients, a later one deferred (not
 * dropped: it may stand for events lost after the previous reload).
 *
 * <p>Each resync that goes to this instance's clients is counted by why ({@link GatewayMetrics#liveEventsResync}):
 * {@code reconnect}, {@code peer} (relayed; coalesced ones count once), {@code overflow}.
 */
public final class EventBroadcast implements EventListener.Receiver {

    public static final String ADDRESS = "dlrgate.tab-changes";
    /** Event-bus header naming the event's type: relays need not parse the body to learn it. */
    public static final String TYPE = "type";
    private static final Logger log = LoggerFactory.getLogger(EventBroadcast.class);
    static final long RESYNC_EVERY_MILLIS = 1_000;
    /** The most of a refused message a log line shows. */
    private static final int LOGGED_CHARS = 200;

    private final Vertx vertx;
    private final Notifier notifier;
    private final GatewayMetrics metrics;
    private final LogRateLimit failures = new LogRateLimit(3, Duration.ofMinutes(1));
    private final LogRateLimit refused = new LogRateLimit(3, Duration.ofMinutes(1));
    /** Guarded by this: when a relayed resync last went to the clients, and whether one waits on a timer. */
    private long lastRelayedResync = System.nanoTime() - RESYNC_EVERY_MILLIS * 1_000_000;
    private boolean resyncDeferred;
    /** Only the publishing thread (TabEvents' worker) reads and writes it. */
    private boolean owedResync;

    /** @param metrics counts the resyncs sent to this instance's clients, by why */
    public EventBroadcast(Vertx vertx, Notifier notifier, GatewayMetrics metrics) {
        this.vertx = vertx;
        this.notifier = notifier;
        this.metrics = metrics;
    }

    /** This instance's events: to its clients, then to the other instances. Blocking (the store): one thread. */
    void publish(List<LiveEvent> events) {
        if (events.contains(LiveEvent.RESYNC)) {
            metrics.liveEventsResync(GatewayMetrics.RESYNC_OVERFLOW); // TabEvents dropped some of this instance's
        }
        events.forEach(this::toLocalClients);
        if (events.isEmpty() && !owedResync) {
            return;
        }
        List<String> messages = new ArrayList<>(events.size() + 1);
        if (owedResync) {
            messages.add(LiveEvent.RESYNC.message());
        }
        events.forEach(e -> messages.add(e.message()));
        try {
            notifier.publish(messages);
            owedResync = false;
        } catch (SQLException | RuntimeException e) {
            owedResync = true;
            failures.warn(log, "live events: could not notify the other instances ({}); they will be told to resync",
                    e.getMessage());
        }
    }

    /** Whether the other instances are owed a resync (a notification failed): worth a publish with no events. */
    boolean owesResync() {
        return owedResync;
    }

    @Override
    public void received(String message) {
        LiveEvent e = LiveEvent.parse(message);
        if (e == null) {
            refused.warn(log, "live events: dropped a notification that is not a gateway event: {}",
                    LogText.escape(message, LOGGED_CHARS));
        } else if (e == LiveEvent.RESYNC) {
            relayResync();
        } else {
            toLocalClients(e);
        }
    }

    /** At once if none went out within {@link #RESYNC_EVERY_MILLIS}, else once when that is up. */
    private synchronized void relayResync() {
        if (resyncDeferred) {
            return; // the deferred one covers this one too
        }
        long wait = RESYNC_EVERY_MILLIS - (System.nanoTime() - lastRelayedResync) / 1_000_000;
        if (wait <= 0) {
            lastRelayedResync = System.nanoTime();
            resync(GatewayMetrics.RESYNC_PEER);
            return;
        }
        resyncDeferred = true;
        vertx.setTimer(wait, id -> {
            synchronized (this) {
                resyncDeferred = false;
                lastRelayedResync = System.nanoTime();
            }
            resync(GatewayMetrics.RESYNC_PEER);
        });
    }

    @Override
    public void missed() {
        resync(GatewayMetrics.RESYNC_RECONNECT);
    }

    private void resync(String reason) {
        metrics.liveEventsResync(reason);
        toLocalClients(LiveEvent.RESYNC);
    }

    private void toLocalClients(LiveEvent e) {
        vertx.eventBus().publish(ADDRESS, e.json(), new DeliveryOptions().addHeader(TYPE, e.type()));
    }
}
