package io.dlrgate.bench;

import io.dlrgate.simulator.carrier.CarrierStats;
import io.dlrgate.simulator.carrier.Ledger;
import io.dlrgate.simulator.carrier.SimulatedCarrier;
import io.dlrgate.simulator.scenario.Scenario;
import io.dlrgate.simulator.scenario.ScenarioLoader;
import io.dlrgate.simulator.scenario.ScenarioRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The simulator as the peer of a benchmark, in-process: the same {@link ScenarioRunner} the simulator's CLI runs,
 * either as SMSCs that ESMEs bind to ({@code sim smsc}) or as carriers binding in to the gateway. Its carriers
 * answer every submit_sm at once and send the receipts of a fixed mix of outcomes (85% DELIVRD, 10% DELIVRD after
 * an ENROUTE, 5% UNDELIV) after {@code receipt_delay}; the ledger is the ground truth the benchmarks check reports
 * against. Using the very same simulated carrier in both roles keeps the peer's cost equal between them.
 */
final class SimPeer implements AutoCloseable {

    /** One simulated carrier (SMSC account): SMPP 3.4 passwords are at most 8 characters (Kannel cuts longer). */
    record Account(String id, String systemId, String password) {
    }

    private final ScenarioRunner runner;

    private SimPeer(ScenarioRunner runner) {
        this.runner = runner;
    }

    /** Listens as SMSCs on a free loopback port; each account is one carrier an ESME binds to. */
    static SimPeer smsc(List<Account> accounts, int window, String receiptDelay) throws Exception {
        SimPeer p = new SimPeer(new ScenarioRunner(scenario(accounts, window, receiptDelay, "smsc"), "127.0.0.1", 0));
        p.runner.start(Duration.ZERO);
        return p;
    }

    /** Carriers that bind in to the gateway's SMPP listener at {@code port} (one transceiver each). */
    static SimPeer carriers(List<Account> accounts, int window, String receiptDelay, int port) throws Exception {
        SimPeer p = new SimPeer(new ScenarioRunner(scenario(accounts, window, receiptDelay, "carrier"), "127.0.0.1",
                port));
        if (!p.runner.start(Duration.ofSeconds(20))) {
            p.close();
            throw new IllegalStateException("the simulated carriers did not bind: " + p.runner.failure());
        }
        return p;
    }

    static Scenario scenario(List<Account> accounts, int window, String receiptDelay, String role) {
        StringBuilder y = new StringBuilder("name: bench peer\nrole: ").append(role).append("\nseed: 7\ncarriers:\n");
        for (Account a : accounts) {
            y.append("  - id: ").append(a.id()).append("\n    system_id: ").append(a.systemId())
                    .append("\n    password: ").append(a.password())
                    .append("\n    bind_type: transceiver\n    sessions: 1\n    window: ").append(window)
                    .append("\n    receipt_delay: ").append(receiptDelay)
                    .append("\n    hold_receipts: 1000000\n");
        }
        y.append("rules:\n  - name: the mix\n    weights:\n")
                .append("      - {weight: 85, outcome: DELIVRD}\n")
                .append("      - {weight: 10, outcome: {stat: DELIVRD, intermediates: [ENROUTE]}}\n")
                .append("      - {weight: 5, outcome: {stat: UNDELIV, err: \"001\"}}\n");
        return ScenarioLoader.fromYaml(y.toString(), "bench-peer.yaml", Path.of("."));
    }

    int port() {
        return runner.smscPort();
    }

    SimulatedCarrier carrier(String id) {
        return runner.carriers().get(id);
    }

    /** Waits until the ESME (or the carrier) of {@code id} is bound both ways. */
    boolean awaitBound(String id, Duration timeout) throws InterruptedException {
        return carrier(id).awaitBound(timeout);
    }

    /**
     * The final stat the carrier reported for each number (without '+'), over the ledger entries whose number
     * starts with {@code prefix}: what the gateway's reports must show. Throttled or refused submits are left out.
     */
    Map<String, String> finals(String id, String prefix) {
        Map<String, String> out = new HashMap<>();
        for (Ledger.Entry e : carrier(id).ledger().entries()) {
            String number = e.destination().startsWith("+") ? e.destination().substring(1) : e.destination();
            if (!number.startsWith(prefix) || e.submitStatus() != 0) {
                continue;
            }
            out.put(number, e.finalStat() == null ? "(none)" : e.finalStat().name());
        }
        return out;
    }

    /**
     * Progress of one phase at one carrier, sampled every 2 ms from the carrier's counters: when the first submit_sm
     * arrived, when the last did, and when the last receipt was acknowledged (the ESME's deliver_sm_resp).
     */
    static final class Progress implements AutoCloseable {
        private final SimulatedCarrier carrier;
        private final long submits0;
        private final long acked0;
        private final long expected;
        volatile long firstSubmitNanos;
        volatile long allSubmittedNanos;
        volatile long lastAckNanos;
        volatile long firstAckNanos;
        volatile boolean settled;
        private final PeriodicSampler sampler;
        private long lastAcked;

        Progress(SimulatedCarrier carrier, long expected) {
            this(carrier, expected, false);
        }

        private Progress(SimulatedCarrier carrier, long expected, boolean fromZero) {
            this.carrier = carrier;
            CarrierStats s = carrier.stats();
            this.submits0 = fromZero ? 0 : s.submitsReceived();
            this.acked0 = fromZero ? 0 : s.receiptsAcknowledged();
            this.lastAcked = acked0;
            this.expected = expected;
            this.sampler = new PeriodicSampler("peer-progress", this::sample, 2);
            sampler.start();
        }

        /**
         * Counting from the carrier's start: for a carrier that binds in and may be sent to before this is made.
         * The first submit and acknowledgement are then timed when first seen, at most the bind's wait late.
         */
        static Progress fromZero(SimulatedCarrier carrier, long expected) {
            return new Progress(carrier, expected, true);
        }

        private void sample() {
            long now = System.nanoTime();
            CarrierStats s = carrier.stats();
            long submits = s.submitsReceived() - submits0;
            if (submits > 0 && firstSubmitNanos == 0) {
                firstSubmitNanos = now;
            }
            if (submits >= expected && allSubmittedNanos == 0) {
                allSubmittedNanos = now;
            }
            if (s.receiptsAcknowledged() != lastAcked) {
                if (firstAckNanos == 0) {
                    firstAckNanos = now;
                }
                lastAcked = s.receiptsAcknowledged();
                lastAckNanos = now;
            }
            if (allSubmittedNanos != 0 && s.receiptsOutstanding() == 0) {
                settled = true;
            }
        }

        long submits() {
            return carrier.stats().submitsReceived() - submits0;
        }

        long acknowledged() {
            return carrier.stats().receiptsAcknowledged() - acked0;
        }

        /** Waits until every submit arrived and every receipt was acknowledged; false when time ran out. */
        boolean await(long deadlineNanos) throws InterruptedException {
            while (!settled && System.nanoTime() < deadlineNanos) {
                Thread.sleep(5);
            }
            return settled;
        }

        String describe() {
            CarrierStats s = carrier.stats();
            return String.format(Locale.ROOT, "submit_sm %,d, receipts acknowledged %,d, outstanding %,d",
                    submits(), acknowledged(), s.receiptsOutstanding());
        }

        @Override
        public void close() {
            sampler.stop();
        }
    }

    @Override
    public void close() {
        runner.close();
    }
}
