package io.dlrgate.config;

/**
 * SMPP bind types, as seen from the carrier's side of the session: a transmitter sends the gateway receipts,
 * a receiver takes the gateway's submits, a transceiver does both.
 */
public enum BindType {
    TRANSMITTER("transmitter"),
    RECEIVER("receiver"),
    TRANSCEIVER("transceiver");

    private final String configName;

    BindType(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** The carrier may send us deliver_sm / data_sm receipts over this bind. */
    public boolean sendsReceipts() {
        return this != RECEIVER;
    }

    /** The gateway may send submit_sm to the carrier over this bind. */
    public boolean takesSubmits() {
        return this != TRANSMITTER;
    }
}
