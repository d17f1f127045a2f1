package io.dlrgate.gateway.intake.parse;

/** Which part of the PDU carried the receipt text. */
public enum TextOrigin {
    /** The short_message field. */
    SHORT_MESSAGE,
    /** The message_payload TLV (0x0424): data_sm, or deliver_sm with an empty short_message. */
    MESSAGE_PAYLOAD,
    /** No text at all (a TLV-only receipt). */
    NONE
}
