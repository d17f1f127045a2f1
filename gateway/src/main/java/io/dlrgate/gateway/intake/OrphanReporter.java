package io.dlrgate.gateway.intake;

import io.dlrgate.reporting.logging.LogText;
import io.dlrgate.reporting.correlation.OrphanStore;
import io.dlrgate.reporting.message.SubmitOutcome;
import io.dlrgate.reporting.write.GroupCommitter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks after orphan receipts, once per interval:
 * <ul>
 *   <li>re-matches open orphans whose carrier id a message has by now (older than {@link #REMATCH_AFTER}).
 *       Within one process an orphan is matched the moment its id is learnt; this is the backstop for several
 *       processes sharing a database, where one can store the orphan while the other learns the id. The
 *       re-match goes through the commit lane of the orphan's key, like the submit_sm_resp would have;</li>
 *   <li>reports those older than {@code receipts.orphan_max_age}: a warning with their count and a few
 *       examples. They stay in the store for inspection; nothing is dropped.</li>
 * </ul>
 */
public final class OrphanReporter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OrphanReporter.class);
    private static final int EXAMPLES = 5;
    /** Orphans younger than this are left to the normal matching (their submit_sm_resp may still be on its way). */
    static final Duration REMATCH_AFTER = Duration.ofSeconds(30);
    private static final int REMATCH_BATCH = 1_000;

    private final OrphanStore store;
    private final Duration maxAge;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final AtomicLong lastCount = new AtomicLong();
    private final GroupCommitter committer;

    /** @param committer where re-matches go */
    public OrphanReporter(OrphanStore store, Duration maxAge, Clock clock, GroupCommitter committer) {
        this.committer = committer;
        this.store = store;
        this.maxAge = maxAge;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dlrgate-orphan-report");
            t.setDaemon(true);
            return t;
        });
    }

    public void start(Duration every) {
        timer.scheduleWithFixedDelay(this::reportSafely, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Open orphans older than the max age at the last check. */
    public long lastCount() {
        return lastCount.get();
    }

    /** One check: counts old orphans and logs them. Returns the count. */
    public long report() throws Exception {
        java.time.Instant cutoff = clock.instant().minus(maxAge);
        long n = store.countOpenOlderThan(cutoff);
        lastCount.set(n);
        if (n > 0) {
            List<OrphanStore.Orphan> examples = store.openOlderThan(cutoff, 0, EXAMPLES);
            log.warn("{} receipts for unknown message ids are older than {} and still unmatched (kept in "
                    + "orphan_receipts; examples: {})", n, maxAge, examples.stream()
                    .map(o -> o.carrierId() + "/" + o.receiptedIdRaw() + " " + o.stat() + " at " + o.receivedAt())
                    .toList());
        }
        return n;
    }

    /**
     * One re-match pass: hands every key of an open orphan older than {@link #REMATCH_AFTER} whose id a message
     * has by now to the commit lane of that key. Returns how many keys it handed over.
     */
    public int rematch() throws Exception {
        java.time.Instant now = clock.instant();
        List<OrphanStore.CarrierKey> keys = store.matchableOlderThan(now.minus(REMATCH_AFTER), REMATCH_BATCH);
        for (OrphanStore.CarrierKey k : keys) {
            committer.submitOutcome(SubmitOutcome.rematch(k.carrierId(), k.receiptedId(), now));
        }
        if (!keys.isEmpty()) {
            log.info("re-matching open orphans of {} carrier ids a message has by now (e.g. {}/{})", keys.size(),
                    keys.get(0).carrierId(), LogText.escape(keys.get(0).receiptedId()));
        }
        return keys.size();
    }

    private void reportSafely() {
        try {
            rematch();
        } catch (Exception e) {
            log.warn("orphan re-match failed: {}", e.toString());
        }
        try {
            report();
        } catch (Exception e) {
            log.warn("orphan report failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
