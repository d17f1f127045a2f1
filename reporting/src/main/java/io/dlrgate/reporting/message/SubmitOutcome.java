package io.dlrgate.reporting.message;

import java.time.Instant;

/**
 * What became of one submit_sm, to be stored with the receipts of the same batch. Storing both through one
 * writer is what lets a receipt that beat its submit_sm_resp find its message without a race.
 *
 * @param attempt which claim of the message this is about ({@code messages.submit_attempts} when it was claimed);
 *                the outcome applies only while the message is still in flight on that attempt, so an outcome
 *                that arrives late, or is written twice, cannot requeue or settle a later attempt. 0: any attempt
 *                (for callers that do not know it).
 * @param part    which part of a message sent as concatenated parts this is about (1-based); 0: the whole message
 *                in one submit_sm
 * @param parts   how many parts the message was cut into (0 with part 0)
 */
public record SubmitOutcome(long messageId, Kind kind, String carrierId, String carrierMessageId,
                            Integer commandStatus, String error, Instant at, int attempt, int part, int parts) {

    /** About a whole message sent in one submit_sm. */
    public SubmitOutcome(long messageId, Kind kind, String carrierId, String carrierMessageId, Integer commandStatus,
                         String error, Instant at, int attempt) {
        this(messageId, kind, carrierId, carrierMessageId, commandStatus, error, at, attempt, 0, 0);
    }

    /** The same outcome, about part {@code part} of {@code parts} (RETRY stays about the whole message). */
    public SubmitOutcome ofPart(int part, int parts) {
        if (part < 1 || part > parts) {
            throw new IllegalArgumentException("part " + part + " of " + parts);
        }
        return new SubmitOutcome(messageId, kind, carrierId, carrierMessageId, commandStatus, error, at, attempt,
                part, parts);
    }

    /** Whether this is about one part of a message sent as concatenated parts. */
    public boolean isPart() {
        return part > 0;
    }

    public enum Kind {
        /** submit_sm_resp OK: the carrier's id is the correlation key from now on. */
        ACCEPTED,
        /** submit_sm_resp with an error status: the message failed with that status. */
        REJECTED,
        /** No answer in time (or the session closed); another attempt is allowed: back to the queue. */
        RETRY,
        /** No answer in time and no attempts left: the message failed. */
        FAILED,
        /**
         * Not a submit: a carrier id whose open orphans should be matched again now that a message has it (the
         * orphan reporter's backstop for orphans stored by another process at the moment this one learnt the id).
         * Changes no message by itself; goes to the commit lane of its correlation key like ACCEPTED.
         */
        REMATCH
    }

    // Every factory takes the attempt the outcome is about: one built without it would apply to any attempt.

    public static SubmitOutcome accepted(long id, String carrierId, String normalisedId, Instant at, int attempt) {
        return new SubmitOutcome(id, Kind.ACCEPTED, carrierId, normalisedId, 0, null, at, attempt);
    }

    public static SubmitOutcome rejected(long id, String carrierId, int status, String error, Instant at, int attempt) {
        return new SubmitOutcome(id, Kind.REJECTED, carrierId, null, status, error, at, attempt);
    }

    public static SubmitOutcome retry(long id, String carrierId, Instant at, int attempt) {
        return new SubmitOutcome(id, Kind.RETRY, carrierId, null, null, null, at, attempt);
    }

    public static SubmitOutcome failed(long id, String carrierId, String error, Instant at, int attempt) {
        return new SubmitOutcome(id, Kind.FAILED, carrierId, null, null, error, at, attempt);
    }

    /** Open orphans of this correlation key are to be matched again (see {@link Kind#REMATCH}). */
    public static SubmitOutcome rematch(String carrierId, String normalisedId, Instant at) {
        return new SubmitOutcome(0, Kind.REMATCH, carrierId, normalisedId, null, null, at, 0);
    }

    /** Whether this outcome makes a correlation key known (ACCEPTED, REMATCH): open orphans may wait for it. */
    public boolean carriesKey() {
        return kind == Kind.ACCEPTED || kind == Kind.REMATCH;
    }

    /** Whether this is the outcome of a submit_sm (everything but {@link Kind#REMATCH}). */
    public boolean isSubmit() {
        return kind != Kind.REMATCH;
    }
}
