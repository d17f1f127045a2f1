package io.dlrgate.gateway.intake.parse;

/** The fields of a {@link ParsedReceipt} whose origin (TLV or receipt text) is recorded. */
public enum ReceiptField {
    RECEIPTED_MESSAGE_ID,
    MESSAGE_STATE,
    STAT,
    ERR,
    NETWORK_ERROR_CODE,
    SUBMIT_DATE,
    DONE_DATE,
    SUB,
    DLVRD,
    TEXT
}
