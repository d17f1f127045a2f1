package io.dlrgate.gateway.intake.parse;

import io.dlrgate.reporting.correlation.MessageIdNormalizer;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A delivery receipt (or intermediate notification) as read from a deliver_sm or data_sm. Immutable.
 *
 * <p>Fields not given by the carrier are null. Ids are raw, as sent (trailing NULs and surrounding whitespace
 * removed); compare them through {@link MessageIdNormalizer}.
 *
 * @param pduType            deliver_sm or data_sm
 * @param esmClass           the esm_class octet, unsigned
 * @param intermediate       true when esm_class marks an intermediate delivery notification (0x20)
 * @param receiptedMessageId the id of the message this receipt is about: the receipted_message_id TLV if
 *                           present, else the text's {@code id:}; never null
 * @param textMessageId      the text's {@code id:} value as sent, or null when the text has none (kept so that a
 *                           receipt whose TLV and text disagree can still be matched by either)
 * @param messageState       the message_state TLV value (SMPP 5.0: 1..9), or null when absent
 * @param stat               the status word, upper-cased (DELIVRD, UNDELIV, ... or any other token as sent), or null
 * @param err                the {@code err:} value as sent (usually 3 or 4 characters), or null
 * @param networkErrorCode   the network_error_code TLV, or null
 * @param submitDate         the {@code submit date:} in the carrier's time zone, or null (absent, all zeros, invalid)
 * @param doneDate           the {@code done date:}, or null
 * @param sub                the {@code sub:} value as sent, or null
 * @param dlvrd              the {@code dlvrd:} value as sent, or null
 * @param text               the {@code text:} value (first characters of the original message), or null
 * @param sourceAddress      source_addr (the handset, in a receipt), or null
 * @param destAddress        dest_addr (the original sender), or null
 * @param textOrigin         which part of the PDU carried the receipt text
 * @param rawText            the whole decoded receipt text (trailing NULs and whitespace removed), or null
 * @param sources            for each field that has a value, whether it came from a TLV or from the text
 * @param warnings           what was tolerated while parsing (impossible date, TLV and text disagreeing, ...)
 */
public record ParsedReceipt(
        PduType pduType,
        int esmClass,
        boolean intermediate,
        String receiptedMessageId,
        String textMessageId,
        Integer messageState,
        String stat,
        String err,
        NetworkErrorCode networkErrorCode,
        Instant submitDate,
        Instant doneDate,
        String sub,
        String dlvrd,
        String text,
        SmppAddress sourceAddress,
        SmppAddress destAddress,
        TextOrigin textOrigin,
        String rawText,
        Map<ReceiptField, FieldSource> sources,
        List<String> warnings) {

    /** The PDU a receipt arrived in. */
    public enum PduType { DELIVER_SM, DATA_SM }

    public ParsedReceipt {
        if (pduType == null) {
            throw new IllegalArgumentException("pduType is required");
        }
        if (receiptedMessageId == null || receiptedMessageId.isEmpty()) {
            throw new IllegalArgumentException("receiptedMessageId is required");
        }
        if (textOrigin == null) {
            throw new IllegalArgumentException("textOrigin is required");
        }
        sources = sources == null || sources.isEmpty()
                ? Map.of()
                : java.util.Collections.unmodifiableMap(new EnumMap<>(sources));
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** Where a field came from, or empty when the receipt has no value for it. */
    public Optional<FieldSource> sourceOf(ReceiptField field) {
        return Optional.ofNullable(sources.get(field));
    }
}
