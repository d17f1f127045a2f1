package io.dlrgate.reporting.write;

import io.dlrgate.reporting.db.StoreErrors;
import io.dlrgate.reporting.logging.LogText;
import io.dlrgate.reporting.message.MessageStore;
import io.dlrgate.reporting.message.NewMessage;
import io.dlrgate.reporting.suppression.SuppressionStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit of single sends: the sends that arrive while a transaction commits are stored together in the
 * next one (the suppression check of their numbers, their rows, report counters and webhook events), so that
 * concurrent requests share one transaction and one flush instead of paying for one each. A send's future
 * completes only once its transaction committed: the caller answers "queued" only for what is durable. When the
 * database does not take a batch, every send in it fails (nothing of it is stored) and its caller answers "try
 * again"; nothing is retried here, since the caller's client is waiting.
 *
 * <p>No batch delay: a lane takes whatever is queued when it is free, so a lone send waits for nobody and a busy
 * gateway fills its batches on its own while the previous one commits.
 *
 * <p>Bounded: at most {@code capacity} sends wait; beyond that, and for a send that waited longer than
 * {@code maxWaitNanos} before its turn (the database is slow or away), the future fails with {@link Busy} at once.
 */
public final class SingleSendCommitter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SingleSendCommitter.class);

    /** Sends per transaction at most: bounds a transaction's statements and the arrays bound to them. */
    public static final int MAX_BATCH = 500;
    /** Sends waiting at most; ~1 kB each. */
    public static final int DEFAULT_CAPACITY = 10_000;
    /**
     * One writer: while it commits, the next requests gather into its next batch. A second writer took each request
     * that came while it was idle, so batches stayed small and PostgreSQL's CPU per message nearly doubled at 8
     * clients, for no gain in CPU at 32 ({@code dlrgate bench singles}, docs/explanation/benchmarks.md).
     */
    public static final int DEFAULT_LANES = 1;
    /** A send not stored within this is answered "try again" instead of kept waiting (the pool's timeout is 2 s). */
    public static final long DEFAULT_MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** What a single send came to, once committed. */
    public record Stored(NewMessage message, long id, boolean suppressed) {
    }

    /** The send was not taken: too many are waiting, or it waited too long (the database is slow or away). */
    public static final class Busy extends RuntimeException {
        Busy(String why) {
            super(why, null, false, false);
        }
    }

    private record Pending(NewMessage message, CompletableFuture<Stored> done, long enqueuedNanos) {
    }

    private final DataSource ds;
    private final MessageStore messages;
    private final BlockingQueue<Pending> queue;
    private final long maxWaitNanos;
    private final Consumer<List<Stored>> committed;
    private final Thread[] lanes;
    private volatile boolean running = true;

    /**
     * @param committed told of each committed batch on its lane's thread (wake the dispatcher, the live events):
     *                  quick and thread-safe; its failure is logged, never undoes the commit
     */
    public SingleSendCommitter(DataSource ds, MessageStore messages, Consumer<List<Stored>> committed) {
        this(ds, messages, committed, DEFAULT_LANES, DEFAULT_CAPACITY, DEFAULT_MAX_WAIT_NANOS);
    }

    public SingleSendCommitter(DataSource ds, MessageStore messages, Consumer<List<Stored>> committed, int lanes,
                               int capacity, long maxWaitNanos) {
        if (lanes < 1 || capacity < 1 || maxWaitNanos <= 0) {
            throw new IllegalArgumentException("lanes, capacity and maxWaitNanos must be positive");
        }
        this.ds = ds;
        this.messages = messages;
        this.committed = committed;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.maxWaitNanos = maxWaitNanos;
        this.lanes = new Thread[lanes];
        for (int i = 0; i < lanes; i++) {
            this.lanes[i] = new Thread(this::run, "dlrgate-single-sends-" + i);
            this.lanes[i].setDaemon(true);
        }
    }

    public void start() {
        for (Thread t : lanes) {
            t.start();
        }
    }

    /**
     * Queues a single send; never blocks (safe on an event loop).
     *
     * @return completes once the send is committed; fails with {@link Busy} when it was not taken, or with the
     *         store's exception when its transaction failed (nothing of it stored)
     */
    public CompletableFuture<Stored> submit(NewMessage m) {
        CompletableFuture<Stored> done = new CompletableFuture<>();
        Pending p = new Pending(m, done, System.nanoTime());
        if (!running) {
            done.completeExceptionally(new Busy("the gateway is stopping"));
        } else if (!queue.offer(p)) {
            done.completeExceptionally(new Busy("too many single sends are waiting to be stored"));
        } else if (!running && queue.remove(p)) {
            // Stopped while it was being queued: the lanes may have left already, and nobody would answer it.
            done.completeExceptionally(new Busy("the gateway is stopping"));
        }
        return done;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                commit(fresh(batch));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                // Never leave a caller waiting: whatever was not answered is answered "try again".
                log.error("single-send commit loop error", e);
                batch.forEach(p -> p.done().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
        Pending p;
        while ((p = queue.poll()) != null) {
            p.done().completeExceptionally(new Busy("the gateway is stopping"));
        }
    }

    /** The sends that have not waited too long; the others are answered "try again" now. */
    private List<Pending> fresh(List<Pending> batch) {
        long now = System.nanoTime();
        List<Pending> fresh = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            if (now - p.enqueuedNanos() > maxWaitNanos) {
                p.done().completeExceptionally(new Busy("the store did not take the message in time"));
            } else {
                fresh.add(p);
            }
        }
        return fresh;
    }

    private void commit(List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            answer(batch, write(batch));
        } catch (Exception e) {
            if (batch.size() > 1 && (e instanceof RuntimeException || StoreErrors.isRefusedData(e))) {
                // A value of one send fails the transaction for all: store them one by one, so that only the
                // culprit is refused. Rare (validation keeps out what PostgreSQL refuses), so not bisected.
                for (Pending p : batch) {
                    commit(List.of(p));
                }
                return;
            }
            if (!StoreErrors.isRefusedData(e)) {
                log.warn("{} single sends not stored, answered try-again: {}", batch.size(),
                        LogText.escape(e.toString(), 300));
            }
            batch.forEach(p -> p.done().completeExceptionally(e));
        }
    }

    private List<Stored> write(List<Pending> batch) throws SQLException {
        List<NewMessage> singles = new ArrayList<>(batch.size());
        Set<String> numbers = new LinkedHashSet<>();
        for (Pending p : batch) {
            singles.add(p.message());
            numbers.add(p.message().recipient());
        }
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                Set<String> suppressed = SuppressionStore.suppressedAmong(c, numbers);
                long[] ids = messages.insertSingles(c, singles, suppressed);
                c.commit();
                List<Stored> out = new ArrayList<>(ids.length);
                for (int i = 0; i < ids.length; i++) {
                    NewMessage m = singles.get(i);
                    out.add(new Stored(m, ids[i], suppressed.contains(m.recipient())));
                }
                return out;
            } catch (SQLException | RuntimeException e) {
                StoreErrors.rollBackAfter(c, e);
                throw e;
            }
        }
    }

    /** Durable now: the callers may answer. Nothing here may throw (the batch is committed). */
    private void answer(List<Pending> batch, List<Stored> stored) {
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(stored.get(i));
        }
        try {
            committed.accept(stored);
        } catch (RuntimeException e) {
            log.warn("single-send commit listener failed (the sends are stored): {}", e.toString());
        }
    }

    /** Stops taking sends; what is queued is still written (or answered "try again"), then the lanes stop. */
    @Override
    public void close() {
        running = false;
        for (Thread t : lanes) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
