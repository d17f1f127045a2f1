package io.dlrgate.config;

import java.time.Duration;

/**
 * How queued messages are handed to carriers.
 *
 * @param submitTimeout     how long a submit_sm may wait for its submit_sm_resp before it counts as timed out
 * @param windowWait        how long one try to send waits for a free slot in a session's window before trying
 *                          the carrier's other sessions (and then this one again)
 * @param maxSubmitAttempts attempts per message (first try included) before a timed-out submit is failed
 * @param throttleRetries   times one attempt of a message is sent again after the carrier answered it
 *                          ESME_RTHROTTLED or ESME_RMSGQFUL, before that answer costs the attempt like a timeout
 * @param batchSize         messages claimed from the store per round trip
 * @param idlePoll          how often a dispatcher with nothing to send looks for new work
 * @param maxValidity       cap on any validity period, whether a carrier default or asked for per send
 * @param maxParts          most concatenated parts one message may need; a longer send is refused
 */
public record DispatchConfig(
        Duration submitTimeout,
        Duration windowWait,
        int maxSubmitAttempts,
        int throttleRetries,
        int batchSize,
        Duration idlePoll,
        Duration maxValidity,
        int maxParts) {

    /** Parts allowed per message when {@code dispatch.max_parts} is not set. */
    public static final int DEFAULT_MAX_PARTS = 10;

    /** With the default limit on parts. */
    public DispatchConfig(Duration submitTimeout, Duration windowWait, int maxSubmitAttempts, int throttleRetries,
                          int batchSize, Duration idlePoll, Duration maxValidity) {
        this(submitTimeout, windowWait, maxSubmitAttempts, throttleRetries, batchSize, idlePoll, maxValidity,
                DEFAULT_MAX_PARTS);
    }
}
