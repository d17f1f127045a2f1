package io.dlrgate.simulator.outcome;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Draws each submit's final stat from weights, with an optional ENROUTE notification first.
 *
 * <p>Two independent streams, both seeded: outcomes come from {@code new Random(seed)} (exactly one
 * {@code nextInt(total)} per submit, see {@link OutcomeWeights}), delays from {@code new Random(seed ^ DELAY_SALT)}.
 * So the sequence of stats depends only on the seed and the number of submits, whatever the delays.
 * The ENROUTE receipt, when enabled, goes out after one delay draw; the final after a second draw added to it.
 */
public final class WeightedOutcomePolicy implements OutcomePolicy {
    static final long DELAY_SALT = 0x5DEECE66DL * 31;

    private final OutcomeWeights weights;
    private final boolean enroute;
    private final DelayRange delay;
    private final Random outcomes;
    private final Random delays;

    public WeightedOutcomePolicy(OutcomeWeights weights, boolean enroute, DelayRange delay, long seed) {
        this.weights = Objects.requireNonNull(weights, "weights");
        this.enroute = enroute;
        this.delay = Objects.requireNonNull(delay, "delay");
        this.outcomes = new Random(seed);
        this.delays = new Random(seed ^ DELAY_SALT);
    }

    @Override
    public synchronized Decision decide(SubmitView submit) {
        Stat stat = weights.draw(outcomes);
        List<PlannedReceipt> receipts = new ArrayList<>(2);
        long at = 0;
        if (enroute && stat != Stat.ENROUTE) {
            at = delay.draw(delays);
            receipts.add(PlannedReceipt.of(Stat.ENROUTE, at, true));
        }
        at += delay.draw(delays);
        receipts.add(PlannedReceipt.of(stat, at, false));
        return Decision.accept(receipts);
    }

    public OutcomeWeights weights() {
        return weights;
    }
}
