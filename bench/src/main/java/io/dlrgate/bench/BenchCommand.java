package io.dlrgate.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code dlrgate bench}: benchmarks that print figures (throughput, percentiles, memory). Each starts an
 * in-process gateway on a fresh PostgreSQL database and drives it over loopback SMPP and HTTP only.
 * The main class of {@code bench/target/dlrgate-bench.jar}, which {@code ./dlrgate bench ...} runs: the benchmarks
 * are not part of the product jar.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks of the send path (submits), of receipt intake (receipts) and of the expiry "
                + "sweeper (expiry), the cost of metrics on receipts (metrics), logins with many sessions (logins), "
                + "webhooks (webhooks), the client role next to the server role (roles), dlrgate next to Kannel 1.4.5 "
                + "on the same simulated SMSC (kannel, run by hand), single sends one per request (singles), one gateway "
                + "instance vs two on the same database (instances). "
                + "Loopback only.",
        subcommands = {SubmitsBench.class, ReceiptsBench.class, ExpiryBenchmark.class, MetricsBench.class,
                LoginsBench.class, WebhookBench.class, RolesBench.class, KannelBench.class, SinglesBench.class,
                InstancesBench.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The benchmarks' command line, named as typed at the launcher ({@code dlrgate bench}); tests use it too. */
    static CommandLine commandLine() {
        return new CommandLine(new BenchCommand()).setCommandName("dlrgate bench");
    }
}
