package io.dlrgate.reporting.write;

/**
 * What a carrier hands the gateway in a deliver_sm or data_sm, waiting in a group-commit lane: a delivery receipt,
 * or a recipient's reply. Both are acknowledged only once the batch holding them committed.
 */
public sealed interface Incoming permits IncomingReceipt, IncomingReply {

    String carrierId();
}
