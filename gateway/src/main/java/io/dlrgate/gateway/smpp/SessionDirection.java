package io.dlrgate.gateway.smpp;

/** Who opened a carrier session: the carrier bound in to the gateway's server (IN), or the gateway bound out to the carrier's SMSC (OUT). */
public enum SessionDirection {
    IN,
    OUT
}
