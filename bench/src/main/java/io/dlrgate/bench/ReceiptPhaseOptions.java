package io.dlrgate.bench;

import picocli.CommandLine.Option;

/**
 * The phases of the benchmarks that compare durable receipt intake with a feature on and off (a picocli mixin):
 * receipts per phase, pairs of phases, the sessions and window of the {@link ReceiptSender}, the warm-up before
 * each phase and its time bound.
 */
final class ReceiptPhaseOptions {

    @Option(names = "--messages", defaultValue = "50000", description = "receipts per measured phase (default ${DEFAULT-VALUE})")
    int messages;

    @Option(names = "--pairs", defaultValue = "2", description = "pairs of phases (one on, one off each) (default ${DEFAULT-VALUE})")
    int pairs;

    @Option(names = "--sessions", defaultValue = "4", description = "transmitter sessions (default ${DEFAULT-VALUE})")
    int sessions;

    @Option(names = "--window", defaultValue = "200", description = "receipts in flight per session (default ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--warmup", defaultValue = "5000", description = "receipts sent, not measured, before each phase (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--max-seconds", defaultValue = "300", description = "time bound of each phase (default ${DEFAULT-VALUE})")
    long maxSeconds;

    /** Whether the options are in range (the caller adds its own: a message names them all). */
    boolean valid() {
        return messages >= 1 && pairs >= 1 && sessions >= 1 && sessions <= 50 && window >= 1 && warmup >= 0;
    }

    /** Receipts sent per phase, warm-up included. */
    long perPhase() {
        return messages + (long) warmup;
    }
}
