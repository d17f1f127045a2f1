package io.dlrgate.reporting.receipt;

import java.time.Instant;

/**
 * What became of one submit_sm, to be stored with the receipts of the same batch. Storing both through one
 * writer is what lets a receipt that beat its submit_sm_resp find its message without a race.
 */
public record SubmitOutcome(long messageId, Kind kind, String carrierId, String carrierMessageId,
                            Integer commandStatus, String error, Instant at) {

    public enum Kind {
        /** submit_sm_resp OK: the carrier's id is the correlation key from now on. */
        ACCEPTED,
        /** submit_sm_resp with an error status: the message failed with that status. */
        REJECTED,
        /** No answer in time (or the session closed); another attempt is allowed: back to the queue. */
        RETRY,
        /** No answer in time and no attempts left: the message failed. */
        FAILED
    }

    public static SubmitOutcome accepted(long id, String carrierId, String normalisedId, Instant at) {
        return new SubmitOutcome(id, Kind.ACCEPTED, carrierId, normalisedId, 0, null, at);
    }

    public static SubmitOutcome rejected(long id, String carrierId, int status, String error, Instant at) {
        return new SubmitOutcome(id, Kind.REJECTED, carrierId, null, status, error, at);
    }

    public static SubmitOutcome retry(long id, String carrierId, Instant at) {
        return new SubmitOutcome(id, Kind.RETRY, carrierId, null, null, null, at);
    }

    public static SubmitOutcome failed(long id, String carrierId, String error, Instant at) {
        return new SubmitOutcome(id, Kind.FAILED, carrierId, null, null, error, at);
    }
}
