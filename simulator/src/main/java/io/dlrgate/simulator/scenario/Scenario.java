package io.dlrgate.simulator.scenario;

import com.cloudhopper.smpp.SmppBindType;
import io.dlrgate.simulator.carrier.IdFormat;
import io.dlrgate.simulator.carrier.SmscSettings;
import io.dlrgate.simulator.outcome.Stat;
import io.dlrgate.simulator.receipt.ReceiptDialect;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A validated scenario file: the carriers to simulate, the rules that decide each message's fate, the sends
 * {@code verify} drives through the gateway's API and what the report must show afterwards.
 * Built by {@link ScenarioLoader}; every value here has been checked.
 *
 * @param name       what the scenario is called (printed by run and verify)
 * @param seed       seed of every draw (weights, delays, faults)
 * @param timeScale  multiplies every delay (0.001 plays "2h" in 7.2 s of wall time)
 * @param timeoutMillis how long verify waits for the messages to become final
 * @param carriers   the simulated carriers, in file order
 * @param rules      first match wins; a message no rule matches is DELIVRD after its carrier's receipt delay
 * @param sends      campaigns and single sends, in the order verify makes them
 * @param expect     what the gateway's report must show (besides agreeing with the ledger)
 * @param statTabs   verify's stat-to-tab table (the reporting model's; overridable with {@code stat_tabs})
 * @param role       whether the simulated carriers bind to the gateway (CARRIER) or are SMSCs ESMEs bind to (SMSC)
 */
public record Scenario(String name, long seed, double timeScale, long timeoutMillis, List<Carrier> carriers,
                       List<Rule> rules, List<Send> sends, Expectations expect, Map<Stat, String> statTabs,
                       Role role) {

    /** Which side opens the TCP connections: the simulated carriers (CARRIER) or the ESMEs (SMSC). */
    public enum Role { CARRIER, SMSC }

    /** This scenario with another seed (the command line's --seed). */
    public Scenario withSeed(long newSeed) {
        return new Scenario(name, newSeed, timeScale, timeoutMillis, carriers, rules, sends, expect, statTabs, role);
    }

    /** This scenario in another role (the command {@code smsc} plays any scenario as SMSCs). */
    public Scenario withRole(Role newRole) {
        return new Scenario(name, seed, timeScale, timeoutMillis, carriers, rules, sends, expect, statTabs, newRole);
    }

    public static final List<String> TABS = List.of("delivered", "pending", "soft-bounces", "hard-bounces", "deleted");

    /** The reporting model's table (the product's, written here independently of the gateway). */
    public static final Map<Stat, String> DEFAULT_STAT_TABS = Map.of(
            Stat.DELIVRD, "delivered",
            Stat.ENROUTE, "pending", Stat.ACCEPTD, "pending", Stat.UNKNOWN, "pending",
            Stat.EXPIRED, "soft-bounces",
            Stat.UNDELIV, "hard-bounces", Stat.REJECTD, "hard-bounces", Stat.SKIPPED, "hard-bounces",
            Stat.DELETED, "deleted");

    /**
     * One simulated carrier.
     *
     * @param prefixes        numbers the gateway routes to it (for the generated gateway config and for checks)
     * @param receiptDelay    delay of receipts whose outcome names none
     * @param throttleShare   share of submit_sm answered ESME_RTHROTTLED (never twice in a row for one number)
     * @param duplicateShare  share of final receipts sent twice
     * @param dropEveryMillis drop every bind this often (0: never)
     * @param dropTimes       how many times at most
     * @param faults          the other faults (receipts first, unknown ids, malformed, enquire_link, slow reading)
     * @param smsc            the SMSC-side faults and limits (refused binds, throttle rate, late answers, dropped
     *                        connections, receipts on receiver binds only, hold and bind limits)
     */
    public record Carrier(String id, String systemId, String password, List<SmppBindType> bindTypes, int sessions,
                          int window, List<String> prefixes, Delay receiptDelay, IdFormat idFormat,
                          ReceiptDialect dialect, double throttleShare, double duplicateShare,
                          long dropEveryMillis, int dropTimes, Faults faults, SmscSettings smsc) {
    }

    /**
     * @param earlyReceiptShare  share of accepted messages whose receipts are sent before the submit_sm_resp
     * @param unknownIdShare     share of accepted messages followed by an extra receipt for an id never issued
     * @param malformedShare     share of accepted messages followed by an extra malformed receipt (no id, text that
     *                           is no receipt, or a deliver_sm that is no receipt, in turn by draw)
     * @param ignoreEnquireLinks leave the gateway's enquire_link unanswered
     * @param slowReadPauseMillis stop reading the socket this long (0: never) ...
     * @param slowReadEveryMillis ... once per this period
     */
    public record Faults(double earlyReceiptShare, double unknownIdShare, double malformedShare,
                         boolean ignoreEnquireLinks, long slowReadPauseMillis, long slowReadEveryMillis) {
        public static final Faults NONE = new Faults(0, 0, 0, false, 0, 0);
    }

    /**
     * A rule: when {@code match} holds, the message's fate comes from {@code choice}. {@code parts} gives parts of
     * a concatenated message an outcome of their own (part number to outcome, a receipt state or silence); the
     * other parts take the chosen outcome.
     */
    public record Rule(String label, Match match, Choice choice, Reply reply, Map<Integer, Outcome> parts) {
        public Rule {
            parts = parts == null ? Map.of() : Map.copyOf(parts);
        }

        public Rule(String label, Match match, Choice choice, Reply reply) {
            this(label, match, choice, reply, Map.of());
        }

        public Rule(String label, Match match, Choice choice) {
            this(label, match, choice, null);
        }
    }

    /**
     * The recipient answers a message the rule matched (and the carrier accepted): {@code text}, {@code after} the
     * message's last receipt (multiplied by {@code time_scale}); null: the carrier's receipt delay.
     */
    public record Reply(String text, Delay after) {
    }

    /**
     * Conditions, all of which must hold (an empty match matches everything). Numbers are compared without
     * the leading '+', as the gateway sends them.
     */
    public record Match(List<String> numbers, List<String> prefixes, Pattern numberRegex, String contentContains,
                        Pattern contentRegex, String campaign, String carrier) {
        public static final Match ANY = new Match(List.of(), List.of(), null, null, null, null, null);
    }

    /** Where a rule's outcome comes from. */
    public sealed interface Choice {
    }

    /** Always this outcome. */
    public record Single(Outcome outcome) implements Choice {
    }

    /** Attempt k (0-based) to the same number gets outcome k; past the end the last one repeats. */
    public record Sequence(List<Outcome> outcomes) implements Choice {
    }

    /** One outcome drawn by weight. */
    public record Weighted(List<Outcome> outcomes, List<Integer> weights) implements Choice {
        public int total() {
            return weights.stream().mapToInt(Integer::intValue).sum();
        }
    }

    /**
     * What happens to one message.
     *
     * @param stat          the final stat (null for silence or a submit error)
     * @param err           the err field (null: the stat's default)
     * @param delay         delay of the final after the last intermediate (null: the carrier's receipt delay)
     * @param intermediates receipts before the final (ENROUTE, ACCEPTD, ...), each with its delay (may be null)
     * @param silence       accept the message and never send a receipt
     * @param submitError   answer the submit_sm with this command_status (0: accept)
     * @param onePartLost   {@code one_part_lost}: every part of a concatenated message DELIVRD but one, drawn from
     *                      the seed, which gets no receipt at all (a message that is not a part: no receipt)
     */
    public record Outcome(Stat stat, String err, Delay delay, List<Intermediate> intermediates, boolean silence,
                          int submitError, boolean onePartLost) {
        /** The outcome {@code one_part_lost}. */
        public static final Outcome ONE_PART_LOST = new Outcome(Stat.DELIVRD, null, null, List.of(), false, 0, true);
        /** No receipt at all. */
        public static final Outcome SILENCE = new Outcome(null, null, null, List.of(), true, 0);

        public Outcome(Stat stat, String err, Delay delay, List<Intermediate> intermediates, boolean silence,
                       int submitError) {
            this(stat, err, delay, intermediates, silence, submitError, false);
        }

        public String describe() {
            if (submitError != 0) {
                return String.format("submit_error 0x%02X", submitError);
            }
            if (onePartLost) {
                return "one_part_lost";
            }
            StringBuilder sb = new StringBuilder();
            intermediates.forEach(i -> sb.append(i.stat()).append(" then "));
            return sb.append(silence ? "silence" : stat).toString();
        }
    }

    public record Intermediate(Stat stat, Delay delay) {
    }

    /**
     * A send verify makes through the gateway's API.
     * {@code validityMillis}: the validity asked for (the API's {@code validity}), null for the carrier's default;
     * the gateway expires what is still Pending past it, so verify expects such messages in Soft bounces.
     * {@code waitUntilFinal}: verify makes this send only once every earlier message is final (as the carriers and
     * the gateway agree), e.g. the fourth send to numbers that hard-bounced three times.
     */
    public sealed interface Send {
        String content();

        Long validityMillis();

        boolean waitUntilFinal();
    }

    /** A campaign sent to its contacts (the name must be unique in the file, and so must the content). */
    public record CampaignSend(String campaign, String content, List<String> contacts, Long validityMillis,
                               boolean waitUntilFinal) implements Send {
        public CampaignSend(String campaign, String content, List<String> contacts) {
            this(campaign, content, contacts, null, false);
        }
    }

    /** A single message (from the "send single message" page or the API). */
    public record SingleSend(String to, String content, Long validityMillis, boolean waitUntilFinal) implements Send {
        public SingleSend(String to, String content) {
            this(to, content, null, false);
        }
    }

    /**
     * @param campaignTabs per campaign name, the count of each tab named (tabs not named are not checked)
     * @param suppressed   the gateway's suppressed list, as far as this scenario's numbers go, must be exactly these
     *                     at the end; and every number a send skipped as suppressed must be one of them
     */
    public record Expectations(Map<String, Map<String, Long>> campaignTabs, List<String> suppressed) {
        public static final Expectations NONE = new Expectations(Map.of(), List.of());
    }

    public Carrier carrier(String id) {
        return carriers.stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
    }

    /** The tab a final stat lands in by this scenario's table; pending for a stat it does not name. */
    public String tabOf(Stat stat) {
        return statTabs.getOrDefault(stat, "pending");
    }
}
