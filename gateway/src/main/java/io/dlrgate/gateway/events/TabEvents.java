package io.dlrgate.gateway.events;

import io.dlrgate.config.Tab;
import io.dlrgate.gateway.commit.CommitListener;
import io.dlrgate.reporting.receipt.ReceiptOutcome;
import io.dlrgate.reporting.receipt.SubmitOutcome;
import io.dlrgate.reporting.report.ReportQueries;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live tab changes for the report UI. Told by the group committer after each committed batch (on the committer
 * thread: it only copies the changes into a bounded queue and returns), a thread of its own looks up the
 * campaigns of the changed messages and publishes one event per batch on the Vert.x event bus at
 * {@link #ADDRESS}; the SSE endpoint relays them. When the queue is full, changes are dropped and a
 * {@code resync} event tells clients to reload: the store stays the truth, events are a hint.
 */
public final class TabEvents implements CommitListener, AutoCloseable {

    public static final String ADDRESS = "dlrgate.tab-changes";
    private static final Logger log = LoggerFactory.getLogger(TabEvents.class);

    /** One message moving from one tab to another. */
    record Change(long messageId, Tab from, Tab to) {
    }

    private final Vertx vertx;
    private final ReportQueries reports;
    private final BlockingQueue<List<Change>> queue = new ArrayBlockingQueue<>(1024);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread worker;
    private volatile boolean running = true;

    public TabEvents(Vertx vertx, ReportQueries reports) {
        this.vertx = vertx;
        this.reports = reports;
        this.worker = new Thread(this::run, "dlrgate-tab-events");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public void committed(List<SubmitOutcome> submits, List<ReceiptOutcome> receipts,
                          List<ReceiptOutcome> matchedOrphans, long commitNanos) {
        List<Change> changes = null;
        for (List<ReceiptOutcome> list : List.of(receipts, matchedOrphans)) {
            for (ReceiptOutcome r : list) {
                if (r.changedTab()) {
                    (changes == null ? changes = new ArrayList<>() : changes)
                            .add(new Change(r.messageId(), r.tabBefore(), r.tabAfter()));
                }
            }
        }
        for (SubmitOutcome s : submits) {
            if (s.kind() == SubmitOutcome.Kind.REJECTED || s.kind() == SubmitOutcome.Kind.FAILED) {
                (changes == null ? changes = new ArrayList<>() : changes)
                        .add(new Change(s.messageId(), Tab.PENDING, Tab.HARD_BOUNCES));
            }
        }
        if (changes != null && !queue.offer(changes)) {
            dropped.incrementAndGet();
        }
    }

    /** Messages queued by a send: the Pending count of the campaign (or single sends) grows. */
    public void queued(Long campaignId, int count) {
        if (count > 0) {
            vertx.eventBus().publish(ADDRESS, new JsonObject().put("type", "queued").put("campaignId", campaignId)
                    .put("count", count).encode());
        }
    }

    private void run() {
        while (running) {
            try {
                List<Change> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (dropped.getAndSet(0) > 0) {
                    vertx.eventBus().publish(ADDRESS, new JsonObject().put("type", "resync").encode());
                }
                if (first == null) {
                    continue;
                }
                List<Change> all = new ArrayList<>(first);
                for (int i = 0; i < 100; i++) {
                    List<Change> more = queue.poll();
                    if (more == null) {
                        break;
                    }
                    all.addAll(more);
                }
                publish(all);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                log.warn("tab events: {}", e.toString());
            }
        }
    }

    private void publish(List<Change> all) throws Exception {
        long[] ids = all.stream().mapToLong(Change::messageId).toArray();
        Map<Long, Long> campaignOf = reports.campaignsOf(ids);
        JsonArray changes = new JsonArray();
        for (Change c : all) {
            changes.add(new JsonObject().put("messageId", c.messageId()).put("campaignId", campaignOf.get(c.messageId()))
                    .put("from", c.from().slug()).put("to", c.to().slug()));
        }
        vertx.eventBus().publish(ADDRESS, new JsonObject().put("type", "tabs").put("changes", changes).encode());
    }

    @Override
    public void close() {
        running = false;
        worker.interrupt();
    }
}
