package io.dlrgate.simulator.cli;

import com.cloudhopper.smpp.SmppBindType;
import io.dlrgate.simulator.carrier.IdFormat;
import io.dlrgate.simulator.carrier.IdStarts;
import io.dlrgate.simulator.carrier.SimCarrierSettings;
import io.dlrgate.simulator.carrier.SimulatedCarrier;
import io.dlrgate.simulator.load.LoadDriver;
import io.dlrgate.simulator.load.LoadReport;
import io.dlrgate.simulator.outcome.Decision;
import io.dlrgate.simulator.outcome.Stat;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dlrgate-sim load}: the receipt-intake benchmark. */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Send receipts for already-submitted messages as fast as the gateway acknowledges them, "
                + "then print receipts/s, p50/p99/max time to deliver_sm_resp and throttles. Loopback only.")
public final class LoadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "gateway host, loopback only (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "2775", description = "gateway SMPP port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--system-id", defaultValue = "sim", description = "system_id (default: ${DEFAULT-VALUE})")
    String systemId;

    @Option(names = "--password", defaultValue = "secret", description = "password (default: ${DEFAULT-VALUE})")
    String password;

    @Option(names = "--bind-type", defaultValue = "transceiver", description = "transceiver or transmitter (default: ${DEFAULT-VALUE})")
    String bindType;

    @Option(names = "--sessions", defaultValue = "4", description = "K sessions (default: ${DEFAULT-VALUE})")
    int sessions;

    @Option(names = "--window", defaultValue = "50", description = "receipts in flight per session (default: ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--count", description = "receipts to send (default: one per id)")
    Long count;

    @Option(names = "--max-seconds", defaultValue = "60", description = "time bound of the whole run (default: ${DEFAULT-VALUE})")
    long maxSeconds;

    @Option(names = "--stat", defaultValue = "DELIVRD", description = "stat of every receipt (default: ${DEFAULT-VALUE})")
    String stat;

    @Option(names = "--rate", defaultValue = "0",
            description = "cap on receipts per second over all sessions; 0 sends as fast as acknowledged (default: ${DEFAULT-VALUE})")
    long rate;

    @Option(names = "--retry-delay-ms", defaultValue = "10", description = "back-off before resending a throttled receipt (default: ${DEFAULT-VALUE})")
    long retryDelayMillis;

    static final class IdSource {
        @Option(names = "--ids-file", paramLabel = "FILE", description = "message ids, one per line")
        Path idsFile;

        @Option(names = "--ids", paramLabel = "START..END", description = "decimal ids START to END inclusive")
        String idRange;

        @Option(names = "--collect", paramLabel = "N",
                description = "first act as a silent carrier (same system_id, one transceiver bind) and collect the ids of N submit_sm")
        Integer collect;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    IdSource ids;

    @Option(names = "--collect-seconds", defaultValue = "300", description = "how long --collect may wait for its submits (default: ${DEFAULT-VALUE})")
    long collectSeconds;

    @Mixin
    DialectOptions dialect = new DialectOptions();

    LoadDriver.Settings settings(long receipts) {
        SmppBindType type = CarrierCommand.bindTypes(bindType).get(0);
        return new LoadDriver.Settings(host, port, systemId, password, type, sessions, window, receipts,
                Duration.ofSeconds(maxSeconds), Stat.parse(stat), dialect.toDialect(), retryDelayMillis, 10_000, rate);
    }

    static List<String> range(String text) {
        int dots = text.indexOf("..");
        try {
            if (dots < 0) {
                throw new NumberFormatException();
            }
            long a = Long.parseLong(text.substring(0, dots).trim());
            long b = Long.parseLong(text.substring(dots + 2).trim());
            if (a < 0 || b < a || b - a >= 10_000_000) {
                throw new IllegalArgumentException("--ids range must satisfy 0 <= START <= END and hold at most "
                        + "10,000,000 ids, got '" + text + "'");
            }
            List<String> out = new ArrayList<>((int) (b - a + 1));
            for (long v = a; v <= b; v++) {
                out.add(Long.toString(v));
            }
            return out;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--ids must be START..END, got '" + text + "'");
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        settings(1); // validate flags (loopback host, bind type, dialect) before doing anything
        SimulatedCarrier collector = null;
        List<String> idList;
        try {
            if (ids.idsFile != null) {
                idList = new ArrayList<>();
                for (String line : Files.readAllLines(ids.idsFile, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        idList.add(line.trim());
                    }
                }
            } else if (ids.idRange != null) {
                idList = range(ids.idRange);
            } else {
                // Ids unique to this run, as a real carrier's would be: a rerun must not reissue the last run's ids.
                collector = new SimulatedCarrier(SimCarrierSettings.builder(systemId, password).name(systemId + "-collect")
                        .host(host).port(port).idStart(IdStarts.forRun(IdFormat.DECIMAL, 0, java.time.Instant.now()))
                        .build(), submit -> Decision.silence(), Clock.systemUTC());
                collector.start();
                out.printf("collecting the ids of %d submit_sm as %s on %s:%d ...%n", ids.collect, systemId, host, port);
                out.flush();
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(collectSeconds);
                while (collector.ledger().size() < ids.collect && System.nanoTime() < end) {
                    Thread.sleep(100);
                }
                idList = collector.ledger().issuedIds();
                out.printf("collected %d ids%n", idList.size());
            }
            if (idList.isEmpty()) {
                throw new IllegalArgumentException("no message ids to send receipts for");
            }
            long receipts = count != null ? count : idList.size();
            LoadDriver driver = new LoadDriver(settings(receipts), idList);
            try (GracefulStop graceful = new GracefulStop("dlrgate-sim-load-shutdown", Duration.ofSeconds(10),
                    driver::stop)) {
                LoadReport report = driver.run();
                out.println(report.describe());
                out.flush();
                return report.unfinished() == 0 ? 0 : 3;
            }
        } finally {
            if (collector != null) {
                collector.stop();
            }
        }
    }
}
