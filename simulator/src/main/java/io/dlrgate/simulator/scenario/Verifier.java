package io.dlrgate.simulator.scenario;

import io.dlrgate.config.RepliesConfig;
import io.dlrgate.simulator.carrier.Ledger;
import io.dlrgate.simulator.outcome.PlannedReceipt;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code verify}: drives a scenario's sends through the gateway's API while the scenario's carriers play their
 * part, waits until the gateway has caught up with what the carriers did (or the scenario's time is up), then
 * compares the gateway's reports with the ledger and with the expectations in the file.
 *
 * <p>"Caught up" means: every planned receipt has been acknowledged, the carriers accepted or refused as many
 * messages as the gateway queued, and each campaign's report shows as many messages outside Pending as the
 * ledger says must be; read twice in a row with the same result. A wrong mapping still settles (the totals
 * match) and then shows in the comparison; a message the gateway never finalises runs into the timeout.
 */
public final class Verifier {

    /** The verdict: {@code ok} when nothing differs; {@code text} is the readable report with the diff. */
    public record Result(boolean ok, List<String> differences, String text, List<ScenarioRunner.LedgerLine> ledger,
                         Map<String, Map<String, Long>> gatewayTabs, Map<String, Map<String, Long>> ledgerTabs) {
    }

    private record CampaignRun(Scenario.CampaignSend send, long id, int queued, List<String> suppressed) {
    }

    private record SingleRun(Scenario.SingleSend send, Long messageId) {
    }

    private final Scenario scenario;
    private final ScenarioRunner runner;
    private final GatewayClient gateway;
    private final Duration pollEvery;

    private final VerifyProgress progress;

    public Verifier(Scenario scenario, ScenarioRunner runner, GatewayClient gateway) {
        this(scenario, runner, gateway, VerifyProgress.NONE);
    }

    /** @param progress told what verify is doing, and ticked at every poll */
    public Verifier(Scenario scenario, ScenarioRunner runner, GatewayClient gateway, VerifyProgress progress) {
        this.scenario = scenario;
        this.runner = runner;
        this.gateway = gateway;
        this.pollEvery = Duration.ofMillis(250);
        this.progress = progress;
    }

    /** Makes the sends, waits, compares. The runner must be started (bound) already. */
    public Result verify() throws IOException, InterruptedException {
        List<CampaignRun> campaigns = new ArrayList<>();
        List<SingleRun> singles = new ArrayList<>();
        Set<String> skippedNumbers = new TreeSet<>();
        long deadline = System.nanoTime() + Duration.ofMillis(scenario.timeoutMillis()).toNanos();
        List<String> waits = new ArrayList<>();
        for (Scenario.Send s : scenario.sends()) {
            if (s.waitUntilFinal() && !(campaigns.isEmpty() && singles.isEmpty())) {
                progress.step("waiting until the messages so far are final, before " + describe(s));
                Settling w = settle(campaigns, singles, deadline);
                if (!w.settled) {
                    waits.add("the messages before send \"" + describe(s) + "\" were not all final within "
                            + scenario.timeoutMillis() + " ms; it was made anyway");
                }
            }
            progress.step("sending " + describe(s));
            // Opt-outs the gateway acknowledged (so stored) before this send: it must skip those numbers.
            Set<String> optedOut = optedOut(runner.ledger());
            if (s instanceof Scenario.CampaignSend c) {
                long id = gateway.createCampaign(c.campaign(), c.content());
                GatewayClient.CampaignSendResult r = gateway.sendCampaign(id, c.contacts(), c.validityMillis());
                for (String n : c.contacts()) {
                    if (optedOut.contains(n) && !r.suppressed().contains(n)) {
                        waits.add("send \"" + describe(s) + "\" did not skip " + n + ", which had opted out");
                    }
                }
                skippedNumbers.addAll(r.suppressed());
                campaigns.add(new CampaignRun(c, id, r.queued(), r.suppressed()));
            } else {
                Scenario.SingleSend single = (Scenario.SingleSend) s;
                GatewayClient.SingleSendResult r = gateway.sendSingle(single.to(), single.content(),
                        single.validityMillis());
                if (r.skipped()) {
                    skippedNumbers.add(single.to());
                } else if (optedOut.contains(single.to())) {
                    waits.add("send \"" + describe(s) + "\" did not skip " + single.to() + ", which had opted out");
                }
                singles.add(new SingleRun(single, r.messageId()));
            }
        }
        progress.step("all sent, waiting for the gateway's report to match the carriers");
        Settling end = settle(campaigns, singles, deadline);
        Set<String> suppressedList = new TreeSet<>(gateway.suppressions());
        suppressedList.retainAll(scenarioNumbers());
        Map<String, Map<String, Long>> gatewayParts = new HashMap<>();
        for (CampaignRun c : campaigns) {
            Map<String, Long> f = gateway.partFigures(c.id);
            if (f != null) {
                gatewayParts.put(c.send.campaign(), f);
            }
        }
        return compare(waits, campaigns, singles, skippedNumbers, suppressedList, end.snapshot, end.settled,
                gatewayParts);
    }

    /**
     * The numbers whose last acknowledged reply (by the ledger, in submit order per number) is an opt-out keyword:
     * the gateway stored it, so the number is on its suppressed list. The keywords are the gateway's defaults
     * ({@link RepliesConfig#defaults()}), compared as it does (whole text, no case, no white space).
     */
    static Set<String> optedOut(List<ScenarioRunner.LedgerLine> ledger) {
        RepliesConfig keywords = RepliesConfig.defaults();
        Map<String, Boolean> last = new LinkedHashMap<>();
        for (ScenarioRunner.LedgerLine line : ledger) {
            for (Ledger.ReceiptRecord r : line.receipts()) {
                if (r.kind() != PlannedReceipt.Kind.REPLY || !r.acknowledged() || r.text() == null) {
                    continue;
                }
                String k = RepliesConfig.normalize(r.text());
                String number = line.number().startsWith("+") ? line.number() : "+" + line.number();
                if (keywords.optOutKeywords().contains(k)) {
                    last.put(number, true);
                } else if (keywords.optInKeywords().contains(k)) {
                    last.put(number, false);
                }
            }
        }
        Set<String> out = new TreeSet<>();
        last.forEach((n, optedOutLast) -> {
            if (optedOutLast) {
                out.add(n);
            }
        });
        return out;
    }

    private record Settling(Snapshot snapshot, boolean settled) {
    }

    /** Polls until the gateway has caught up with the carriers (twice the same), or the deadline. */
    private Settling settle(List<CampaignRun> campaigns, List<SingleRun> singles, long deadline)
            throws IOException, InterruptedException {
        long maxPolls = scenario.timeoutMillis() / pollEvery.toMillis() + 2;
        Snapshot previous = null;
        Snapshot now = snapshot(campaigns, singles);
        for (long i = 0; i < maxPolls && System.nanoTime() < deadline; i++) {
            if (now.caughtUp() && now.equals(previous)) {
                return new Settling(now, true);
            }
            Thread.sleep(pollEvery.toMillis());
            progress.tick();
            previous = now;
            now = snapshot(campaigns, singles);
        }
        return new Settling(now, false);
    }

    private static String describe(Scenario.Send s) {
        return s instanceof Scenario.CampaignSend c ? "campaign " + c.campaign()
                : "single to " + ((Scenario.SingleSend) s).to();
    }

    /** Every number this scenario sends to, E.164 with '+'. */
    private Set<String> scenarioNumbers() {
        Set<String> out = new HashSet<>();
        for (Scenario.Send s : scenario.sends()) {
            if (s instanceof Scenario.CampaignSend c) {
                out.addAll(c.contacts());
            } else {
                out.add(((Scenario.SingleSend) s).to());
            }
        }
        return out;
    }

    /** What the gateway and the ledger say at one moment. */
    private record Snapshot(List<ScenarioRunner.LedgerLine> ledger, Map<String, Map<String, Long>> ledgerTabs,
                            Map<String, Map<String, Long>> gatewayTabs, Map<String, List<String>> singleLedger,
                            Map<String, List<String>> singleGateway, boolean carriersSettled,
                            Map<String, Long> ledgerMessages, Map<String, Long> queued,
                            Map<String, List<LedgerMessages.Message>> campaignMessages) {
        boolean caughtUp() {
            if (!carriersSettled || !ledgerMessages.equals(queued)) {
                return false;
            }
            for (String c : ledgerTabs.keySet()) {
                if (finals(ledgerTabs.get(c)) != finals(gatewayTabs.get(c))) {
                    return false;
                }
            }
            for (String k : singleLedger.keySet()) {
                if (finals(singleLedger.get(k)) != finals(singleGateway.getOrDefault(k, List.of()))) {
                    return false;
                }
            }
            return true;
        }

        // equality for "the same twice in a row": ledger lines carry states, so compare the counts only
        @Override
        public boolean equals(Object o) {
            return o instanceof Snapshot s && s.ledgerTabs.equals(ledgerTabs) && s.gatewayTabs.equals(gatewayTabs)
                    && s.singleGateway.equals(singleGateway) && s.carriersSettled == carriersSettled;
        }

        @Override
        public int hashCode() {
            return gatewayTabs.hashCode();
        }

        static long finals(Map<String, Long> tabs) {
            return tabs.entrySet().stream().filter(e -> !e.getKey().equals("pending"))
                    .mapToLong(Map.Entry::getValue).sum();
        }

        static long finals(List<String> tabs) {
            return tabs.stream().filter(t -> !t.equals("pending")).count();
        }
    }

    private Snapshot snapshot(List<CampaignRun> campaigns, List<SingleRun> singles)
            throws IOException, InterruptedException {
        boolean settled = runner.receiptsOutstanding() == 0;
        List<ScenarioRunner.LedgerLine> ledger = runner.ledger();
        // the message of each (number, content) is its last message in the ledger (a throttled submit is none;
        // a submit the gateway made again after a lost answer replaces the earlier one)
        Map<String, LedgerMessages.Message> lastByKey = new LinkedHashMap<>();
        Map<String, List<String>> singleLedger = new TreeMap<>();
        Map<String, String> campaignOfContent = new HashMap<>();
        Map<String, Set<String>> contactsOf = new HashMap<>();
        for (CampaignRun c : campaigns) {
            campaignOfContent.put(c.send.content(), c.send.campaign());
            Set<String> numbers = new HashSet<>(c.send.contacts());
            contactsOf.put(c.send.campaign(), numbers);
        }
        // per message, as the gateway counts: the parts of a concatenated message are one message
        for (LedgerMessages.Message m : LedgerMessages.of(ledger)) {
            String campaign = campaignOfContent.get(m.content());
            if (campaign != null && contactsOf.get(campaign).contains(m.number())) {
                lastByKey.put(campaign + "\u0000" + m.number(), m);
            } else {
                singleLedger.computeIfAbsent(m.number() + " \"" + m.content() + "\"", k -> new ArrayList<>())
                        .add(m.tab());
            }
        }
        Map<String, Map<String, Long>> ledgerTabs = new LinkedHashMap<>();
        Map<String, Long> ledgerMessages = new LinkedHashMap<>();
        Map<String, Long> queued = new LinkedHashMap<>();
        Map<String, Map<String, Long>> gatewayTabs = new LinkedHashMap<>();
        for (CampaignRun c : campaigns) {
            Map<String, Long> tabs = zeroTabs();
            ledgerTabs.put(c.send.campaign(), tabs);
            ledgerMessages.put(c.send.campaign(), 0L);
            queued.put(c.send.campaign(), (long) c.queued);
            gatewayTabs.put(c.send.campaign(), gateway.report(c.id));
        }
        for (Map.Entry<String, LedgerMessages.Message> e : lastByKey.entrySet()) {
            String campaign = e.getKey().substring(0, e.getKey().indexOf('\u0000'));
            ledgerTabs.get(campaign).merge(e.getValue().tab(), 1L, Long::sum);
            ledgerMessages.merge(campaign, 1L, Long::sum);
        }
        Map<String, List<String>> singleGateway = new TreeMap<>();
        long singlesSent = 0;
        for (SingleRun s : singles) {
            if (s.messageId == null) {
                continue;
            }
            singlesSent++;
            singleGateway.computeIfAbsent(s.send.to() + " \"" + s.send.content() + "\"", k -> new ArrayList<>())
                    .add(gateway.message(s.messageId).tab());
        }
        singleLedger.values().forEach(l -> l.sort(null));
        singleGateway.values().forEach(l -> l.sort(null));
        ledgerMessages.put("(single sends)", singleLedger.values().stream().mapToLong(List::size).sum());
        queued.put("(single sends)", singlesSent);
        Map<String, List<LedgerMessages.Message>> campaignMessages = new HashMap<>();
        lastByKey.forEach((k, m) -> campaignMessages.computeIfAbsent(k.substring(0, k.indexOf('\u0000')),
                x -> new ArrayList<>()).add(m));
        return new Snapshot(ledger, ledgerTabs, gatewayTabs, singleLedger, singleGateway, settled, ledgerMessages,
                queued, campaignMessages);
    }

    /** @param waits sends made before the messages ahead of them were final: differences of their own */
    /**
     * @param gatewayParts each campaign's parts figure from the gateway's report (absent: the gateway has none, then
     *                     it is not compared)
     */
    private Result compare(List<String> waits, List<CampaignRun> campaigns, List<SingleRun> singles,
                           Set<String> skipped, Set<String> suppressedList, Snapshot s, boolean settled,
                           Map<String, Map<String, Long>> gatewayParts) {
        List<String> diffs = new ArrayList<>(waits);
        StringBuilder out = new StringBuilder();
        for (String w : waits) {
            out.append("! ").append(w).append('\n');
        }
        out.append("scenario ").append(scenario.name()).append(" (seed ").append(scenario.seed()).append(")\n");
        if (!settled) {
            diffs.add("not settled within " + scenario.timeoutMillis() + " ms");
            out.append("! the gateway had not caught up with the carriers when time was up (")
                    .append(runner.receiptsOutstanding()).append(" receipts not yet acknowledged)\n");
        }
        for (CampaignRun c : campaigns) {
            String name = c.send.campaign();
            Map<String, Long> ledger = s.ledgerTabs.get(name);
            Map<String, Long> gw = s.gatewayTabs.get(name);
            Map<String, Long> file = scenario.expect().campaignTabs().getOrDefault(name, Map.of());
            out.append(String.format(Locale.ROOT, "%ncampaign \"%s\" (id %d): %d contacts, %d queued, %d sent by"
                            + " the carriers' ledger%n", name, c.id, c.send.contacts().size(), c.queued,
                    s.ledgerMessages.get(name)));
            out.append(String.format(Locale.ROOT, "  %-14s %8s %8s %8s%n", "tab", "ledger", "gateway", "expected"));
            for (String tab : Scenario.TABS) {
                long l = ledger.getOrDefault(tab, 0L);
                long g = gw.getOrDefault(tab, 0L);
                Long f = file.get(tab);
                List<String> why = new ArrayList<>();
                if (l != g) {
                    why.add("gateway " + (g > l ? "+" : "") + (g - l) + " vs ledger");
                    diffs.add(String.format(Locale.ROOT, "campaign \"%s\" tab %s: gateway %d, ledger %d", name, tab,
                            g, l));
                }
                if (f != null && f != g) {
                    why.add("gateway " + (g > f ? "+" : "") + (g - f) + " vs expected");
                    diffs.add(String.format(Locale.ROOT, "campaign \"%s\" tab %s: gateway %d, expected %d", name,
                            tab, g, f));
                }
                if (f != null && f != l) {
                    why.add("ledger differs from expected");
                    diffs.add(String.format(Locale.ROOT, "campaign \"%s\" tab %s: ledger %d, expected %d (the"
                            + " scenario's expectation does not match what its carriers did)", name, tab, l, f));
                }
                out.append(String.format(Locale.ROOT, "  %-14s %8d %8d %8s  %s%n", tab, l, g,
                        f == null ? "-" : f.toString(), why.isEmpty() ? "ok" : "DIFF: " + String.join("; ", why)));
            }
            Map<String, Long> ledgerParts = LedgerMessages.partFigures(s.campaignMessages.getOrDefault(name,
                    List.of()));
            Map<String, Long> gwParts = gatewayParts.get(name);
            if (ledgerParts.get("messages") > 0 || (gwParts != null && gwParts.get("messages") > 0)) {
                boolean same = ledgerParts.equals(gwParts);
                out.append(String.format(Locale.ROOT, "  parts: ledger %s, gateway %s  %s%n", ledgerParts,
                        gwParts == null ? "(no parts figure)" : gwParts, gwParts == null ? "not compared"
                                : same ? "ok" : "DIFF"));
                if (gwParts != null && !same) {
                    diffs.add(String.format(Locale.ROOT, "campaign \"%s\" parts: gateway %s, ledger %s", name,
                            gwParts, ledgerParts));
                }
            }
            if (s.ledgerMessages.get(name) != c.queued) {
                diffs.add(String.format(Locale.ROOT, "campaign \"%s\": gateway queued %d, carriers received %d",
                        name, c.queued, s.ledgerMessages.get(name)));
            }
        }
        if (!singles.isEmpty()) {
            out.append("\nsingle sends\n");
            Set<String> keys = new TreeSet<>(s.singleLedger.keySet());
            keys.addAll(s.singleGateway.keySet());
            for (String k : keys) {
                List<String> l = s.singleLedger.getOrDefault(k, List.of());
                List<String> g = s.singleGateway.getOrDefault(k, List.of());
                boolean same = l.equals(g);
                out.append("  ").append(k).append(": ledger ").append(l).append(", gateway ").append(g)
                        .append(same ? "  ok" : "  DIFF").append('\n');
                if (!same) {
                    diffs.add("single send " + k + ": gateway " + g + ", ledger " + l);
                }
            }
        }
        // Expected: what the file says, and every number that opted out by a reply (and did not opt back in).
        Set<String> expected = new TreeSet<>(scenario.expect().suppressed());
        expected.addAll(optedOut(s.ledger));
        List<String> expectedSuppressed = new ArrayList<>(expected);
        if (!expectedSuppressed.isEmpty() || !skipped.isEmpty() || !suppressedList.isEmpty()) {
            List<String> listed = new ArrayList<>(suppressedList);
            boolean same = listed.equals(expectedSuppressed);
            out.append("\nsuppressed list (GET /api/v1/suppressions, this scenario's numbers): ").append(listed)
                    .append(", expected ").append(expectedSuppressed).append(same ? "  ok" : "  DIFF").append('\n');
            if (!same) {
                List<String> missing = new ArrayList<>(expectedSuppressed);
                missing.removeAll(listed);
                List<String> extra = new ArrayList<>(listed);
                extra.removeAll(expectedSuppressed);
                diffs.add("suppressed list: gateway " + listed + ", expected " + expectedSuppressed
                        + (missing.isEmpty() ? "" : "; not suppressed: " + missing)
                        + (extra.isEmpty() ? "" : "; suppressed but not expected: " + extra));
            }
            List<String> wrongSkips = new ArrayList<>(skipped);
            wrongSkips.removeAll(expectedSuppressed);
            out.append("skipped as suppressed by the sends: ").append(skipped)
                    .append(wrongSkips.isEmpty() ? "  ok" : "  DIFF").append('\n');
            if (!wrongSkips.isEmpty()) {
                diffs.add("sends skipped " + wrongSkips + " as suppressed, but the scenario does not expect them"
                        + " suppressed");
            }
        }
        out.append('\n').append(diffs.isEmpty() ? "VERDICT: PASS, the gateway's reports match the ledger"
                + (scenario.expect().campaignTabs().isEmpty() ? "" : " and the expectations")
                : "VERDICT: FAIL, " + diffs.size() + " difference(s):\n  - " + String.join("\n  - ", diffs))
                .append('\n');
        return new Result(diffs.isEmpty(), List.copyOf(diffs), out.toString(), s.ledger, s.gatewayTabs, s.ledgerTabs);
    }

    private static Map<String, Long> zeroTabs() {
        Map<String, Long> m = new LinkedHashMap<>();
        Scenario.TABS.forEach(t -> m.put(t, 0L));
        return m;
    }
}
