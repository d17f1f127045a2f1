package io.dlrgate.gateway.dispatch;

/**
 * What a submit_sm carries as its reference object, so that its response finds its message without a lookup.
 *
 * @param throttles  times this attempt was already answered "throttled" and held to be sent again
 * @param generation the {@link AdaptiveSubmitRate#generation()} it was last written in
 * @param part       which part of a message sent as concatenated parts it is (1-based); 0: the whole message
 * @param parts      parts of that message (0 with part 0)
 * @param partTries  times this part was written in this attempt (it is retried alone when it times out)
 * @param lease      the instance lease the message was claimed under: a submit held to be written again (throttled,
 *                   or a part that timed out) is written only while that same lease holds, never under a later one
 *                   (a survivor that took the old lease over has requeued the message and may be sending it)
 */
record InFlightSubmit(long messageId, int attempt, int throttles, long generation, int part, int parts,
                      int partTries, long lease) {

    /** A first write of this attempt of a message, claimed under {@code lease}. */
    static InFlightSubmit of(long messageId, int attempt, long lease) {
        return new InFlightSubmit(messageId, attempt, 0, 0, 0, 0, 1, lease);
    }

    /** A first write of part {@code part} of {@code parts} of this attempt of a message, claimed under {@code lease}. */
    static InFlightSubmit ofPart(long messageId, int attempt, int part, int parts, long lease) {
        return new InFlightSubmit(messageId, attempt, 0, 0, part, parts, 1, lease);
    }

    /** The same attempt, held to be sent again after one more throttled answer. */
    InFlightSubmit throttledAgain() {
        return new InFlightSubmit(messageId, attempt, throttles + 1, generation, part, parts, partTries, lease);
    }

    /** The same part, to be written once more after it timed out. */
    InFlightSubmit triedAgain() {
        return new InFlightSubmit(messageId, attempt, throttles, generation, part, parts, partTries + 1, lease);
    }

    /** Stamped as written in this generation of the carrier's rate. */
    InFlightSubmit writtenIn(long rateGeneration) {
        return new InFlightSubmit(messageId, attempt, throttles, rateGeneration, part, parts, partTries, lease);
    }

    /** Whether it is one part of a message sent as concatenated parts. */
    boolean isPart() {
        return part > 0;
    }

    /** "part 2 of 3: " for an error of a part, "" for a whole message. */
    String partPrefix() {
        return isPart() ? "part " + part + " of " + parts + ": " : "";
    }
}
