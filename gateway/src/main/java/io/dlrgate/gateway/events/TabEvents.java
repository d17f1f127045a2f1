package io.dlrgate.gateway.events;

import io.dlrgate.config.Tab;
import io.dlrgate.reporting.message.SubmitOutcome;
import io.dlrgate.reporting.notify.EventChannel;
import io.dlrgate.reporting.write.CommitListener;
import io.dlrgate.reporting.write.ReceiptOutcome;
import io.dlrgate.reporting.write.TabMove;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live tab changes for the report UI. Told by the group committer after each committed batch what moved (per
 * campaign and pair of tabs, already aggregated by the writer, which knew each message's campaign), and by the send
 * path what was queued, it queues that and returns; a thread of its own merges what is queued (summed per campaign
 * and pair of tabs) into events and hands them to the {@link EventBroadcast} (this instance's SSE clients, and the
 * other instances'). When the queue is full, or one merge holds more than {@link #MAX_KEYS} counts, changes are
 * dropped and a {@code resync} event tells clients to reload: the store stays the truth, events are a hint.
 *
 * <p>Event {@code tabs}: {@code {"type":"tabs","changes":[{"campaignId":7,"from":"pending","to":"delivered",
 * "count":180}, ...]}} ({@code campaignId} null: single sends); a merge too long for one notification
 * ({@link EventChannel#MAX_MESSAGE_BYTES}) becomes several {@code tabs} events. Event {@code queued}:
 * {@code {"type":"queued","campaignId":7,"count":500}}.
 */
public final class TabEvents implements CommitListener, AutoCloseable {

    /** Distinct counts (campaign and pair of tabs, or campaign queued) one merge may hold before it is a resync. */
    static final int MAX_KEYS = 2_000;
    static final int QUEUE = 1_024;
    private static final Logger log = LoggerFactory.getLogger(TabEvents.class);

    private record MoveKey(Long campaignId, Tab from, Tab to) {
    }

    private record Queued(Long campaignId, int count) {
    }

    private final EventBroadcast broadcast;
    /** {@code List<TabMove>} or {@link Queued}. */
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicBoolean dropped = new AtomicBoolean();
    private final Thread worker;
    private volatile boolean running = true;

    public TabEvents(EventBroadcast broadcast) {
        this.broadcast = broadcast;
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
        offer(moves);
    }

    /** Messages queued by a send: the Pending count of the campaign (or single sends) grows. */
    public void queued(Long campaignId, int count) {
        if (count > 0) {
            offer(new Queued(campaignId, count));
        }
    }

    private void offer(Object item) {
        if (!queue.offer(item)) {
            dropped.set(true);
        }
    }

    private void run() {
        List<Object> items = new ArrayList<>(QUEUE);
        while (running) {
            try {
                Object first = queue.poll(200, TimeUnit.MILLISECONDS);
                boolean resync = dropped.getAndSet(false);
                if (first == null && !resync && !broadcast.owesResync()) {
                    continue;
                }
                items.clear();
                if (first != null) {
                    items.add(first);
                    queue.drainTo(items, QUEUE);
                }
                broadcast.publish(merge(items, resync));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("tab events: {}", e.toString());
            }
        }
    }

    /** The events for what was queued: queued counts first (the messages' later moves come after), then moves. */
    @SuppressWarnings("unchecked")
    static List<LiveEvent> merge(List<Object> items, boolean resync) {
        Map<Long, Integer> queued = new LinkedHashMap<>();
        Map<MoveKey, Long> moves = new LinkedHashMap<>();
        for (Object item : items) {
            if (item instanceof Queued q) {
                queued.merge(q.campaignId(), q.count(), Integer::sum);
            } else {
                for (TabMove m : (List<TabMove>) item) {
                    moves.merge(new MoveKey(m.campaignId(), m.from(), m.to()), (long) m.count(), Long::sum);
                }
            }
            if (queued.size() + moves.size() > MAX_KEYS) {
                return List.of(LiveEvent.RESYNC); // too much to tell piece by piece: reload is cheaper
            }
        }
        List<LiveEvent> events = new ArrayList<>();
        if (resync) {
            events.add(LiveEvent.RESYNC);
        }
        queued.forEach((campaign, count) -> events.add(LiveEvent.of("queued",
                new JsonObject().put("campaignId", campaign).put("count", count))));
        if (!moves.isEmpty()) {
            tabs(moves, events);
        }
        return events;
    }

    /** One {@code tabs} event, or several when one would not fit a notification. */
    private static void tabs(Map<MoveKey, Long> moves, List<LiveEvent> out) {
        int budget = EventChannel.MAX_MESSAGE_BYTES - 64; // the type and the envelope
        JsonArray changes = new JsonArray();
        int bytes = 0;
        for (Map.Entry<MoveKey, Long> e : moves.entrySet()) {
            MoveKey k = e.getKey();
            JsonObject change = new JsonObject().put("campaignId", k.campaignId()).put("from", k.from().slug())
                    .put("to", k.to().slug()).put("count", e.getValue());
            int size = change.encode().length() + 1; // ASCII: numbers and slugs
            if (bytes + size > budget && !changes.isEmpty()) {
                out.add(LiveEvent.of("tabs", new JsonObject().put("changes", changes)));
                changes = new JsonArray();
                bytes = 0;
            }
            changes.add(change);
            bytes += size;
        }
        out.add(LiveEvent.of("tabs", new JsonObject().put("changes", changes)));
    }

    @Override
    public void close() {
        running = false;
        worker.interrupt();
    }
}
