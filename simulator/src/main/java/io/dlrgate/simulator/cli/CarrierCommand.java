package io.dlrgate.simulator.cli;

import com.cloudhopper.smpp.SmppBindType;
import io.dlrgate.simulator.carrier.IdFormat;
import io.dlrgate.simulator.carrier.IdStarts;
import io.dlrgate.simulator.carrier.LedgerFile;
import io.dlrgate.simulator.carrier.SimCarrierSettings;
import io.dlrgate.simulator.carrier.SimulatedCarrier;
import io.dlrgate.simulator.control.MetricsServer;
import io.dlrgate.simulator.outcome.DelayRange;
import io.dlrgate.simulator.outcome.OutcomeWeights;
import io.dlrgate.simulator.receipt.ReceiptDialect;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dlrgate-sim carrier}: runs one or more simulated carriers until Ctrl-C (or --max-seconds). Exit 3 when
 * the gateway refuses a bind or cannot be reached (one line on stderr says which).
 */
@Command(name = "carrier", mixinStandardHelpOptions = true,
        description = "Bind simulated carriers to the gateway, answer submit_sm and send receipts.")
public final class CarrierCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "gateway host (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "2775", description = "gateway SMPP port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--system-id", defaultValue = "sim", split = ",",
            description = "system_id; repeat or comma-separate to run several carriers (default: ${DEFAULT-VALUE})")
    List<String> systemIds;

    @Option(names = "--password", defaultValue = "secret", split = ",",
            description = "password; one for all carriers or one per --system-id (default: ${DEFAULT-VALUE})")
    List<String> passwords;

    @Option(names = "--bind-type", defaultValue = "transceiver",
            description = "transceiver, receiver, transmitter, or receiver+transmitter (two binds per session) (default: ${DEFAULT-VALUE})")
    String bindType;

    @Option(names = "--sessions", defaultValue = "1", description = "sessions per carrier (default: ${DEFAULT-VALUE})")
    int sessions;

    @Option(names = "--window", defaultValue = "50", description = "receipts in flight per session (default: ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--id-format", defaultValue = "decimal",
            description = "issued ids: decimal, hex, zero-padded, uuid (default: ${DEFAULT-VALUE})")
    String idFormat;

    @Option(names = "--id-start", description = "first numeric id (default: one unique to this run, so a restarted "
            + "carrier does not issue the ids of its last run again; carrier N of the run gets its own band)")
    Long idStart;

    @Option(names = "--id-width", defaultValue = "" + ReceiptDialect.ZERO_PADDED_ID_WIDTH,
            description = "width of zero-padded ids; run ids have up to 16 digits (default: ${DEFAULT-VALUE})")
    int idWidth;

    @Option(names = "--weights", defaultValue = "DELIVRD=100",
            description = "outcome weights, e.g. DELIVRD=80,UNDELIV=10,EXPIRED=5,DELETED=3,REJECTD=2 (default: ${DEFAULT-VALUE})")
    String weights;

    @Option(names = "--enroute", description = "send an ENROUTE notification before each final receipt")
    boolean enroute;

    @Option(names = "--delay-ms", defaultValue = "100..1000", description = "receipt delay MIN..MAX ms (default: ${DEFAULT-VALUE})")
    String delay;

    @Option(names = "--seed", defaultValue = "1", description = "seed of outcomes, delays and UUIDs; carrier i uses seed+i (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--max-seconds", defaultValue = "0", description = "stop after this many seconds; 0 runs until Ctrl-C (default: ${DEFAULT-VALUE})")
    long maxSeconds;

    @Option(names = "--stats-every", defaultValue = "10", description = "print counters every N seconds; 0 only at the end (default: ${DEFAULT-VALUE})")
    long statsEvery;

    @Option(names = "--ledger", paramLabel = "FILE",
            description = "write each carrier's ledger as JSON lines (FILE, or FILE-<system_id> for several "
                    + "carriers): each submit as it is answered, the complete ledger at exit")
    Path ledger;

    private Path ledgerFile(SimulatedCarrier c, int carrierCount) {
        return carrierCount == 1 ? ledger : ledger.resolveSibling(ledger.getFileName() + "-" + c.config().systemId());
    }

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "serve the carriers' counters at GET /metrics (Prometheus text format) on this port; 0: a free port")
    Integer metricsPort;

    @Option(names = "--metrics-host", defaultValue = "127.0.0.1",
            description = "address of --metrics-port (default: ${DEFAULT-VALUE}; 0.0.0.0 only in a container whose "
                    + "Prometheus scrapes it from outside)")
    String metricsHost;

    @Mixin
    DialectOptions dialect = new DialectOptions();

    /** The configurations these flags describe (one per system_id). */
    List<SimCarrierSettings> configs() {
        if (passwords.size() != 1 && passwords.size() != systemIds.size()) {
            throw new IllegalArgumentException("give one --password for all carriers or one per --system-id ("
                    + systemIds.size() + "), got " + passwords.size());
        }
        List<SmppBindType> binds = bindTypes(bindType);
        OutcomeWeights w = OutcomeWeights.parse(weights);
        DelayRange d = DelayRange.parse(delay);
        IdFormat f = IdFormat.parse(idFormat);
        List<SimCarrierSettings> out = new ArrayList<>();
        java.time.Instant runStart = java.time.Instant.now();
        for (int i = 0; i < systemIds.size(); i++) {
            out.add(SimCarrierSettings.builder(systemIds.get(i), passwords.size() == 1 ? passwords.get(0) : passwords.get(i))
                    .host(host).port(port).sessions(sessions).bindTypes(binds).windowSize(window)
                    .idFormat(f).idStart(idStart != null ? idStart : IdStarts.forRun(f, i, runStart)).idWidth(idWidth).weights(w).enroute(enroute).delay(d)
                    .seed(seed + i).dialect(dialect.toDialect()).build());
        }
        return out;
    }

    static List<SmppBindType> bindTypes(String text) {
        List<SmppBindType> out = new ArrayList<>();
        for (String part : text.split("[+,]")) {
            switch (part.trim().toLowerCase(Locale.ROOT)) {
                case "transceiver", "trx" -> out.add(SmppBindType.TRANSCEIVER);
                case "receiver", "rx" -> out.add(SmppBindType.RECEIVER);
                case "transmitter", "tx" -> out.add(SmppBindType.TRANSMITTER);
                default -> throw new IllegalArgumentException("--bind-type must be transceiver, receiver, transmitter "
                        + "or receiver+transmitter, got '" + text + "'");
            }
        }
        return out;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<SimulatedCarrier> carriers = new ArrayList<>();
        for (SimCarrierSettings c : configs()) {
            carriers.add(new SimulatedCarrier(c));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        List<LedgerFile> ledgers = new ArrayList<>();
        try (GracefulStop graceful = new GracefulStop("dlrgate-sim-shutdown", Duration.ofSeconds(10),
                stopped::countDown);
             MetricsServer metrics = metricsPort == null ? null
                : MetricsServer.start(metricsHost, metricsPort, () -> carriers)) {
            for (SimulatedCarrier c : carriers) {
                if (ledger != null) {
                    LedgerFile file = LedgerFile.create(ledgerFile(c, carriers.size()));
                    c.ledger().journal(file.journal(entry -> entry));
                    ledgers.add(file);
                }
            }
            if (metrics != null) {
                out.printf("metrics at http://%s:%d/metrics%n", metricsHost, metrics.port());
            }
            for (SimulatedCarrier c : carriers) {
                c.start();
                out.printf("carrier %s -> %s:%d, %d session(s) %s, weights %s, delay %s ms, seed %d%n",
                        c.config().name(), host, port, sessions, bindType, c.config().weights(), c.config().delay(),
                        c.config().seed());
            }
            out.flush();
            long end = maxSeconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds) : Long.MAX_VALUE;
            long every = statsEvery > 0 ? TimeUnit.SECONDS.toMillis(statsEvery) : Long.MAX_VALUE;
            long nextStats = System.currentTimeMillis() + every;
            while (!stopped.await(200, TimeUnit.MILLISECONDS) && System.nanoTime() < end) {
                for (SimulatedCarrier c : carriers) {
                    if (c.failure() != null) {
                        carriers.forEach(SimulatedCarrier::stop);
                        return GatewayUnusable.report(spec.commandLine().getErr(), c.failure());
                    }
                }
                if (System.currentTimeMillis() >= nextStats) {
                    nextStats += every;
                    for (SimulatedCarrier c : carriers) {
                        out.println(c.stats().describe(c.config().name()));
                    }
                    out.flush();
                }
            }
            for (SimulatedCarrier c : carriers) {
                c.stop();
            }
            for (int i = 0; i < carriers.size(); i++) {
                SimulatedCarrier c = carriers.get(i);
                out.println(c.stats().describe(c.config().name()));
                if (ledger != null) {
                    ledgers.get(i).finish(c.ledger()::writeJsonLines);
                    out.println("ledger of " + c.config().name() + " written to " + ledgerFile(c, carriers.size()));
                }
            }
            out.flush();
            return 0;
        } finally {
            for (LedgerFile file : ledgers) {
                file.close(); // after a failure: what was journalled stays
            }
        }
    }
}
