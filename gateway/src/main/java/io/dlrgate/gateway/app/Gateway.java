package io.dlrgate.gateway.app;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.dlrgate.config.CarrierConfig;
import io.dlrgate.config.ConfigLoader;
import io.dlrgate.config.ExpiryConfig;
import io.dlrgate.config.GatewayConfig;
import io.dlrgate.gateway.cluster.ClusterBinds;
import io.dlrgate.gateway.cluster.ConnectSlots;
import io.dlrgate.gateway.cluster.InstanceLease;
import io.dlrgate.gateway.cluster.SubmitShare;
import io.dlrgate.gateway.dispatch.Dispatcher;
import io.dlrgate.gateway.dispatch.PartMeter;
import io.dlrgate.gateway.events.EventBroadcast;
import io.dlrgate.gateway.events.TabEvents;
import io.dlrgate.gateway.expiry.ExpiryScheduler;
import io.dlrgate.gateway.http.ApiServer;
import io.dlrgate.gateway.http.DescriptorBudget;
import io.dlrgate.gateway.http.Readiness;
import io.dlrgate.gateway.intake.OrphanReporter;
import io.dlrgate.gateway.intake.ReceiptIntake;
import io.dlrgate.gateway.carriers.CarrierOverview;
import io.dlrgate.gateway.carriers.RecentActivity;
import io.dlrgate.gateway.carriers.SessionTimes;
import io.dlrgate.gateway.metrics.GatewayMetrics;
import io.dlrgate.gateway.metrics.MetricsCommitListener;
import io.dlrgate.gateway.metrics.MicrometerGatewayMetrics;
import io.dlrgate.gateway.metrics.ProcessMetrics;
import io.dlrgate.gateway.retention.PartitionMaintenance;
import io.dlrgate.gateway.send.LinkRewriter;
import io.dlrgate.gateway.send.SendService;
import io.dlrgate.gateway.smpp.CarrierSessions;
import io.dlrgate.gateway.smpp.EnquireLinkKeeper;
import io.dlrgate.gateway.smpp.OutboundSessions;
import io.dlrgate.gateway.smpp.SmppGatewayServer;
import io.dlrgate.gateway.smpp.client.SmppClient;
import io.dlrgate.gateway.tls.CertificateReloader;
import io.dlrgate.gateway.tls.Reloadable;
import io.dlrgate.reporting.bounce.BounceRules;
import io.dlrgate.reporting.campaign.CampaignStore;
import io.dlrgate.reporting.cluster.CarrierBindStore;
import io.dlrgate.reporting.cluster.InstanceStore;
import io.dlrgate.reporting.correlation.CorrelationWindow;
import io.dlrgate.reporting.correlation.OrphanStore;
import io.dlrgate.reporting.db.Database;
import io.dlrgate.reporting.db.ReportReads;
import io.dlrgate.reporting.expiry.ExpirySweeper;
import io.dlrgate.reporting.links.LinkStore;
import io.dlrgate.reporting.message.MessageStore;
import io.dlrgate.reporting.notify.EventChannel;
import io.dlrgate.reporting.notify.EventListener;
import io.dlrgate.reporting.notify.Notifier;
import io.dlrgate.reporting.replies.ReplyQueries;
import io.dlrgate.reporting.report.ReportQueries;
import io.dlrgate.reporting.report.StoreFigures;
import io.dlrgate.reporting.retention.PartitionStore;
import io.dlrgate.reporting.session.LoginSessionStore;
import io.dlrgate.reporting.settings.SettingsStore;
import io.dlrgate.reporting.state.DeliveryStateMachine;
import io.dlrgate.reporting.state.LateReceiptPolicy;
import io.dlrgate.reporting.state.StatMapping;
import io.dlrgate.reporting.suppression.SuppressionSettings;
import io.dlrgate.reporting.suppression.InvalidNumberBounces;
import io.dlrgate.reporting.suppression.SuppressionStore;
import io.dlrgate.reporting.write.DeliveryWriter;
import io.dlrgate.reporting.write.GroupCommitter;
import io.dlrgate.reporting.write.SingleSendCommitter;
import io.dlrgate.gateway.webhooks.WebhookWorker;
import io.dlrgate.reporting.webhooks.Outbox;
import io.dlrgate.reporting.webhooks.OutboxLanes;
import io.dlrgate.reporting.webhooks.WebhookEndpointStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: the composition root that builds every part from the config, starts them in order
 * and stops them in reverse. Nothing else news up the parts.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    /** How often old orphan receipts are looked for and reported. */
    static final Duration ORPHAN_REPORT_EVERY = Duration.ofMinutes(1);

    /** The stores the send path and the API share. */
    private record Stores(MessageStore messages, CampaignStore campaigns, SuppressionStore suppressions,
                          WebhookEndpointStore webhooks) {
    }

    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    private final GatewayConfig config;
    private final boolean metricsOn;
    private Database database;
    private ReportReads reportReads;
    private PrometheusMeterRegistry registry;
    private GatewayMetrics metrics = GatewayMetrics.NOOP;
    private ApiKeys.Resolved apiKey;
    private GroupCommitter committer;
    private Dispatcher dispatcher;
    private SmppGatewayServer smpp;
    private SmppClient smppClient;
    private ExpiryScheduler expiry;
    private OrphanReporter orphans;
    private PartitionMaintenance partitions;
    private ApiServer api;
    private int httpPort;
    /** Where every writer of a state change puts its webhook events, in the change's transaction. */
    private final Outbox outbox = new Outbox();
    private WebhookWorker webhooks;
    private CertificateReloader certificates;

    private Gateway(GatewayConfig config, boolean metricsOn) {
        this.config = config;
        this.metricsOn = metricsOn;
    }

    public static Gateway start(GatewayConfig config, Clock clock) throws Exception {
        return start(config, clock, true);
    }

    /**
     * @param metricsOn false only to measure what metrics cost (the benchmark): every part then reports to a
     *                  no-op {@link GatewayMetrics}, and {@code /metrics} serves an empty registry. Deliberately
     *                  not a config setting: a gateway in service always has its metrics.
     */
    public static Gateway start(GatewayConfig config, Clock clock, boolean metricsOn) throws Exception {
        Gateway g = new Gateway(config, metricsOn);
        try {
            g.startParts(clock);
            return g;
        } catch (Exception | Error e) {
            g.close();
            throw e;
        }
    }

    /**
     * Each step pushes what it started onto {@link #toClose}, so {@link #close()} stops the parts in reverse:
     * HTTP first, then the schedulers; then submits are quiesced (no new ones, the answers to those in flight
     * awaited: see {@link #quiesceSubmits}) before the SMPP client and server unbind; then dispatch, the write
     * engine (which stores what the closes requeued), and the store last.
     */
    private void startParts(Clock clock) throws Exception {
        DescriptorBudget.check(config);
        openDatabase();
        startMetrics();
        openReportReads(clock);
        InstanceLease lease = startLease();
        Stores stores = openStores(clock, lease);
        CorrelationWindow correlation = correlationWindow();
        startWriteEngine(correlation, clock);
        // The registry comes first: the SMPP server enters binds in it and the dispatcher submits through it.
        // Binds count against max_binds across the instances, and the rate is split among them.
        CarrierBindStore bindStore = new CarrierBindStore(database.dataSource());
        ClusterBinds clusterBinds = new ClusterBinds(bindStore, lease);
        CarrierSessions sessions = new CarrierSessions(clusterBinds);
        CarrierOverview carriers = watchCarriers(sessions, clock);
        startDispatch(sessions, stores.messages(), lease, clusterBinds, clock);
        startSmppServer(sessions, clock);
        shareCarriers(lease, bindStore, clusterBinds, sessions);
        startSchedulers(correlation, clock);
        startHttp(stores, carriers, clock);
        watchCertificates();
        log.info("dlrgate up: SMPP on {}:{}{}, HTTP on {}://{}:{}/, store {}", config.smpp().host(), smpp.port(),
                smpp.tlsPort() < 0 ? "" : " (TLS on " + smpp.tlsPort() + ")", api.scheme(), config.http().host(),
                httpPort, database.describe());
    }

    private void openDatabase() {
        database = Database.open(config.database());
        toClose.push(database);
    }

    /** ONE registry for the process: the gateway's meters, HikariCP's, the JVM's; /metrics scrapes it. */
    private void startMetrics() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        if (!metricsOn) {
            return;
        }
        metrics = new MicrometerGatewayMetrics(registry, config);
        toClose.push(ProcessMetrics.bind(registry, version()));
        DataSource ds = database.dataSource();
        if (ds instanceof HikariDataSource hikari) {
            hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        }
        toClose.push(metrics.watchStore(new StoreFigures(ds)));
    }

    /** Where the reports read: the read replica when {@code database.read_url} names one, probed every second. */
    private void openReportReads(Clock clock) {
        reportReads = ReportReads.open(database.dataSource(), config.database().replica(), clock).start();
        toClose.push(reportReads);
        metrics.watchReportReads(reportReads);
        if (metrics.enabled()) {
            // hikaricp_* of the replica's pool, beside the primary's (pool="dlrgate-replica").
            reportReads.trackPool(new MicrometerMetricsTrackerFactory(registry));
        }
    }

    /**
     * This instance's lease on the shared database, before anything claims: it takes over what dead instances left
     * in flight. Stopped after the write engine (pushed before it): released once the stop's drain stored every
     * outcome, so only submits never answered go back to the queue, and renewed until then.
     */
    private InstanceLease startLease() throws SQLException {
        InstanceLease lease = InstanceLease.start(new InstanceStore(database.dataSource()), config.cluster());
        toClose.push(lease);
        metrics.watchCluster(lease::liveInstances);
        return lease;
    }

    private Stores openStores(Clock clock, InstanceLease lease) throws SQLException {
        DataSource ds = database.dataSource();
        outbox.reload(ds);
        MessageStore messages = new MessageStore(ds, clock, outbox, lease);
        SuppressionStore suppressions = new SuppressionStore(ds, clock, outbox);
        if (metrics.enabled()) {
            suppressions.setListener(suppressionMeter(metrics));
        }
        InvalidNumberBounces invalidBounces = new InvalidNumberBounces(config.bounces(), outbox);
        if (metrics.enabled()) {
            invalidBounces.setListener(suppressionMeter(metrics));
        }
        apiKey = ApiKeys.resolve(config.http().apiKey(), new SettingsStore(ds));
        return new Stores(messages, new CampaignStore(ds, messages, clock, invalidBounces), suppressions,
                new WebhookEndpointStore(ds, clock, outbox));
    }

    /** Counts numbers put on or taken off the suppressed list through the API. */
    private static SuppressionStore.Listener suppressionMeter(GatewayMetrics m) {
        return new SuppressionStore.Listener() {
            @Override
            public void added() {
                m.suppressionAdded();
            }

            @Override
            public void lifted() {
                m.suppressionLifted();
            }
        };
    }

    /** How long each carrier may reuse a message id: receipts are matched within it. */
    private CorrelationWindow correlationWindow() {
        Map<String, Duration> horizons = new HashMap<>();
        config.carriers().forEach(c -> horizons.put(c.id(), c.idReuseHorizon()));
        return new CorrelationWindow(horizons);
    }

    /** The group committer: receipts and submit outcomes from every session, written in batches. */
    private void startWriteEngine(CorrelationWindow correlation, Clock clock) {
        LateReceiptPolicy latePolicy = latePolicy(config.expiry());
        Map<String, DeliveryStateMachine> machines = new HashMap<>();
        for (CarrierConfig c : config.carriers()) {
            machines.put(c.id(), DeliveryStateMachine.forCarrier(config.receipts(), c, latePolicy));
        }
        DeliveryStateMachine fallback = new DeliveryStateMachine(
                StatMapping.of(config.receipts().statMapping()), latePolicy);
        DeliveryWriter writer = new DeliveryWriter(database.dataSource(), id -> machines.getOrDefault(id, fallback),
                clock, BounceRules.of(config.carriers(), config.bounces()), correlation, outbox);
        committer = new GroupCommitter(writer, config.receipts());
        if (metrics.enabled()) {
            committer.addListener(new MetricsCommitListener(metrics));
        }
        committer.start();
        toClose.push(committer);
    }

    /** What the carriers page shows: sessions' up and down times, the last minute of traffic (from the committer). */
    private CarrierOverview watchCarriers(CarrierSessions sessions, Clock clock) {
        SessionTimes times = new SessionTimes(clock);
        sessions.addListener(times);
        RecentActivity activity = new RecentActivity(config.carriers().stream().map(CarrierConfig::id).toList(), clock);
        committer.addListener(activity);
        // The dispatcher starts after this: looked up when asked.
        return new CarrierOverview(config.carriers(), sessions, id -> dispatcher.effectiveRate(id), activity, times);
    }

    private void startDispatch(CarrierSessions sessions, MessageStore messages, InstanceLease lease,
                               SubmitShare share, Clock clock) throws SQLException {
        dispatcher = new Dispatcher(config, messages, sessions, lease, share, committer, clock, metrics);
        dispatcher.start();
        toClose.push(dispatcher);
    }

    /**
     * The SMPP server carriers bind to, and the client that binds out to the carriers with a {@code connect} block.
     * Both enter their sessions in the same registry: receipts go to the one intake, everything about submits to
     * the dispatcher, whichever side opened the session.
     */
    private void startSmppServer(CarrierSessions sessions, Clock clock) throws Exception {
        ReceiptIntake intake = new ReceiptIntake(config.carriers(), committer, clock, metrics, config.replies());
        smpp = new SmppGatewayServer(config.smpp(), config.carriers(), sessions, intake, dispatcher, metrics, clock);
        metrics.watchSessions(sessions);
        boolean inboundChecks = !config.smpp().enquireLinkInterval().isZero();
        boolean outboundChecks = config.carriers().stream()
                .anyMatch(c -> c.connect() != null && !c.connect().enquireLinkInterval().isZero());
        if (inboundChecks || outboundChecks) {
            EnquireLinkKeeper keeper = new EnquireLinkKeeper(config.smpp().enquireLinkInterval(),
                    config.smpp().requestExpiry(), !inboundChecks);
            sessions.addListener(keeper);
            toClose.push(keeper);
        }
        PortUnavailableException.listen("SMPP", config.smpp().host(), config.smpp().port(), "smpp.port",
                ConfigLoader.ENV_SMPP_PORT, () -> {
                    try {
                        smpp.start();
                    } catch (SmppGatewayServer.TlsListenerException e) {
                        PortUnavailableException.listen("SMPP TLS", config.smpp().host(), config.smpp().tls().port(),
                                "smpp.tls.port", ConfigLoader.ENV_SMPP_TLS_PORT, () -> {
                                    throw e;
                                });
                    }
                });
        // Stop the SMPP server before the dispatcher and committer: closed sessions hand their in-flight
        // submits back to the committer, which must still be running to store them.
        toClose.push(smpp);
        // The dispatcher already follows the registry's binds and closes (the server registered it).
        smppClient = new SmppClient(config.carriers(),
                new OutboundSessions(sessions, intake, dispatcher, metrics, config.smpp().requestExpiry()), metrics);
        toClose.push(smppClient); // stopped first, for the same reason as the server
        // Pushed after both SMPP roles, so it runs before either unbinds: quiesce first. Unbinding while
        // submits are in flight resends them: the peer answers the unbind at once, the submit_sm_resps later,
        // and the close requeues what is still in the window although the peer may have taken it.
        toClose.push(() -> quiesceSubmits(sessions));
    }

    /**
     * Carrier limits across the instances: this instance takes its share of the connect carriers' outbound sessions
     * (the binds start at once, on the client's threads: an SMSC that is down does not hold up the start) and reads
     * its share of each carrier's rate; both again after every heartbeat, when instances join or leave.
     */
    private void shareCarriers(InstanceLease lease, CarrierBindStore store, ClusterBinds binds,
                               CarrierSessions sessions) {
        ConnectSlots slots = new ConnectSlots(store, lease, smppClient);
        Runnable refresh = () -> {
            slots.balance();
            binds.heartbeat(sessions::inboundSessionIds, sessions::all);
        };
        refresh.run();
        lease.afterHeartbeat(refresh);
        config.carriers().forEach(c -> metrics.watchClusterCarrier(c.id(), () -> binds.liveBinds(c.id()),
                () -> binds.of(c.id())));
    }

    /**
     * The first step of the stop (for both roles): no session takes new submits, the dispatchers stop claiming,
     * and the answers to what is in flight get up to {@code dispatch.submit_timeout} to come (submits still
     * unanswered after it count as timed out anyway). They are stored as they come, receipts too (the committer
     * stops last). Then the SMPP client and server unbind, and requeue only what is still unanswered.
     */
    private void quiesceSubmits(CarrierSessions sessions) throws InterruptedException {
        sessions.drain();
        dispatcher.stopSubmitting();
        Duration maxWait = config.dispatch().submitTimeout();
        int left = sessions.awaitEmptyWindows(maxWait);
        if (left > 0) {
            log.warn("stopping: {} requests still unanswered after {}; the unbind requeues their submits", left,
                    maxWait);
        }
    }

    /** The expiry sweeper, the orphan reporter, and the partitions' maintenance and retention. */
    private void startSchedulers(CorrelationWindow correlation, Clock clock) {
        DataSource ds = database.dataSource();
        partitions = new PartitionMaintenance(new PartitionStore(ds), config.retention(), clock, metrics);
        partitions.start();
        toClose.push(partitions);
        expiry = new ExpiryScheduler(new ExpirySweeper(ds, config.expiry().grace(), config.expiry().batchSize(), outbox),
                config.expiry(), clock, metrics);
        expiry.start();
        toClose.push(expiry);
        orphans = new OrphanReporter(new OrphanStore(ds, correlation), config.receipts().orphanMaxAge(), clock,
                committer);
        orphans.start(ORPHAN_REPORT_EVERY);
        toClose.push(orphans);
    }

    /**
     * The API, the web UI, live events (this instance's and, through the store's LISTEN/NOTIFY, the other
     * instances') and /metrics, on one Vert.x.
     */
    private void startHttp(Stores stores, CarrierOverview carriers, Clock clock) throws Exception {
        DataSource ds = database.dataSource();
        Vertx vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(16));
        toClose.push(() -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        startWebhooks(vertx, stores.webhooks(), clock);
        LinkStore links = new LinkStore(ds, clock);
        EventChannel channel = EventChannel.withNewOrigin();
        EventBroadcast broadcast = new EventBroadcast(vertx, new Notifier(ds, channel), metrics);
        TabEvents events = new TabEvents(broadcast);
        toClose.push(events);
        committer.addListener(events);
        toClose.push(EventListener.start(database, channel, broadcast));
        SingleSendCommitter singles = new SingleSendCommitter(ds, stores.messages(),
                stored -> singlesCommitted(stored, events));
        singles.start();
        SendService send = new SendService(config, stores.campaigns(), stores.suppressions(), clock, dispatcher,
                singles, new LinkRewriter(links, config.http().publicBaseUrl()), committer::tellFinalized,
                new PartMeter());
        api = new ApiServer(vertx, config.http(), apiKey.key(), new ApiServer.Services(send, stores.messages(),
                stores.campaigns(), new ReportQueries(ds, reportReads), links, stores.suppressions(), config.auth(), events,
                registry, clock, new SuppressionSettings(ds, config.bounces()),
                new Readiness(database::problem, smpp::listening), new LoginSessionStore(ds, clock, config.auth()),
                new io.dlrgate.reporting.user.UserStore(ds, clock), carriers, stores.webhooks(), config.webhooks(),
                new ReplyQueries(ds)));
        try {
            PortUnavailableException.listen("HTTP", config.http().host(), config.http().port(), "http.port",
                    ConfigLoader.ENV_HTTP_PORT, () -> httpPort = api.start());
        } catch (Exception e) {
            singles.close();
            throw e;
        }
        toClose.push(api);
        // Closed before the API (pushed after it): the sends still queued are stored and answered while their
        // connections are open; a send arriving after that is answered "try again".
        toClose.push(singles);
    }

    /**
     * What a committed batch of single sends sets off: the dispatcher woken once per carrier with new messages, and one
     * live "queued" event for the batch (the UI's Pending count of single sends grows). On the committer's thread.
     */
    private void singlesCommitted(List<SingleSendCommitter.Stored> stored, TabEvents events) {
        int queued = 0;
        Set<String> carriers = new HashSet<>();
        for (SingleSendCommitter.Stored s : stored) {
            if (!s.suppressed()) {
                queued++;
                carriers.add(s.message().carrierId());
            }
        }
        carriers.forEach(dispatcher::queued);
        events.queued(null, queued);
    }

    /**
     * The webhook delivery worker, on the HTTP side's Vert.x (its web client); stopped before that Vert.x. With
     * metrics off its meters go to a registry nobody reads.
     */
    private void startWebhooks(Vertx vertx, WebhookEndpointStore endpoints, Clock clock) {
        webhooks = new WebhookWorker(vertx, config.webhooks(), endpoints, new OutboxLanes(database.dataSource()),
                clock, metricsOn ? registry : new SimpleMeterRegistry(), GroupCommitter.DEFAULT_LANES,
                config.receipts().batchSize());
        committer.addListener(webhooks.intakeListener()); // yields to receipt intake while it is saturated
        webhooks.start();
        toClose.push(webhooks);
    }

    /**
     * Reloads the listeners' certificates and the outbound binds' trust files when they change; nothing to do
     * without them.
     */
    private void watchCertificates() {
        List<Reloadable> all = new ArrayList<>(smppClient.tlsFiles());
        all.addAll(smpp.tlsFiles());
        if (api.tlsCertificate() != null) {
            all.add(api.tlsCertificate());
        }
        if (!all.isEmpty()) {
            certificates = new CertificateReloader(all, CertificateReloader.DEFAULT_POLL);
            toClose.push(certificates);
        }
    }

    /** Reads the certificate and trust files again now (SIGHUP); false when nothing uses TLS files. */
    public boolean reloadCertificates() {
        if (certificates == null) {
            return false;
        }
        certificates.reloadNow();
        return true;
    }

    /** True when a listener (SMPP or HTTP) speaks TLS or an outbound bind has a trust file. */
    public boolean usesTls() {
        return certificates != null;
    }

    /** The SMPP TLS listener's port; -1 without smpp.tls. */
    public int smppTlsPort() {
        return smpp.tlsPort();
    }

    /** {@code https} with http.tls, else {@code http}. */
    public String httpScheme() {
        return api.scheme();
    }

    public int smppPort() {
        return smpp.port();
    }

    public int httpPort() {
        return httpPort;
    }

    public String apiKey() {
        return apiKey.key();
    }

    /** True when this start generated the API key (so it should be shown to the operator once). */
    public boolean apiKeyGenerated() {
        return apiKey.generated();
    }

    public GatewayConfig config() {
        return config;
    }

    public Database database() {
        return database;
    }

    public SmppGatewayServer smpp() {
        return smpp;
    }

    /** The outbound binds (to carriers with a {@code connect} block). */
    public SmppClient smppClient() {
        return smppClient;
    }

    public GroupCommitter committer() {
        return committer;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    public OrphanReporter orphans() {
        return orphans;
    }

    public ExpiryScheduler expiry() {
        return expiry;
    }

    /** Creates the monthly partitions ahead and applies retention. */
    public PartitionMaintenance partitions() {
        return partitions;
    }

    /** What the parts report to ({@link GatewayMetrics#NOOP} when started with metrics off). */
    public GatewayMetrics metrics() {
        return metrics;
    }

    /** The registry {@code /metrics} serves. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The version from the jar's manifest (set by the build), or "dev" when run from classes. */
    public static String version() {
        String v = Gateway.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** {@code expiry.late_receipts} as the state machine's policy. */
    static LateReceiptPolicy latePolicy(ExpiryConfig expiry) {
        return switch (expiry.lateReceipts()) {
            case DELIVERED_WINS -> LateReceiptPolicy.DELIVERED_WINS;
            case IGNORE -> LateReceiptPolicy.IGNORE_LATE;
        };
    }

    @Override
    public void close() {
        while (!toClose.isEmpty()) {
            AutoCloseable c = toClose.pop();
            try {
                c.close();
            } catch (Exception e) {
                log.warn("error while stopping {}: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
