package io.dlrgate.simulator.outcome;

/**
 * Decides what happens to each submit a simulated carrier receives. Called once per submit, in order of
 * arrival, never concurrently for the same carrier, so a seeded implementation repeats exactly for the
 * same sequence of submits. The weighted policy is the first implementation; the scenario engine's rules
 * (match on number, content, campaign; sequences per attempt; silence; submit errors) plug in here.
 */
@FunctionalInterface
public interface OutcomePolicy {
    Decision decide(SubmitView submit);
}
