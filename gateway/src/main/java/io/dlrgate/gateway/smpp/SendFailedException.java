package io.dlrgate.gateway.smpp;

/** A submit_sm that could not be put on the wire; {@link #reason()} says whether trying again can help. */
public final class SendFailedException extends Exception {

    public enum Reason {
        /** The session's window stayed full for the whole wait: try again later or on another session. */
        WINDOW_FULL,
        /** The session is not (or no longer) bound: pick another session. */
        NOT_BOUND,
        /** The write to the socket failed: the session is going away; requeue the message. */
        CHANNEL,
        /** The PDU could not be encoded (bad field): retrying the same message will fail the same way. */
        ENCODING,
        /**
         * The session closed while this submit was being written, and its close already handed the submit back to
         * the queue (a RETRY outcome): it must not be sent anywhere else under the same claim, or it goes out twice.
         */
        REQUEUED_BY_CLOSE
    }

    private final Reason reason;

    public SendFailedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
