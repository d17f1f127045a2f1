package io.dlrgate.bench;

import java.util.List;
import picocli.CommandLine.Option;

/**
 * The traffic of the benchmarks that drive a gateway against the simulator (a picocli mixin): how many messages,
 * the window, how they enter dlrgate ({@link DlrgateInput}) and the simulator's receipt delay.
 */
final class TrafficOptions {

    @Option(names = "--messages", defaultValue = "20000", description = "messages per phase (default ${DEFAULT-VALUE})")
    int messages;

    @Option(names = "--window", defaultValue = "100", description = "the one session's window, at both ends: the "
            + "ESME's submits in flight, the SMSC's receipts in flight (default ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--input", defaultValue = "campaign", description = "dlrgate's input: campaign (sends of --chunk "
            + "contacts, POST /api/v1/campaigns/{id}/sends) or single (one POST /api/v1/messages per message from "
            + "--concurrency clients) (default ${DEFAULT-VALUE})")
    String input;

    @Option(names = "--chunk", defaultValue = "1000", description = "contacts per campaign send (default ${DEFAULT-VALUE})")
    int chunk;

    @Option(names = "--concurrency", defaultValue = "8", description = "concurrent HTTP clients sending one message "
            + "per request (default ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--receipt-delay", defaultValue = "10ms", description = "the simulator's receipt delay (default ${DEFAULT-VALUE})")
    String receiptDelay;

    void check() {
        if (messages < 1 || messages > 1_000_000 || window < 1 || window > 10_000 || chunk < 1 || chunk > 100_000
                || concurrency < 1 || concurrency > 64) {
            throw new IllegalArgumentException("--messages 1..1000000, --window 1..10000, --chunk 1..100000, "
                    + "--concurrency 1..64");
        }
    }

    /** Sends {@code numbers} (with '+') to the dlrgate whose HTTP API is on {@code httpPort}. */
    InputDriver.Result sendToDlrgate(int httpPort, List<String> numbers) throws Exception {
        return DlrgateInput.send(input, httpPort, numbers, chunk, concurrency);
    }
}
