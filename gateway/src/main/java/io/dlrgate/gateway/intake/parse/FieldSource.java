package io.dlrgate.gateway.intake.parse;

/** Where a parsed receipt field was read from. */
public enum FieldSource {
    /** An SMPP optional parameter (receipted_message_id, message_state, network_error_code). */
    TLV,
    /** The receipt text ({@code id:... stat:... err:...}), from short_message or message_payload. */
    TEXT
}
