package io.dlrgate.gateway.metrics;

import com.cloudhopper.smpp.SmppConstants;
import io.dlrgate.config.BindType;
import io.dlrgate.config.CarrierConfig;
import io.dlrgate.config.GatewayConfig;
import io.dlrgate.config.Tab;
import io.dlrgate.reporting.db.ReportReads;
import io.dlrgate.reporting.message.SubmitOutcome;
import io.dlrgate.reporting.replies.ReplyKind;
import io.dlrgate.reporting.report.FailureCause;
import io.dlrgate.reporting.report.StoreFigures;
import io.dlrgate.reporting.write.ReceiptOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's meters, on one Micrometer registry (the one {@code /metrics} scrapes).
 *
 * <p>Everything a dashboard or an alert reads is registered at construction, for every configured carrier, so
 * each series exists at 0 from the first scrape (rate() and "absent" alerts need that). Label values are
 * bounded: carrier ids from the config (plus {@code unknown} for a bind with an unknown system_id), the stat
 * words the mapping knows (anything else is {@code OTHER}), tab slugs, fixed result words. Never a number, never
 * a message id.
 *
 * <p>Hot paths (a PDU read or written on an event loop, a receipt decided on the commit thread) do an array
 * index or one {@link HashMap#get} of an immutable map, then increment a cached {@link Counter}: no meter
 * lookup by name and tags, no allocation per event. Gauges are functions read at scrape time.
 */
public final class MicrometerGatewayMetrics implements GatewayMetrics {

    /** Buckets of the submit_sm to submit_sm_resp histogram: carriers answer in ms, a slow one in seconds. */
    static final Duration[] SUBMIT_RESPONSE_BUCKETS = millis(1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500,
            5_000, 10_000, 30_000);
    /** Buckets of the time from submit to final receipt, meant for SMS: 1 s, 5 s, 30 s, 5 min, 1 h, 1 d. */
    static final Duration[] DELIVERY_BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30),
            Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(1)};
    static final Duration[] COMMIT_BUCKETS = millis(1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000);
    static final double[] BATCH_SIZE_BUCKETS = {1, 10, 50, 100, 250, 500, 1_000, 2_000, 5_000};

    /** Stat words always known (the SMPP 3.4 appendix B set), plus whatever the config maps. */
    static final List<String> STANDARD_STATS = List.of("DELIVRD", "EXPIRED", "DELETED", "UNDELIV", "ACCEPTD",
            "UNKNOWN", "REJECTD", "ENROUTE");
    static final String STAT_OTHER = "OTHER";
    static final String STAT_NONE = "NONE";
    /** The tab label of a receipt whose message is not known yet (an orphan). */
    static final String TAB_NONE = "none";

    static final String UNKNOWN_CARRIER = "unknown";
    static final List<String> BIND_RESULTS = List.of("ok", "invalid_system_id", "invalid_password", "bind_failed",
            "already_bound");
    static final List<String> THROTTLE_REASONS = List.of("queue_full", "queue_wait", "db_error", "stopping");

    private final MeterRegistry registry;
    private final String[] statLabels; // index -> label; last two are OTHER and NONE
    private final Map<String, Integer> statIndex;
    private final int statOther;
    private final int statNone;
    /** Configured carriers: built once, never changed, so lock-free reads are safe. */
    private final Map<String, CarrierMeters> carriers;
    /** Carriers not in the config (should not happen; kept bounded by the config anyway). */
    private final Map<String, CarrierMeters> others = new ConcurrentHashMap<>();
    private final Map<String, String> carrierBySystemId;
    private final Counter[] unknownBinds;
    private final Map<String, Counter> throttled = new HashMap<>();
    private final PduCounters pdus;
    private final Timer commitTimer;
    private final DistributionSummary commitBatch;
    private final Counter suppressionsAdded;
    private final Counter suppressionsLifted;
    private final Map<String, Counter> connectionsRefused = new HashMap<>();
    private final Map<String, Counter> resyncs = new HashMap<>();
    private final Counter bindLockouts;
    /** carrier id -> reason -> counter, for carriers the gateway binds out to; built once, read lock-free. */
    private final Map<String, Map<String, Counter>> connectFailures;
    private final List<String> carrierIds;

    public MicrometerGatewayMetrics(MeterRegistry registry, GatewayConfig config) {
        this.registry = registry;
        Set<String> stats = new LinkedHashSet<>(STANDARD_STATS);
        config.receipts().statMapping().keySet().forEach(s -> stats.add(s.toUpperCase(Locale.ROOT)));
        for (CarrierConfig c : config.carriers()) {
            c.statMapping().keySet().forEach(s -> stats.add(s.toUpperCase(Locale.ROOT)));
        }
        stats.add(STAT_OTHER);
        stats.add(STAT_NONE);
        this.statLabels = stats.toArray(String[]::new);
        Map<String, Integer> idx = new HashMap<>();
        for (int i = 0; i < statLabels.length; i++) {
            idx.put(statLabels[i], i);
        }
        this.statIndex = Map.copyOf(idx);
        this.statOther = idx.get(STAT_OTHER);
        this.statNone = idx.get(STAT_NONE);

        Map<String, CarrierMeters> cs = new HashMap<>();
        Map<String, String> bySystemId = new HashMap<>();
        for (CarrierConfig c : config.carriers()) {
            CarrierMeters m = new CarrierMeters(c.id());
            cs.put(c.id(), m);
            if (c.acceptsBinds()) {
                bySystemId.put(c.systemId(), c.id());
            }
            // The series a healthy carrier produces: every stat the mapping knows, with the tab it maps to.
            Map<String, Tab> mapping = new HashMap<>(config.receipts().statMapping());
            mapping.putAll(c.statMapping());
            mapping.forEach((stat, tab) -> m.receiptCounter(statIndex.get(stat.toUpperCase(Locale.ROOT)), tab));
            // And every final outcome that exists today: the final tabs a receipt can give, the gateway's expiry,
            // the failed submits. (Causes of features not built yet get their series when they first happen.)
            Set<Tab> byReceipt = new LinkedHashSet<>();
            mapping.values().stream().filter(Tab::isFinal).forEach(byReceipt::add);
            if (byReceipt.contains(Tab.HARD_BOUNCES)) {
                byReceipt.add(config.bounces().transientUndelivTab());
            }
            byReceipt.forEach(tab -> m.finalizedCounter(tab, FailureCause.RECEIPT));
            m.finalizedCounter(Tab.SOFT_BOUNCES, FailureCause.GATEWAY_EXPIRY);
            for (String cause : List.of(FailureCause.SUBMIT_REJECTED, FailureCause.SUBMIT_TIMEOUT,
                    FailureCause.SUBMIT_FAILED)) {
                m.finalizedCounter(Tab.HARD_BOUNCES, cause);
            }
        }
        this.carriers = Map.copyOf(cs);
        this.carrierBySystemId = Map.copyOf(bySystemId);
        this.carrierIds = config.carriers().stream().map(CarrierConfig::id).toList();
        this.unknownBinds = bindCounters(registry, UNKNOWN_CARRIER); // an unknown system_id has no carrier

        for (String reason : THROTTLE_REASONS) {
            throttled.put(reason, Counter.builder("dlrgate.receipts.throttled").tag("reason", reason)
                    .description("Receipts answered with the carrier's temporary error (the carrier retries) "
                            + "instead of being stored: queue_full, queue_wait (waited too long for a batch), "
                            + "db_error (the batch failed), stopping")
                    .register(registry));
        }
        this.pdus = new PduCounters(registry);
        this.commitTimer = Timer.builder("dlrgate.commit")
                .description("Time of one group-commit transaction (receipts and submit outcomes of a batch)")
                .serviceLevelObjectives(COMMIT_BUCKETS).register(registry);
        this.commitBatch = DistributionSummary.builder("dlrgate.commit.batch.size")
                .description("Items (receipts and submit outcomes) written per group-commit transaction")
                .serviceLevelObjectives(BATCH_SIZE_BUCKETS).register(registry);
        this.suppressionsAdded = Counter.builder("dlrgate.suppressions.added")
                .description("Numbers put on the suppressed list (hard-bounce threshold or by hand)")
                .register(registry);
        this.suppressionsLifted = Counter.builder("dlrgate.suppressions.lifted")
                .description("Numbers taken off the suppressed list").register(registry);
        this.bindLockouts = Counter.builder("dlrgate.smpp.bind.lockouts")
                .description("Source addresses locked out of SMPP binds after smpp.bind_failures.limit failed binds")
                .register(registry);
        Map<String, Map<String, Counter>> failures = new HashMap<>();
        for (CarrierConfig c : config.carriers()) {
            if (c.connect() == null) {
                continue;
            }
            Map<String, Counter> byReason = new HashMap<>();
            for (String reason : GatewayMetrics.CONNECT_FAILURE_REASONS) {
                byReason.put(reason, Counter.builder("dlrgate.smpp.connect.failures").tag("carrier", c.id())
                        .tag("reason", reason)
                        .description("Failed attempts to bind out to a carrier's SMSC (connect, TLS, bind), and bound "
                                + "outbound sessions closed for an unanswered enquire_link (reason enquire_link)")
                        .register(registry));
            }
            failures.put(c.id(), Map.copyOf(byReason));
        }
        this.connectFailures = Map.copyOf(failures);
        for (String reason : GatewayMetrics.REFUSED_REASONS) {
            connectionsRefused.put(reason, Counter.builder("dlrgate.smpp.connections.refused").tag("reason", reason)
                    .description("SMPP connections closed by the gateway's limits: as they were accepted (from an "
                            + "address no carrier's allowed_ips admits, over max_unbound_connections or "
                            + "max_unbound_per_address) or at bind (over max_connections)").register(registry));
        }
        for (String reason : GatewayMetrics.RESYNC_REASONS) {
            resyncs.put(reason, Counter.builder("dlrgate.live.events.resyncs").tag("reason", reason)
                    .description("Resync events sent to this instance's live-event clients (they reload from the "
                            + "store): reconnect (the LISTEN connection was lost and opened again), peer (another "
                            + "instance asked), overflow (this instance dropped its own events)").register(registry));
        }
    }

    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    // ------------------------------------------------------------------ events

    @Override
    public void pdu(boolean inbound, int commandId, int commandStatus) {
        pdus.count(inbound, commandId, commandStatus);
    }

    @Override
    public void bindAnswered(String systemId, int commandStatus) {
        String carrier = systemId == null ? null : carrierBySystemId.get(systemId);
        int result = switch (commandStatus) {
            case SmppConstants.STATUS_OK -> 0;
            case SmppConstants.STATUS_INVSYSID -> 1;
            case SmppConstants.STATUS_INVPASWD -> 2;
            case SmppConstants.STATUS_ALYBND -> 4;
            default -> 3;
        };
        // An unknown system_id is never a label value: it comes from an unauthenticated peer.
        (carrier == null ? unknownBinds : meters(carrier).binds)[result].increment();
    }

    @Override
    public void connectFailure(String carrierId, String reason) {
        Map<String, Counter> byReason = connectFailures.get(carrierId);
        Counter c = byReason == null ? null : byReason.get(reason);
        if (c != null) { // both bounded by the config and the fixed reasons: nothing else becomes a label
            c.increment();
        }
    }

    @Override
    public void submitResponse(String carrierId, long millis) {
        meters(carrierId).submitResponse.record(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void submitThrottled(String carrierId) {
        meters(carrierId).throttled.increment();
    }

    @Override
    public void watchCluster(java.util.function.IntSupplier liveInstances) {
        Gauge.builder("dlrgate.cluster.instances.live", liveInstances, java.util.function.IntSupplier::getAsInt)
                .description("Gateway instances holding a live lease on the shared database, this one included "
                        + "(as of its last heartbeat)")
                .strongReference(true).register(registry);
    }

    @Override
    public void watchReportReads(ReportReads reads) {
        if (!reads.hasReplica()) {
            return;
        }
        Gauge.builder("dlrgate.replica.lag", reads, r -> r.freshness().lag().toNanos() / 1e9)
                .baseUnit("seconds")
                .description("How far the read replica (database.read_url) is behind the primary, as of its last "
                        + "probe (every second); 0 when caught up. Measured by WAL position, not by the age of the "
                        + "last replayed transaction")
                .strongReference(true).register(registry);
        Gauge.builder("dlrgate.replica.up", reads,
                        r -> r.freshness().source() == ReportReads.Source.REPLICA ? 1 : 0)
                .description("1 while reports read from the read replica, 0 while it is unreachable and they read "
                        + "from the primary")
                .strongReference(true).register(registry);
        FunctionCounter.builder("dlrgate.replica.fallback.reads", reads, ReportReads::fallbacks)
                .description("Report reads the primary answered because the read replica could not be reached")
                .register(registry);
        FunctionCounter.builder("dlrgate.replica.busy.reads", reads, ReportReads::busyReads)
                .description("Report reads the primary answered because every read replica connection was in use "
                        + "(long CSV exports); the replica stays up")
                .register(registry);
    }

    @Override
    public void watchClusterCarrier(String carrierId, java.util.function.IntSupplier liveBinds,
                                    java.util.function.DoubleSupplier submitShare) {
        Gauge.builder("dlrgate.cluster.binds", liveBinds, java.util.function.IntSupplier::getAsInt)
                .tag("carrier", carrierId)
                .description("Inbound binds of the carrier on every gateway instance with a live lease (what "
                        + "max_binds counts), as of this instance's last heartbeat")
                .strongReference(true).register(registry);
        Gauge.builder("dlrgate.cluster.submit.share", submitShare, java.util.function.DoubleSupplier::getAsDouble)
                .tag("carrier", carrierId)
                .description("This instance's share of the carrier's max_submit_rate: 1 / the live instances "
                        + "holding binds of it; 0 while it waits for the others to lower theirs")
                .strongReference(true).register(registry);
    }

    @Override
    public void watchSubmitRate(String carrierId, java.util.function.DoubleSupplier perSecond) {
        Gauge.builder("dlrgate.submit.rate.effective", perSecond, java.util.function.DoubleSupplier::getAsDouble)
                .tag("carrier", carrierId)
                .description("Submits per second the gateway allows the carrier now: max_submit_rate, lowered "
                        + "while the carrier answers ESME_RTHROTTLED/ESME_RMSGQFUL and raised again as it accepts")
                .strongReference(true).register(registry);
    }

    @Override
    public void submit(String carrierId, SubmitOutcome.Kind kind) {
        meters(carrierId).submits[kind.ordinal()].increment();
    }

    @Override
    public void receipt(ReceiptOutcome o, boolean arrival) {
        CarrierMeters m = meters(o.carrierId());
        if (arrival) {
            m.receiptCounter(statIndex(o.stat()), o.tabAfter()).increment();
        }
        // result labels are the state machine's TransitionReason labels, plus "orphan"
        switch (o.result()) {
            case ReceiptOutcome.ORPHAN -> m.orphaned.increment();
            case "duplicate" -> m.duplicate.increment();
            case "unknown_stat" -> m.unknownStat.increment();
            case "late_after_expiry_applied" -> m.lateApplied.increment();
            case "late_after_expiry_ignored" -> m.lateIgnored.increment();
            default -> {
            }
        }
        if (o.madeFinal() && o.sentAt() != null && o.decidedAt() != null) {
            long nanos = Duration.between(o.sentAt(), o.decidedAt()).toNanos();
            m.delivery.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void finalized(String carrierId, Tab tab, String cause) {
        meters(carrierId).finalizedCounter(tab, cause).increment();
    }

    @Override
    public void commit(int items, long nanos) {
        commitTimer.record(nanos, TimeUnit.NANOSECONDS);
        commitBatch.record(items);
    }

    @Override
    public void receiptsThrottled(String reason, int receipts) {
        Counter c = throttled.get(reason);
        if (c == null) {
            c = throttled.get("queue_full"); // unreachable with today's committer; keeps the label set closed
        }
        c.increment(receipts);
    }

    @Override
    public void replyStored(String carrierId, String kind) {
        Counter c = meters(carrierId).replies.get(kind);
        if (c != null) {
            c.increment();
        }
    }

    @Override
    public void replyResent(String carrierId) {
        meters(carrierId).repliesResent.increment();
    }

    @Override
    public void receiptRefused(String carrierId) {
        meters(carrierId).refused.increment();
    }

    @Override
    public void expired(String carrierId) {
        CarrierMeters m = meters(carrierId);
        m.expiries.increment();
        m.finalizedCounter(Tab.SOFT_BOUNCES, FailureCause.GATEWAY_EXPIRY).increment();
    }

    @Override
    public void partitionDropped(String table) {
        Counter.builder("dlrgate.partitions.dropped").tag("table", table)
                .description("Partitions (whole months of messages or receipts) dropped by retention")
                .register(registry).increment();
    }

    @Override
    public void suppressionAdded() {
        suppressionsAdded.increment();
    }

    @Override
    public void suppressionLifted() {
        suppressionsLifted.increment();
    }

    @Override
    public void bindLockout() {
        bindLockouts.increment();
    }

    @Override
    public void connectionRefused(String reason) {
        Counter c = connectionsRefused.get(reason);
        if (c != null) {
            c.increment();
        }
    }

    @Override
    public void liveEventsResync(String reason) {
        Counter c = resyncs.get(reason);
        if (c != null) {
            c.increment();
        }
    }

    // ------------------------------------------------------------------ gauges

    @Override
    public void watchSessions(BoundSessions sessions) {
        for (String carrier : carrierIds) {
            for (boolean outbound : new boolean[] {false, true}) {
                for (BindType type : BindType.values()) {
                    Gauge.builder("dlrgate.smpp.sessions", sessions, s -> s.boundCount(carrier, outbound, type))
                            .tags("carrier", carrier, "direction", outbound ? "out" : "in",
                                    "bind_type", type.configName())
                            .description("Carrier SMPP sessions bound now, by direction (in: the carrier bound to "
                                    + "the gateway; out: the gateway bound to the carrier's SMSC) and bind type")
                            .strongReference(true).register(registry);
                }
            }
            Gauge.builder("dlrgate.smpp.window.in.use", sessions, s -> s.windowInUse(carrier))
                    .tag("carrier", carrier)
                    .description("submit_sm sent and not answered yet, summed over the carrier's bound sessions")
                    .strongReference(true).register(registry);
            Gauge.builder("dlrgate.smpp.window.size", sessions, s -> s.windowSize(carrier))
                    .tag("carrier", carrier)
                    .description("Window size (submit_sm in flight allowed), summed over the carrier's bound sessions")
                    .strongReference(true).register(registry);
        }
    }

    @Override
    public AutoCloseable watchStore(StoreFigures figures) {
        StoreGauges g = new StoreGauges(figures, registry, carrierIds);
        g.start();
        return g;
    }

    // ------------------------------------------------------------------ per carrier

    private CarrierMeters meters(String carrierId) {
        CarrierMeters m = carrierId == null ? null : carriers.get(carrierId);
        if (m != null) {
            return m;
        }
        return others.computeIfAbsent(carrierId == null ? UNKNOWN_CARRIER : carrierId, CarrierMeters::new);
    }

    private static Counter[] bindCounters(MeterRegistry registry, String carrier) {
        Counter[] binds = new Counter[BIND_RESULTS.size()];
        for (int i = 0; i < binds.length; i++) {
            binds[i] = Counter.builder("dlrgate.smpp.bind.attempts").tags("carrier", carrier, "result",
                            BIND_RESULTS.get(i))
                    .description("Bind requests answered, by result: ok, invalid_system_id, invalid_password, "
                            + "bind_failed (not allowed: address, bind type, max_binds), already_bound "
                            + "(a second bind on a bound session); carrier \"unknown\" for an unknown system_id")
                    .register(registry);
        }
        return binds;
    }

    private int statIndex(String stat) {
        if (stat == null || stat.isEmpty()) {
            return statNone;
        }
        Integer i = statIndex.get(stat);
        if (i == null) {
            i = statIndex.get(stat.toUpperCase(Locale.ROOT)); // allocates, but only for a word not upper-case already
        }
        return i == null ? statOther : i;
    }

    /** One carrier's meters, each looked up once. */
    private final class CarrierMeters {
        final String carrier;
        final Counter[] binds;
        final Counter[] submits = new Counter[SubmitOutcome.Kind.values().length];
        final Timer submitResponse;
        final Counter throttled;
        /** [stat index][tab ordinal, or tabs.length for "none"]; filled on first use (benign race). */
        final Counter[][] receipts = new Counter[statLabels.length][Tab.values().length + 1];
        final Counter unknownStat;
        final Counter orphaned;
        final Counter duplicate;
        final Counter lateApplied;
        final Counter lateIgnored;
        final Counter refused;
        final Counter expiries;
        final Timer delivery;
        /** cause -> [tab ordinal]; filled on first use (benign race, as {@link #receipts}). */
        final Map<String, Counter[]> finalized = new ConcurrentHashMap<>();

        /** By kind's metric name; filled once in the constructor, read-only after. */
        final Map<String, Counter> replies = new HashMap<>();
        final Counter repliesResent;

        CarrierMeters(String carrier) {
            this.carrier = carrier;
            this.binds = bindCounters(registry, carrier);
            for (SubmitOutcome.Kind k : SubmitOutcome.Kind.values()) {
                if (k == SubmitOutcome.Kind.REMATCH) {
                    continue; // not a submit outcome
                }
                submits[k.ordinal()] = Counter.builder("dlrgate.submits")
                        .tags("carrier", carrier, "result", k.name().toLowerCase(Locale.ROOT))
                        .description("Submit outcomes stored: accepted (submit_sm_resp OK), rejected (an error "
                                + "status), retry (no answer in time, throttled dispatch.throttle_retries times, or the "
                                + "session closed: queued again), failed (no attempts left)")
                        .register(registry);
            }
            submitResponse = Timer.builder("dlrgate.submit.response").tag("carrier", carrier)
                    .description("Time from a submit_sm written to its submit_sm_resp")
                    .serviceLevelObjectives(SUBMIT_RESPONSE_BUCKETS).register(registry);
            throttled = counter("dlrgate.submit.throttled",
                    "submit_sm answered ESME_RTHROTTLED or ESME_RMSGQFUL: the carrier's rate is lowered and the "
                            + "submit sent again (up to dispatch.throttle_retries times per attempt)");
            unknownStat = counter("dlrgate.receipts.unknown.stat",
                    "Receipts whose stat word the stat mapping does not list (the message stays Pending)");
            orphaned = counter("dlrgate.receipts.orphaned",
                    "Receipts for a message id not known (yet) when stored: kept as orphans, matched when the "
                            + "submit_sm_resp arrives");
            duplicate = counter("dlrgate.receipts.duplicate",
                    "Receipts repeating the stat a message already has: stored, nothing changed");
            lateApplied = Counter.builder("dlrgate.receipts.late").tags("carrier", carrier, "result", "applied")
                    .description("Receipts arriving after the gateway expired the message: applied (late "
                            + "DELIVRD under delivered_wins) or ignored").register(registry);
            lateIgnored = Counter.builder("dlrgate.receipts.late").tags("carrier", carrier, "result", "ignored")
                    .description("Receipts arriving after the gateway expired the message: applied (late "
                            + "DELIVRD under delivered_wins) or ignored").register(registry);
            for (ReplyKind k : ReplyKind.values()) {
                replies.put(k.metricName(), Counter.builder("dlrgate.replies")
                        .tags("carrier", carrier, "kind", k.metricName())
                        .description("Recipients' replies (mobile-originated deliver_sm/data_sm) stored and "
                                + "acknowledged: reply, opt_out (an opt-out keyword), opt_in (an opt-in keyword)")
                        .register(registry));
            }
            repliesResent = counter("dlrgate.replies.duplicate",
                    "Carriers' resends of a reply already stored (within replies.duplicate_window): acknowledged, "
                            + "not stored again, not counted in dlrgate_replies_total");
            refused = counter("dlrgate.receipts.refused",
                    "deliver_sm/data_sm refused with a permanent error: not a receipt, no message id, an id too long, "
                            + "or data the store refuses");
            expiries = counter("dlrgate.expiries",
                    "Messages the gateway moved to Soft bounces because their validity period (plus grace) ran out");
            delivery = Timer.builder("dlrgate.delivery").tag("carrier", carrier)
                    .description("Time from submit (sent_at) to the receipt that made the message final")
                    .serviceLevelObjectives(DELIVERY_BUCKETS).register(registry);
        }

        private Counter counter(String name, String description) {
            return Counter.builder(name).tag("carrier", carrier).description(description).register(registry);
        }

        Counter finalizedCounter(Tab tab, String cause) {
            Counter[] byTab = finalized.computeIfAbsent(cause, k -> new Counter[Tab.values().length]);
            Counter c = byTab[tab.ordinal()];
            if (c == null) {
                c = Counter.builder("dlrgate.messages.finalized")
                        .tags("carrier", carrier, "tab", tab.slug(), "cause", cause)
                        .description("Messages that reached a final tab, counted once per message when it first "
                                + "does, by what decided it: receipt, gateway-expiry, submit-rejected, "
                                + "submit-timeout, submit-failed")
                        .register(registry); // idempotent: a racing thread gets the same counter
                byTab[tab.ordinal()] = c;
            }
            return c;
        }

        Counter receiptCounter(int stat, Tab tabAfter) {
            int t = tabAfter == null ? Tab.values().length : tabAfter.ordinal();
            Counter c = receipts[stat][t];
            if (c == null) {
                c = Counter.builder("dlrgate.receipts")
                        .tags("carrier", carrier, "stat", statLabels[stat], "tab",
                                tabAfter == null ? TAB_NONE : tabAfter.slug())
                        .description("Receipts stored, by stat word (words the mapping does not know: OTHER; none: "
                                + "NONE) and the tab of their message after the receipt (none: not matched yet)")
                        .register(registry); // idempotent: a racing thread gets the same counter
                receipts[stat][t] = c;
            }
            return c;
        }
    }

    private static Duration[] millis(long... ms) {
        Duration[] out = new Duration[ms.length];
        for (int i = 0; i < ms.length; i++) {
            out[i] = Duration.ofMillis(ms[i]);
        }
        return out;
    }
}
