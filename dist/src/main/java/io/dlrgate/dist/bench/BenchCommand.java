package io.dlrgate.dist.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code dlrgate bench}: benchmarks that print figures (throughput, percentiles, memory). Each starts an
 * in-process gateway on a fresh PostgreSQL database and drives it over loopback SMPP and HTTP only.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks of the send path (submits), of receipt intake (receipts) and of the expiry "
                + "sweeper (expiry), the cost of metrics on receipts (metrics), logins with many sessions (logins). "
                + "Loopback only.",
        subcommands = {SubmitsBench.class, ReceiptsBench.class, ExpiryBenchmark.class, MetricsBench.class,
                LoginsBench.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
