package io.dlrgate.gateway.dispatch;

/**
 * What a submit_sm carries as its reference object, so that its response finds its message without a lookup.
 *
 * @param throttles  times this attempt was already answered "throttled" and held to be sent again
 * @param generation the {@link AdaptiveSubmitRate#generation()} it was last written in
 */
record InFlightSubmit(long messageId, int attempt, int throttles, long generation) {

    /** A first write of this attempt of a message. */
    static InFlightSubmit of(long messageId, int attempt) {
        return new InFlightSubmit(messageId, attempt, 0, 0);
    }

    /** The same attempt, held to be sent again after one more throttled answer. */
    InFlightSubmit throttledAgain() {
        return new InFlightSubmit(messageId, attempt, throttles + 1, generation);
    }

    /** Stamped as written in this generation of the carrier's rate. */
    InFlightSubmit writtenIn(long rateGeneration) {
        return new InFlightSubmit(messageId, attempt, throttles, rateGeneration);
    }
}
