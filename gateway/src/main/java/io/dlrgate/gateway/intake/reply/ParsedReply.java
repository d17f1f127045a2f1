package io.dlrgate.gateway.intake.reply;

/**
 * A reply as read from its PDU.
 *
 * @param command     deliver_sm or data_sm
 * @param fromNumber  source_addr, E.164 when it is an international number (see {@link ReplyParser#number})
 * @param toAddress   destination_addr as written
 * @param text        decoded by data_coding
 * @param dataCoding  unsigned
 */
public record ParsedReply(String command, String fromNumber, String toAddress, String text, int dataCoding) {
}
