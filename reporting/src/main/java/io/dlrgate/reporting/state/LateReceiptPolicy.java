package io.dlrgate.reporting.state;

/**
 * What a receipt does when it arrives after the gateway itself expired the message (moved it to Soft bounces
 * because its validity period ran out, {@link FinalBy#GATEWAY_EXPIRY}).
 */
public enum LateReceiptPolicy {
    /**
     * The default. A late receipt whose stat maps to Delivered (normally {@code DELIVRD}) and that is not flagged
     * intermediate moves the message to Delivered (the handset has it); any other late receipt is counted but does
     * not change the message.
     */
    DELIVERED_WINS,
    /** Late receipts are counted and change nothing (some providers do this). */
    IGNORE_LATE;

    public static LateReceiptPolicy defaultPolicy() {
        return DELIVERED_WINS;
    }
}
