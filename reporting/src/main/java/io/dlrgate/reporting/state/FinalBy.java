package io.dlrgate.reporting.state;

/** Who put a message into its final tab, if anyone. */
public enum FinalBy {
    /** The message is Pending: nothing final yet. */
    NOT_FINAL,
    /** A carrier's receipt set the final tab. */
    RECEIPT,
    /** The gateway's own validity-period expiry (the sweeper) set it, without a receipt from the carrier. */
    GATEWAY_EXPIRY
}
