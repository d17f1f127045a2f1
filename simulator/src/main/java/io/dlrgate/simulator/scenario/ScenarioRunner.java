package io.dlrgate.simulator.scenario;

import com.cloudhopper.smpp.SmppConstants;
import io.dlrgate.simulator.carrier.CarrierFaults;
import io.dlrgate.simulator.carrier.IdStarts;
import io.dlrgate.simulator.carrier.Ledger;
import io.dlrgate.simulator.carrier.LedgerFile;
import io.dlrgate.simulator.carrier.SimCarrierSettings;
import io.dlrgate.simulator.carrier.SimulatedCarrier;
import io.dlrgate.simulator.carrier.SmppSessions;
import io.dlrgate.simulator.carrier.SmscServer;
import io.dlrgate.simulator.outcome.DelayRange;
import io.dlrgate.simulator.outcome.Part;
import io.dlrgate.simulator.outcome.Stat;
import io.dlrgate.simulator.receipt.ReceiptDialect;
import java.io.IOException;
import java.io.Writer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the carriers of a scenario against a gateway: one {@link SimulatedCarrier} per scenario carrier, each
 * deciding by a {@link ScenarioPolicy}, plus the scheduled faults (dropped binds). Its ledger is the ground truth.
 * In the scenario's {@link Scenario.Role#CARRIER carrier role} the carriers bind to the gateway's SMPP listener at
 * the host and port given; in the {@link Scenario.Role#SMSC SMSC role} an {@link SmscServer} listens there and
 * the gateway (or any ESME) binds to the carriers. Everything else is the same in both roles.
 */
public final class ScenarioRunner implements AutoCloseable {

    /**
     * One line of the ledger file. {@code ordinal} is the n-th submit of this number at this carrier (0-based);
     * {@code messageId} is the only field that depends on the arrival order across numbers. A line of a part of a
     * concatenated message has its {@code part} (scheme, reference, part number, total and the carrier's message
     * number that groups the parts); its {@code tab} is the part's own, the message's comes from
     * {@link LedgerMessages}.
     */
    public record LedgerLine(String carrier, String number, String content, int ordinal, int attempt, String rule,
                             String outcome, String fault, int submitStatus, List<Ledger.ReceiptRecord> receipts,
                             String finalStat, String tab, String messageId, Part part) {
        /** A whole message's line. */
        public LedgerLine(String carrier, String number, String content, int ordinal, int attempt, String rule,
                          String outcome, String fault, int submitStatus, List<Ledger.ReceiptRecord> receipts,
                          String finalStat, String tab, String messageId) {
            this(carrier, number, content, ordinal, attempt, rule, outcome, fault, submitStatus, receipts, finalStat,
                    tab, messageId, null);
        }

        /** The line without what depends on the run (ids, receipt states): what the same seed must repeat. */
        public LedgerLine decisionsOnly() {
            List<Ledger.ReceiptRecord> rs = new ArrayList<>();
            // The kind is a decision (receipt, unknown id, malformed): kept, so the same seed must repeat it too.
            receipts.forEach(r -> rs.add(new Ledger.ReceiptRecord(r.stat(), r.err(), r.delayMillis(), r.intermediate(),
                    null, 0, 0, 0, r.kind(), r.text())));
            return new LedgerLine(carrier, number, content, ordinal, attempt, rule, outcome, fault, submitStatus,
                    List.copyOf(rs), finalStat, tab, null, part == null ? null : part.inMessage(0));
        }
    }

    private final Scenario scenario;
    private final Map<String, SimulatedCarrier> carriers = new LinkedHashMap<>();
    private final Map<String, ScenarioPolicy> policies = new HashMap<>();
    private ScheduledExecutorService faults;
    private final AtomicInteger drops = new AtomicInteger();
    private final String smppHost;
    private final int smppPort;
    private SmscServer smsc;
    private com.cloudhopper.smpp.ssl.SslConfiguration smscTls;

    /**
     * @param smppHost carrier role: the gateway's SMPP host; SMSC role: the address to listen on
     * @param smppPort carrier role: the gateway's SMPP port; SMSC role: the port to listen on (0: a free one)
     */
    public ScenarioRunner(Scenario scenario, String smppHost, int smppPort) {
        if (!SmppSessions.isLoopback(smppHost) && !Boolean.getBoolean("dlrgate.sim.allowRemote")) {
            // the simulator is a QA tool: it only ever talks to a gateway on this machine unless told otherwise
            throw new IllegalArgumentException("gateway host " + smppHost + " is not a loopback address");
        }
        this.scenario = scenario;
        this.smppHost = smppHost;
        this.smppPort = smppPort;
        boolean asSmsc = scenario.role() == Scenario.Role.SMSC;
        ScenarioPolicy.Attempts attempts = new ScenarioPolicy.Attempts();
        java.time.Instant runStart = Clock.systemUTC().instant();
        int i = 0;
        for (Scenario.Carrier c : scenario.carriers()) {
            ScenarioPolicy policy = new ScenarioPolicy(scenario, c, attempts);
            SimCarrierSettings config = SimCarrierSettings.builder(c.systemId(), c.password()).name(c.id())
                    // in the SMSC role the carrier connects nowhere: the listener has the address
                    .host(asSmsc ? "127.0.0.1" : smppHost).port(asSmsc ? 2775 : smppPort).sessions(c.sessions()).bindTypes(c.bindTypes()).windowSize(c.window())
                    .idFormat(c.idFormat()).idStart(IdStarts.forRun(c.idFormat(), i++, runStart))
                    .dialect(c.dialect())
                    .delay(DelayRange.fixed(0)).seed(scenario.seed()).reconnect(50, 1000).retry(10, 500)
                    .requestTimeoutMillis(10_000).build();
            Scenario.Faults f = c.faults();
            carriers.put(c.id(), new SimulatedCarrier(config, policy, Clock.systemUTC()).faults(CarrierFaults.NONE
                    .withIgnoreEnquireLinks(f.ignoreEnquireLinks())
                    .withSlowReading(f.slowReadPauseMillis(), f.slowReadEveryMillis())).smsc(c.smsc()));
            policies.put(c.id(), policy);
        }
        for (Scenario.Send s : scenario.sends()) {
            if (s.validityMillis() == null) {
                continue;
            }
            if (s instanceof Scenario.CampaignSend c) {
                c.contacts().forEach(n -> expiring.computeIfAbsent(ScenarioPolicy.strip(n), k -> new ArrayList<>())
                        .add(c.content()));
            } else {
                Scenario.SingleSend single = (Scenario.SingleSend) s;
                expiring.computeIfAbsent(ScenarioPolicy.strip(single.to()), k -> new ArrayList<>())
                        .add(single.content());
            }
        }
    }

    /** Number without '+' to the contents of the messages sent to it with a validity of their own. */
    private final Map<String, List<String>> expiring = new HashMap<>();

    /** The policy (rules, weights) of a carrier, or null. */
    public ScenarioPolicy policy(String carrierId) {
        return policies.get(carrierId);
    }

    public Scenario scenario() {
        return scenario;
    }

    public Map<String, SimulatedCarrier> carriers() {
        return carriers;
    }

    /** SMSC role: listen with this TLS (null: plain TCP). Before {@link #start}. */
    public void smscTls(com.cloudhopper.smpp.ssl.SslConfiguration tls) {
        this.smscTls = tls;
    }

    /**
     * Starts every carrier and the fault schedule; waits until all are bound (false when time ran out). In the SMSC
     * role it listens first (throws when it cannot), then waits until each carrier has an ESME bind that submits and
     * one that takes receipts; with a zero wait it returns at once.
     */
    public boolean start(Duration bindWait) throws InterruptedException, java.io.IOException {
        if (scenario.role() == Scenario.Role.SMSC) {
            carriers.values().forEach(SimulatedCarrier::startAsSmsc);
            smsc = new SmscServer(smppHost, smppPort, carriers.values(), smscTls);
            smsc.start();
        } else {
            carriers.values().forEach(SimulatedCarrier::start);
        }
        faults = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "scenario-faults");
            t.setDaemon(true);
            return t;
        });
        for (Scenario.Carrier c : scenario.carriers()) {
            if (c.dropEveryMillis() > 0) {
                AtomicInteger left = new AtomicInteger(c.dropTimes());
                SimulatedCarrier sc = carriers.get(c.id());
                faults.scheduleWithFixedDelay(() -> {
                    if (left.getAndDecrement() > 0) {
                        drops.incrementAndGet();
                        sc.dropBinds();
                    }
                }, c.dropEveryMillis(), c.dropEveryMillis(), TimeUnit.MILLISECONDS);
            }
        }
        return awaitBound(bindWait);
    }

    /**
     * Waits until every carrier is bound (SMSC role: until the ESME has, for each carrier, a bind that submits and
     * one that takes receipts); false when time ran out or a carrier failed. In the SMSC role a test may start with
     * a zero wait, start the gateway at {@link #smscPort()}, then wait here.
     */
    public boolean awaitBound(Duration bindWait) throws InterruptedException {
        long end = System.nanoTime() + bindWait.toNanos();
        boolean all = true;
        for (SimulatedCarrier c : carriers.values()) {
            all &= c.awaitBound(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
            if (failure() != null) {
                return false;
            }
        }
        return all;
    }

    /** Why a carrier cannot bind (the first such reason), or null: the run cannot go on when there is one. */
    public String failure() {
        for (SimulatedCarrier c : carriers.values()) {
            if (c.failure() != null) {
                return c.failure();
            }
        }
        return null;
    }

    public Scenario.Role role() {
        return scenario.role();
    }

    /** SMSC role: the port listened on (the real one when 0 was asked for); -1 before start or in the carrier role. */
    public int smscPort() {
        return smsc == null ? -1 : smsc.port();
    }

    /** Binds dropped by the fault schedule so far. */
    public int drops() {
        return drops.get();
    }

    /** Receipts planned and not yet acknowledged or refused, over all carriers. */
    public long receiptsOutstanding() {
        return carriers.values().stream().mapToLong(c -> c.stats().receiptsOutstanding()).sum();
    }

    /** Messages received and receipts planned, sent and settled, summed over all carriers (other counters 0). */
    public io.dlrgate.simulator.carrier.CarrierStats totals() {
        long submits = 0, planned = 0, sent = 0, acknowledged = 0, refused = 0, abandoned = 0;
        for (SimulatedCarrier c : carriers.values()) {
            io.dlrgate.simulator.carrier.CarrierStats s = c.stats();
            submits += s.submitsReceived();
            planned += s.receiptsPlanned();
            sent += s.receiptsSent();
            acknowledged += s.receiptsAcknowledged();
            refused += s.receiptsRefused();
            abandoned += s.receiptsAbandoned();
        }
        return new io.dlrgate.simulator.carrier.CarrierStats(submits, 0, planned, sent, acknowledged, 0, refused, 0,
                abandoned, 0, 0, 0, 0);
    }

    /** The ledger of every carrier, sorted by carrier, number, content and ordinal. */
    public List<LedgerLine> ledger() {
        List<LedgerLine> out = new ArrayList<>();
        for (Map.Entry<String, SimulatedCarrier> e : carriers.entrySet()) {
            Map<String, Integer> ordinals = new HashMap<>();
            for (Ledger.Entry entry : e.getValue().ledger().entries()) {
                out.add(line(e.getKey(), entry, ordinals));
            }
        }
        out.sort(Comparator.comparing(LedgerLine::carrier).thenComparing(LedgerLine::number)
                .thenComparing(LedgerLine::content).thenComparingInt(LedgerLine::ordinal));
        return out;
    }

    /**
     * Writes every carrier's submits into {@code file} as they are answered (see {@link LedgerFile}); call before
     * {@link #start}. The lines are those of {@link #ledger()}, in order of answer, receipts as planned.
     */
    public void journalTo(LedgerFile file) {
        for (Map.Entry<String, SimulatedCarrier> e : carriers.entrySet()) {
            Map<String, Integer> ordinals = new HashMap<>(); // the ledger asks in order of arrival, one at a time
            e.getValue().ledger().journal(file.journal(entry -> line(e.getKey(), entry, ordinals)));
        }
    }

    /** @param ordinals submits so far per number at this carrier, counted on: entries come in order of arrival */
    private LedgerLine line(String carrier, Ledger.Entry entry, Map<String, Integer> ordinals) {
        String number = "+" + ScenarioPolicy.strip(entry.destination());
        int ordinal = ordinals.merge(number, 1, Integer::sum) - 1;
        ScenarioPolicy.Note note = policies.get(carrier).note(entry.sequence());
        Stat fin = entry.finalStat();
        return new LedgerLine(carrier, number, entry.content(), ordinal,
                note == null ? 0 : note.attempt(), note == null ? null : note.rule(),
                note == null ? null : note.outcome(), note == null ? null : note.fault(),
                entry.submitStatus(), entry.receipts(), fin == null ? null : fin.name(),
                tabOf(entry), entry.messageId(), entry.part());
    }

    /**
     * The tab a ledger entry must land in, by the scenario's table: null for a throttled submit (the gateway
     * sends the message again, so it is not a message of its own); hard-bounces for a refused submit; pending
     * for silence; otherwise the tab of the final stat. A message still pending by that rule (silence, only
     * intermediates, or a final stat of the pending tab) that was sent with a {@code validity} of its own is
     * soft-bounces: the gateway's own expiry must move it there once the validity has run out.
     */
    String tabOf(Ledger.Entry e) {
        int status = e.submitStatus();
        if (status == SmppConstants.STATUS_THROTTLED || status == SmppConstants.STATUS_MSGQFUL) {
            return null;
        }
        if (status != 0) {
            return "hard-bounces";
        }
        Stat fin = e.finalStat();
        String tab = fin == null ? "pending" : scenario.tabOf(fin);
        List<String> withValidity = expiring.getOrDefault(ScenarioPolicy.strip(e.destination()), List.of());
        // a part's text is a piece of its message's
        if (tab.equals("pending") && (e.part() == null ? withValidity.contains(e.content())
                : withValidity.stream().anyMatch(c -> c.contains(e.content())))) {
            // no final receipt, and sent with a validity of its own: the gateway's expiry makes it a soft bounce
            return "soft-bounces";
        }
        return tab;
    }

    /** Writes ledger lines as JSON lines (one submit per line). */
    public static void writeLedger(Writer w, List<LedgerLine> lines) throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        for (LedgerLine l : lines) {
            w.write(mapper.writeValueAsString(l));
            w.write('\n');
        }
        w.flush();
    }

    @Override
    public void close() {
        if (faults != null) {
            faults.shutdownNow();
        }
        carriers.values().forEach(SimulatedCarrier::stop); // unbinds the ESMEs' sessions first, in the SMSC role
        if (smsc != null) {
            smsc.close();
        }
    }
}
