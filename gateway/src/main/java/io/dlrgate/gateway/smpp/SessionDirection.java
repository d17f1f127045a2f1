package io.dlrgate.gateway.smpp;

/** Which side opened a carrier session: IN, the carrier bound to our server; OUT, we bound to its SMSC. */
public enum SessionDirection { IN, OUT }
