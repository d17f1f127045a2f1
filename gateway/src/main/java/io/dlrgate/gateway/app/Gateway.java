package io.dlrgate.gateway.app;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.dlrgate.config.CarrierConfig;
import io.dlrgate.config.ExpiryConfig;
import io.dlrgate.config.GatewayConfig;
import io.dlrgate.gateway.dispatch.Dispatcher;
import io.dlrgate.gateway.events.TabEvents;
import io.dlrgate.gateway.expiry.ExpiryScheduler;
import io.dlrgate.gateway.http.ApiServer;
import io.dlrgate.gateway.intake.OrphanReporter;
import io.dlrgate.gateway.intake.ReceiptIntake;
import io.dlrgate.gateway.metrics.GatewayMetrics;
import io.dlrgate.gateway.metrics.MetricsCommitListener;
import io.dlrgate.gateway.metrics.MicrometerGatewayMetrics;
import io.dlrgate.gateway.metrics.ProcessMetrics;
import io.dlrgate.gateway.send.SendService;
import io.dlrgate.gateway.smpp.EnquireLinkKeeper;
import io.dlrgate.gateway.smpp.SmppGatewayServer;
import io.dlrgate.reporting.campaign.CampaignStore;
import io.dlrgate.reporting.correlation.CorrelationWindow;
import io.dlrgate.reporting.correlation.OrphanStore;
import io.dlrgate.reporting.db.Database;
import io.dlrgate.reporting.expiry.ExpirySweeper;
import io.dlrgate.reporting.message.MessageStore;
import io.dlrgate.reporting.report.ReportQueries;
import io.dlrgate.reporting.settings.SettingsStore;
import io.dlrgate.reporting.state.DeliveryStateMachine;
import io.dlrgate.reporting.state.LateReceiptPolicy;
import io.dlrgate.reporting.suppression.SuppressionStore;
import io.dlrgate.reporting.write.DeliveryWriter;
import io.dlrgate.reporting.write.GroupCommitter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: the composition root that builds every part from the config, starts them in order
 * and stops them in reverse. Nothing else news up the parts.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    /** The sender shown on handsets for messages the gateway submits. */
    static final String SOURCE_ADDRESS = "DLRGATE";

    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    private final GatewayConfig config;
    private Database database;
    private SmppGatewayServer smpp;
    private ApiServer api;
    private GroupCommitter committer;
    private Dispatcher dispatcher;
    private ExpiryScheduler expiry;
    private OrphanReporter orphans;
    /** How often old orphan receipts are looked for and reported. */
    static final java.time.Duration ORPHAN_REPORT_EVERY = java.time.Duration.ofMinutes(1);
    private ApiKeys.Resolved apiKey;
    private int httpPort;
    private final boolean metricsOn;
    private PrometheusMeterRegistry registry;
    private GatewayMetrics metrics = GatewayMetrics.NOOP;

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

    private void startParts(Clock clock) throws Exception {
        io.dlrgate.gateway.http.DescriptorBudget.check(config);
        database = Database.open(config.database());
        toClose.push(database);
        var ds = database.dataSource();
        // ONE registry for the process: the gateway's meters, HikariCP's, the JVM's; /metrics scrapes it.
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        if (metricsOn) {
            metrics = new MicrometerGatewayMetrics(registry, config);
            toClose.push(ProcessMetrics.bind(registry, version()));
            if (ds instanceof HikariDataSource hikari) {
                hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
            }
            toClose.push(metrics.watchStore(ds));
        }
        MessageStore messages = new MessageStore(ds, clock);
        CampaignStore campaigns = new CampaignStore(ds, messages, clock);
        SuppressionStore suppressions = new SuppressionStore(ds, clock);
        SettingsStore settings = new SettingsStore(ds);
        apiKey = ApiKeys.resolve(config.http().apiKey(), settings);

        LateReceiptPolicy latePolicy = latePolicy(config.expiry());
        Map<String, DeliveryStateMachine> machines = new HashMap<>();
        for (CarrierConfig c : config.carriers()) {
            machines.put(c.id(), DeliveryStateMachine.forCarrier(config.receipts(), c, latePolicy));
        }
        Map<String, java.time.Duration> horizons = new HashMap<>();
        config.carriers().forEach(c -> horizons.put(c.id(), c.idReuseHorizon()));
        CorrelationWindow correlation = new CorrelationWindow(horizons);
        DeliveryStateMachine fallback = new DeliveryStateMachine(
                io.dlrgate.reporting.state.StatMapping.of(config.receipts().statMapping()), latePolicy);
        committer = new GroupCommitter(new DeliveryWriter(ds, id -> machines.getOrDefault(id, fallback), clock,
                io.dlrgate.reporting.bounce.BounceRules.of(config.carriers(), config.bounces()), correlation),
                config.receipts());
        if (metrics.enabled()) {
            committer.addListener(new MetricsCommitListener(metrics));
            GatewayMetrics m = metrics;
            suppressions.setListener(new SuppressionStore.Listener() { // added or lifted through the API
                @Override
                public void added() {
                    m.suppressionAdded();
                }

                @Override
                public void lifted() {
                    m.suppressionLifted();
                }
            });
        }
        committer.start();
        toClose.push(committer);

        TrafficRouter traffic = new TrafficRouter(metrics);
        smpp = new SmppGatewayServer(config.smpp(), config.carriers(), traffic, metrics, clock);
        metrics.watchSessions(smpp.sessions());
        dispatcher = new Dispatcher(config, messages, smpp.sessions(), committer, clock, SOURCE_ADDRESS);
        traffic.wire(dispatcher, new ReceiptIntake(config.carriers(), committer, clock, metrics));
        dispatcher.start();
        toClose.push(dispatcher);
        if (!config.smpp().enquireLinkInterval().isZero()) {
            EnquireLinkKeeper keeper = new EnquireLinkKeeper(config.smpp().enquireLinkInterval(),
                    config.smpp().requestExpiry());
            smpp.sessions().addListener(keeper);
            toClose.push(keeper);
        }
        PortUnavailableException.listen("SMPP", config.smpp().host(), config.smpp().port(), "smpp.port",
                io.dlrgate.config.ConfigLoader.ENV_SMPP_PORT, smpp::start);
        // Stop the SMPP server before the dispatcher and committer: closed sessions hand their in-flight
        // submits back to the committer, which must still be running to store them.
        toClose.push(smpp);

        expiry = new ExpiryScheduler(new ExpirySweeper(ds, config.expiry().grace(), config.expiry().batchSize()),
                config.expiry(), clock, metrics);
        expiry.start();
        toClose.push(expiry);
        orphans = new OrphanReporter(new OrphanStore(ds, correlation), config.receipts().orphanMaxAge(), clock, committer);
        orphans.start(ORPHAN_REPORT_EVERY);
        toClose.push(orphans);

        Vertx vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(16));
        toClose.push(() -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        io.dlrgate.reporting.links.LinkStore links = new io.dlrgate.reporting.links.LinkStore(ds, clock);
        SendService send = new SendService(config, messages, campaigns, suppressions, clock, dispatcher,
                new io.dlrgate.gateway.send.LinkRewriter(links, config.http().publicBaseUrl()));
        TabEvents events = new TabEvents(vertx);
        toClose.push(events);
        committer.addListener(events);
        api = new ApiServer(vertx, config.http(), apiKey.key(), new ApiServer.Services(send, messages, campaigns,
                new ReportQueries(ds), links, suppressions, config.auth(), events, registry, clock,
                new io.dlrgate.reporting.suppression.SuppressionSettings(ds, config.bounces()),
                new io.dlrgate.gateway.http.Readiness(ds, smpp::listening),
                new io.dlrgate.reporting.session.LoginSessionStore(ds, clock, config.auth()),
                new io.dlrgate.reporting.user.UserStore(ds, clock)));
        PortUnavailableException.listen("HTTP", config.http().host(), config.http().port(), "http.port",
                io.dlrgate.config.ConfigLoader.ENV_HTTP_PORT, () -> httpPort = api.start());
        toClose.push(api);
        log.info("dlrgate up: SMPP on {}:{}, HTTP on http://{}:{}/, store {}", config.smpp().host(), smpp.port(),
                config.http().host(), httpPort, database.describe());
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

    /** What the parts report to ({@link GatewayMetrics#NOOP} when started with metrics off). */
    public GatewayMetrics metrics() {
        return metrics;
    }

    /** The registry {@code /metrics} serves. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    static String version() {
        return io.dlrgate.gateway.cli.VersionProvider.version();
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
