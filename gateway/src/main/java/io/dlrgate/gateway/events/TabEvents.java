package io.dlrgate.gateway.events;

import io.dlrgate.reporting.message.SubmitOutcome;
import io.dlrgate.reporting.write.CommitListener;
import io.dlrgate.reporting.write.ReceiptOutcome;
import io.dlrgate.reporting.write.TabMove;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live tab changes for the report UI. Told by the group committer after each committed batch what moved (per
 * campaign and pair of tabs, already aggregated by the writer, which knew each message's campaign), it queues that
 * and returns; a thread of its own merges what is queued into one event and publishes it on the Vert.x event bus
 * at {@link #ADDRESS}; the SSE endpoint relays it. When the queue is full, changes are dropped and a {@code resync}
 * event tells clients to reload: the store stays the truth, events are a hint.
 *
 * <p>Event {@code tabs}: {@code {"type":"tabs","changes":[{"campaignId":7,"from":"pending","to":"delivered",
 * "count":180}, ...]}} ({@code campaignId} null: single sends).
 */
public final class TabEvents implements CommitListener, AutoCloseable {

    public static final String ADDRESS = "dlrgate.tab-changes";
    /** Event-bus header naming the event's type: relays need not parse the body to learn it. */
    public static final String TYPE = "type";
    private static final Logger log = LoggerFactory.getLogger(TabEvents.class);

    private final Vertx vertx;
    private final BlockingQueue<List<TabMove>> queue = new ArrayBlockingQueue<>(1024);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread worker;
    private volatile boolean running = true;

    public TabEvents(Vertx vertx) {
        this.vertx = vertx;
        this.worker = new Thread(this::run, "dlrgate-tab-events");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public void committed(List<SubmitOutcome> submits, List<ReceiptOutcome> receipts,
                          List<ReceiptOutcome> matchedOrphans, long commitNanos) {
        // tabsMoved carries what the report needs
    }

    @Override
    public void tabsMoved(List<TabMove> moves) {
        if (!queue.offer(moves)) {
            dropped.incrementAndGet();
        }
    }

    /** Messages queued by a send: the Pending count of the campaign (or single sends) grows. */
    public void queued(Long campaignId, int count) {
        if (count > 0) {
            publish("queued", new JsonObject().put("campaignId", campaignId).put("count", count));
        }
    }

    private void run() {
        while (running) {
            try {
                List<TabMove> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (dropped.getAndSet(0) > 0) {
                    publish("resync", new JsonObject());
                }
                if (first == null) {
                    continue;
                }
                List<TabMove> all = new ArrayList<>(first);
                for (int i = 0; i < 100; i++) {
                    List<TabMove> more = queue.poll();
                    if (more == null) {
                        break;
                    }
                    all.addAll(more);
                }
                publish(all);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("tab events: {}", e.toString());
            }
        }
    }

    private void publish(List<TabMove> all) {
        JsonArray changes = new JsonArray();
        for (TabMove m : all) {
            changes.add(new JsonObject().put("campaignId", m.campaignId()).put("from", m.from().slug())
                    .put("to", m.to().slug()).put("count", m.count()));
        }
        publish("tabs", new JsonObject().put("changes", changes));
    }

    /** The event as JSON (its type inside too), with the type also as the {@link #TYPE} header for relays. */
    private void publish(String type, JsonObject body) {
        vertx.eventBus().publish(ADDRESS, new JsonObject().put("type", type).mergeIn(body).encode(),
                new DeliveryOptions().addHeader(TYPE, type));
    }

    @Override
    public void close() {
        running = false;
        worker.interrupt();
    }
}
