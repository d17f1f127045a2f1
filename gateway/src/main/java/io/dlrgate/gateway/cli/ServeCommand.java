package io.dlrgate.gateway.cli;

import io.dlrgate.config.GatewayConfig;
import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.reporting.user.UserStore;
import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** {@code dlrgate serve}: runs the gateway until stopped (Ctrl-C or SIGTERM). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the gateway: SMPP server for carriers, HTTP API, store.")
public final class ServeCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML config file (default: $DLRGATE_CONFIG, else the built-in dlrgate.yaml)")
    String config;

    @Option(names = "--allow-no-carriers",
            description = "start even when the config file is empty or configures no carrier (refused by default)")
    boolean allowNoCarriers;

    @Override
    public Integer call() throws Exception {
        Gateway gateway;
        try {
            gateway = GatewayLauncher.start(config, allowNoCarriers);
        } catch (GatewayLauncher.StartFailed e) {
            return e.exitCode();
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "dlrgate-shutdown"));
        if (gateway.usesTls()) {
            reloadCertificatesOnHangup(gateway);
        }
        printBanner(gateway);
        stopped.await();
        return 0;
    }

    /**
     * SIGHUP reads the certificate files again (the usual way to tell a daemon its certificate was renewed).
     * Only with TLS configured: otherwise SIGHUP keeps the JVM's meaning (stop, as when the terminal closes).
     */
    @SuppressWarnings("restriction") // sun.misc.Signal: the JDK's only way to handle a signal, stable since 1.2
    private static void reloadCertificatesOnHangup(Gateway gateway) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> gateway.reloadCertificates());
            if (hangupIgnored()) {
                // Started with SIGHUP ignored (nohup, some supervisors): the JVM then leaves it ignored and installs
                // no handler, silently. Said once, so that a `kill -HUP` doing nothing is not a mystery.
                log.warn("SIGHUP is ignored in this process (started with nohup?): `kill -HUP` will not reload the "
                        + "certificates; changed certificate files are still picked up within 10 s");
            }
        } catch (IllegalArgumentException e) {
            // no SIGHUP on this platform (Windows): file changes are still picked up by polling
        }
    }

    /** Whether SIGHUP is ignored in this process, from Linux's {@code /proc/self/status} (false where unknown). */
    static boolean hangupIgnored() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 1L) != 0; // bit 0: signal 1, HUP
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: nothing to say
        }
        return false;
    }

    public static void printBanner(Gateway g) throws SQLException {
        GatewayConfig c = g.config();
        System.out.println();
        System.out.println("dlrgate " + Gateway.version() + " is running");
        System.out.println("  SMPP (carriers bind here): " + c.smpp().host() + ":" + g.smppPort());
        if (g.smppTlsPort() >= 0) {
            System.out.println("  SMPP over TLS:             " + c.smpp().host() + ":" + g.smppTlsPort());
        }
        System.out.println("  HTTP API:                  " + g.httpScheme() + "://" + c.http().host() + ":" + g.httpPort()
                + "/api/v1");
        System.out.println("  store:                     " + g.database().describe());
        if (g.apiKeyGenerated()) {
            System.out.println("  API key (generated now, kept in the store; shown once):");
            System.out.println("    " + g.apiKey());
        } else {
            System.out.println("  API key: " + apiKeySource(c));
        }
        System.out.println("  carriers: " + c.carriers().stream().map(x -> x.id() + " ("
                + (x.acceptsBinds() ? "system_id " + x.systemId() + ", " : "")
                + (x.connect() == null ? "" : "binds out to " + x.connect().host() + ":" + x.connect().port() + ", ")
                + "prefixes " + x.prefixes() + ")").toList());
        if (c.auth().users().isEmpty() && new UserStore(g.database().dataSource(), Clock.systemUTC()).count() == 0) {
            System.out.println("  web UI users: none yet; add one: ./dlrgate user add NAME --role admin"
                    + " (or log in as admin with the API key)");
        }
        System.out.println();
    }

    /** Where a key that was not generated now came from; the environment overrides the file (ConfigReader). */
    private static String apiKeySource(GatewayConfig c) {
        String env = System.getenv("DLRGATE_API_KEY");
        if (env != null && !env.isBlank()) {
            return "from the environment (DLRGATE_API_KEY)";
        }
        return c.http().apiKey() != null ? "from the config (http.api_key)"
                : "generated at an earlier start, kept in the store (settings key 'api_key')";
    }
}
