package io.dlrgate.simulator.scenario;

import com.cloudhopper.smpp.SmppConstants;
import io.dlrgate.simulator.outcome.Decision;
import io.dlrgate.simulator.outcome.OutcomePolicy;
import io.dlrgate.simulator.outcome.Part;
import io.dlrgate.simulator.outcome.PlannedReceipt;
import io.dlrgate.simulator.outcome.Stat;
import io.dlrgate.simulator.outcome.SubmitView;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One carrier's part of a scenario: decides each submit by the scenario's rules (first match wins).
 *
 * <p>Reproducible by construction: every draw for a message comes from a random source seeded with the
 * scenario's seed, the carrier, the number, the content and how many times that content went to that number,
 * never from a shared stream. So the same scenario and seed give the same outcome to the same send, whatever order
 * the gateway's sessions deliver the submits in, also when campaigns to the same numbers overlap. A sequence rule
 * counts every submit to the number instead (a number bouncing across campaigns). Attempts count across all
 * carriers of the scenario (the {@link Attempts} object is shared); a throttled submit does not count.
 */
public final class ScenarioPolicy implements OutcomePolicy {

    /** What the policy decided for one submit, beyond the Decision itself (for the ledger file). */
    public record Note(String rule, int attempt, String outcome, String fault) {
    }

    /** Attempts per number, shared by a scenario's carriers. */
    public static final class Attempts {
        private final Map<String, Integer> attempts = new HashMap<>();
        /** Per number AND text: what the random draws count, so overlapping campaigns do not shift each other. */
        private final Map<String, Integer> sameText = new HashMap<>();
        private final Set<String> lastThrottled = new HashSet<>();

        synchronized int peek(String number) {
            return attempts.getOrDefault(number, 0);
        }

        /** How many submits of this text this number had: the attempt a draw is made for. */
        synchronized int peekSameText(String number, String content) {
            return sameText.getOrDefault(message(number, content), 0);
        }

        synchronized void advance(String number, String content) {
            attempts.merge(number, 1, Integer::sum);
            String message = message(number, content);
            sameText.merge(message, 1, Integer::sum);
            lastThrottled.remove(message);
        }

        /** A part of a message got through (its message is counted once, by {@link #advance}): forget its throttle. */
        synchronized void passed(String number, String content) {
            lastThrottled.remove(message(number, content));
        }

        /**
         * True when this message (number and text) was throttled on its last try: never throttle it twice in a row,
         * so a gateway that retries always gets it through. Per message, not per number: another campaign's submit
         * to the number in between must not reset it (the message's draw does not change between its tries).
         */
        synchronized boolean markThrottled(String number, String content) {
            return !lastThrottled.add(message(number, content));
        }

        /** One message's key: its number and text (NUL cannot occur in either). */
        private static String message(String number, String content) {
            return number + '\u0000' + content;
        }
    }

    private final Scenario scenario;
    private final Scenario.Carrier carrier;
    private final Attempts attempts;
    /** campaign name -> (content, numbers without '+') */
    private final Map<String, Map.Entry<String, Set<String>>> campaigns = new HashMap<>();
    private final Map<Long, Note> notes = new ConcurrentHashMap<>();

    public ScenarioPolicy(Scenario scenario, Scenario.Carrier carrier, Attempts attempts) {
        this.scenario = scenario;
        this.carrier = carrier;
        this.attempts = attempts;
        for (Scenario.Send s : scenario.sends()) {
            if (s instanceof Scenario.CampaignSend c) {
                Set<String> numbers = new HashSet<>();
                c.contacts().forEach(n -> numbers.add(strip(n)));
                campaigns.put(c.campaign(), Map.entry(c.content(), numbers));
            }
        }
    }

    /** The note of submit number {@code sequence} at this carrier, or null. */
    public Note note(long sequence) {
        return notes.get(sequence);
    }

    @Override
    public Decision decide(SubmitView submit) {
        String number = strip(submit.destination());
        // A sequence counts every submit to the number (a number bouncing across campaigns); a random draw counts
        // only the submits of this text, so two campaigns to one number draw the same whatever arrives first.
        int attempt = attempts.peek(number);
        int drawAttempt = attempts.peekSameText(number, submit.content());
        if (carrier.throttleShare() > 0) {
            SplittableRandom r = random("throttle", number, submit.content(), drawAttempt);
            if (r.nextDouble() < carrier.throttleShare() && !attempts.markThrottled(number, submit.content())) {
                notes.put(submit.sequence(), new Note(null, attempt, "submit_error 0x58", "throttled"));
                return Decision.reject(SmppConstants.STATUS_THROTTLED);
            }
        }
        Part part = submit.part();
        // one stream per submit: the weight draw (a whole message's) first, then the delays
        SplittableRandom random = random("outcome", number, submit.content(), drawAttempt);
        Chosen chosen;
        if (part == null) {
            attempts.advance(number, submit.content());
            chosen = choose(number, submit.content(), false, attempt, random);
        } else {
            attempts.passed(number, submit.content());
            chosen = messageOf(number, submit.content(), part);
        }
        Scenario.Rule rule = chosen.rule;
        Scenario.Outcome outcome = chosen.outcome;
        String lost = null;
        if (part != null && rule != null && rule.parts().containsKey(part.number())) {
            outcome = rule.parts().get(part.number()); // this part's own outcome
        } else if (outcome.onePartLost()) {
            boolean thisOne = part == null || part.number() == chosen.lostPart;
            lost = !thisOne ? null : part == null ? "no receipt (one_part_lost, not in parts)"
                    : "this part lost (one_part_lost)";
            outcome = thisOne ? Scenario.Outcome.SILENCE : DELIVERED;
        }
        if (part != null) {
            attempt = chosen.attempt; // a sequence counts messages, not parts
        }
        List<String> faults = new ArrayList<>();
        Decision decision;
        if (outcome.submitError() != 0) {
            decision = Decision.reject(outcome.submitError());
        } else {
            Scenario.Faults f = carrier.faults();
            boolean early = f.earlyReceiptShare() > 0 && !outcome.silence()
                    && random("early", number, submit.content(), drawAttempt).nextDouble() < f.earlyReceiptShare();
            List<PlannedReceipt> receipts = new ArrayList<>();
            long at = 0;
            for (Scenario.Intermediate i : outcome.intermediates()) {
                long d = scaled(i.delay() == null ? carrier.receiptDelay() : i.delay(), random);
                at += early ? 0 : d;
                receipts.add(PlannedReceipt.of(i.stat(), at, true));
            }
            Stat noiseStat = Stat.DELIVRD;
            String noiseErr = Stat.DELIVRD.defaultErr();
            if (!outcome.silence()) {
                long d = scaled(outcome.delay() == null ? carrier.receiptDelay() : outcome.delay(), random);
                at += early ? 0 : d;
                String err = outcome.err() == null ? outcome.stat().defaultErr() : outcome.err();
                receipts.add(new PlannedReceipt(outcome.stat(), err, at, false));
                noiseStat = outcome.stat();
                noiseErr = err;
                if (carrier.duplicateShare() > 0 && random("duplicate", number, submit.content(), drawAttempt)
                        .nextDouble() < carrier.duplicateShare()) {
                    receipts.add(new PlannedReceipt(outcome.stat(), err, at + 20, false));
                    faults.add("duplicate receipt");
                }
            }
            if (f.unknownIdShare() > 0
                    && random("unknown", number, submit.content(), drawAttempt).nextDouble() < f.unknownIdShare()) {
                receipts.add(new PlannedReceipt(noiseStat, noiseErr, at + 10, false, PlannedReceipt.Kind.UNKNOWN_ID));
                faults.add("receipt for an unknown id");
            }
            if (f.malformedShare() > 0) {
                SplittableRandom m = random("malformed", number, submit.content(), drawAttempt);
                if (m.nextDouble() < f.malformedShare()) {
                    PlannedReceipt.Kind kind = MALFORMED_KINDS.get(m.nextInt(MALFORMED_KINDS.size()));
                    receipts.add(new PlannedReceipt(noiseStat, noiseErr, at + 5, false, kind));
                    faults.add("malformed receipt (" + kind.name().toLowerCase(java.util.Locale.ROOT) + ")");
                }
            }
            if (rule != null && rule.reply() != null && (part == null || part.number() == part.total())) {
                // After everything else for the message (the chain sends in order): the recipient read it.
                Scenario.Reply reply = rule.reply();
                long d = scaled(reply.after() == null ? carrier.receiptDelay() : reply.after(), random);
                receipts.add(PlannedReceipt.reply(reply.text(), at + d));
            }
            decision = Decision.accept(receipts);
            if (early) {
                decision = decision.withReceiptsFirst();
                faults.add(0, "receipts before submit_sm_resp");
            }
        }
        if (lost != null) {
            faults.add(lost);
        }
        notes.put(submit.sequence(), new Note(rule == null ? "(no rule: DELIVRD)" : rule.label(), attempt,
                outcome.describe(), faults.isEmpty() ? null : String.join(", ", faults)));
        return decision;
    }

    private static final Scenario.Outcome DELIVERED = new Scenario.Outcome(Stat.DELIVRD, null, null, List.of(), false,
            0);

    /**
     * What was chosen for one message: the rule (null: none matched), its outcome, the attempt it was chosen for,
     * and for {@code one_part_lost} the part that gets no receipt.
     */
    private record Chosen(Scenario.Rule rule, Scenario.Outcome outcome, int attempt, int lostPart) {
    }

    /** Messages of parts decided so far, by the carrier's message number; the oldest forgotten first. */
    private final Map<Long, Chosen> messages = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Chosen> eldest) {
            return size() > MAX_MESSAGES;
        }
    };
    static final int MAX_MESSAGES = 100_000;

    /**
     * The choice for the message a part belongs to, made when its first part arrives (all its parts share it:
     * matched on that part's text, drawn from the number, the scheme, the reference and the total, and counted as
     * one attempt to the number).
     */
    private Chosen messageOf(String number, String partText, Part part) {
        synchronized (messages) {
            Chosen c = messages.get(part.message());
            if (c == null) {
                String key = "\u0001part " + part.scheme() + " " + part.reference() + "/" + part.total();
                int attempt = attempts.peek(number);
                int drawAttempt = attempts.peekSameText(number, key);
                attempts.advance(number, key);
                Chosen chosen = choose(number, partText, true, attempt, random("outcome", number, key, drawAttempt));
                int lost = 1 + random("lost part", number, key, drawAttempt).nextInt(part.total());
                c = new Chosen(chosen.rule, chosen.outcome, attempt, lost);
                messages.put(part.message(), c);
            }
            return c;
        }
    }

    /** The first rule matching {@code content} and its outcome; a weighted rule draws from {@code random}. */
    private Chosen choose(String number, String content, boolean part, int attempt, SplittableRandom random) {
        Scenario.Rule rule = null;
        int ruleIndex = -1;
        for (int k = 0; k < scenario.rules().size(); k++) {
            Scenario.Rule r = scenario.rules().get(k);
            if (matches(r.match(), number, content, part)) {
                rule = r;
                ruleIndex = k;
                break;
            }
        }
        Scenario.Outcome outcome;
        if (rule == null) {
            outcome = DELIVERED;
        } else if (rule.choice() instanceof Scenario.Single s) {
            outcome = s.outcome();
        } else if (rule.choice() instanceof Scenario.Sequence s) {
            outcome = s.outcomes().get(Math.min(attempt, s.outcomes().size() - 1));
        } else {
            Scenario.Weighted w = (Scenario.Weighted) rule.choice();
            List<Integer> override = weightOverrides.get(ruleIndex);
            if (override != null) {
                w = new Scenario.Weighted(w.outcomes(), override);
            }
            int v = random.nextInt(w.total());
            int i = 0;
            while (v >= w.weights().get(i)) {
                v -= w.weights().get(i);
                i++;
            }
            outcome = w.outcomes().get(i);
        }
        return new Chosen(rule, outcome, attempt, 0);
    }

    private static final List<PlannedReceipt.Kind> MALFORMED_KINDS = List.of(PlannedReceipt.Kind.MALFORMED_NO_ID,
            PlannedReceipt.Kind.MALFORMED_TEXT, PlannedReceipt.Kind.NOT_A_RECEIPT);

    /** Weights set through the control endpoint, by rule index; they replace the file's for this carrier. */
    private final Map<Integer, List<Integer>> weightOverrides = new ConcurrentHashMap<>();

    /**
     * Replaces the weights of a weighted rule for this carrier from now on. {@code rule} is the rule's name or its
     * index in the file (0-based); {@code weights} maps each outcome (its stat, "silence", or "submit_error 0x0B",
     * as {@link Scenario.Outcome#describe()} prints it) to its weight; outcomes not named get 0.
     *
     * @return the rule's outcomes with their weights now in force
     * @throws IllegalArgumentException naming what is wrong
     */
    public Map<String, Integer> setWeights(String rule, Map<String, Integer> weights) {
        int index = ruleIndex(rule);
        if (!(scenario.rules().get(index).choice() instanceof Scenario.Weighted w)) {
            throw new IllegalArgumentException("rule '" + rule + "' has no weights (it gives one outcome or a sequence)");
        }
        List<String> names = w.outcomes().stream().map(Scenario.Outcome::describe).toList();
        for (Map.Entry<String, Integer> e : weights.entrySet()) {
            if (!names.contains(e.getKey())) {
                throw new IllegalArgumentException("'" + e.getKey() + "' is not an outcome of rule '" + rule
                        + "'; its outcomes are " + names);
            }
            if (e.getValue() == null || e.getValue() < 0 || e.getValue() > 1_000_000) {
                throw new IllegalArgumentException("weight of '" + e.getKey() + "' must be 0..1000000");
            }
        }
        List<Integer> ws = new ArrayList<>();
        for (String n : names) {
            ws.add(weights.getOrDefault(n, 0));
        }
        if (ws.stream().mapToInt(Integer::intValue).sum() == 0) {
            throw new IllegalArgumentException("weights must not all be zero");
        }
        weightOverrides.put(index, List.copyOf(ws));
        return weights(index);
    }

    /** The weights in force for the weighted rule at {@code index} (the file's unless overridden). */
    public Map<String, Integer> weights(int index) {
        Scenario.Weighted w = (Scenario.Weighted) scenario.rules().get(index).choice();
        List<Integer> ws = weightOverrides.getOrDefault(index, w.weights());
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < ws.size(); i++) {
            out.merge(w.outcomes().get(i).describe(), ws.get(i), Integer::sum);
        }
        return out;
    }

    private int ruleIndex(String rule) {
        List<Scenario.Rule> rules = scenario.rules();
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).label().equals(rule)) {
                return i;
            }
        }
        if (rule.matches("\\d{1,6}") && Integer.parseInt(rule) < rules.size()) {
            return Integer.parseInt(rule);
        }
        throw new IllegalArgumentException("no rule named '" + rule + "' (give its name or its index 0.."
                + (rules.size() - 1) + ")");
    }

    private long scaled(Delay d, SplittableRandom random) {
        return Math.round(d.draw(random) * scenario.timeScale());
    }

    boolean matches(Scenario.Match m, String number, String content) {
        return matches(m, number, content, false);
    }

    /**
     * @param part {@code content} is the text of one part of a concatenated message: a campaign matches when its
     *             content holds that text (the parts are pieces of it)
     */
    boolean matches(Scenario.Match m, String number, String content, boolean part) {
        if (m.carrier() != null && !m.carrier().equals(carrier.id())) {
            return false;
        }
        if (!m.numbers().isEmpty() && !m.numbers().contains(number)) {
            return false;
        }
        if (!m.prefixes().isEmpty() && m.prefixes().stream().noneMatch(number::startsWith)) {
            return false;
        }
        if (m.numberRegex() != null && !m.numberRegex().matcher("+" + number).find()) {
            return false;
        }
        if (m.contentContains() != null && !content.contains(m.contentContains())) {
            return false;
        }
        if (m.contentRegex() != null && !m.contentRegex().matcher(content).find()) {
            return false;
        }
        if (m.campaign() != null) {
            Map.Entry<String, Set<String>> c = campaigns.get(m.campaign());
            return c != null && (part ? c.getKey().contains(content) : c.getKey().equals(content))
                    && c.getValue().contains(number);
        }
        return true;
    }

    private SplittableRandom random(String purpose, String number, String content, int attempt) {
        long h = scenario.seed();
        h = mix(h, carrier.id());
        h = mix(h, purpose);
        h = mix(h, number);
        h = mix(h, content);
        h = h * 0x9E3779B97F4A7C15L + attempt;
        return new SplittableRandom(h);
    }

    private static long mix(long h, String s) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ b) * 0x100000001B3L;
        }
        return Long.rotateLeft(h, 17) * 0xBF58476D1CE4E5B9L;
    }

    static String strip(String number) {
        return number.startsWith("+") ? number.substring(1) : number;
    }
}
