package io.dlrgate.simulator.receipt;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * How a carrier spells its delivery receipts. {@link #STANDARD} is the SMPP 3.4 Appendix B text with the
 * SMPP 5.0 TLVs, in a deliver_sm with esm_class 0x04; every other value is a variant real carriers send.
 *
 * @param labels                 case of the labels ({@code id:}, {@code stat:}, ...)
 * @param submitDateWithoutSpace write {@code submitdate:} instead of {@code submit date:}
 * @param dateDigits             10 ({@code YYMMDDhhmm}), 12 ({@code YYMMDDhhmmss}) or 14 ({@code YYYYMMDDhhmmss})
 * @param idStyle                how the id is written in the text
 * @param idWidth                width for {@link IdStyle#ZERO_PADDED}
 * @param tlvs                   add receipted_message_id, message_state and network_error_code
 * @param networkErrorStyle      the 3 octets of network_error_code: binary (type 3 = GSM, 16-bit code) or 3 ASCII digits
 * @param textInPayload          put the text in message_payload (0x0424) and leave short_message empty
 * @param dataSm                 send a data_sm (which has no short_message, so the text is always in message_payload)
 * @param receiptEsmClass        esm_class of a receipt: 0x04, or 0x44 (UDHI bit set, as some carriers do)
 * @param intermediateEsmClass   esm_class of an intermediate (ENROUTE) notification: 0x20 or 0x04
 * @param zone                   time zone of the dates
 * @param textLength             how many characters of the original message go after {@code text:}
 */
public record ReceiptDialect(LabelCase labels, boolean submitDateWithoutSpace, int dateDigits, IdStyle idStyle,
                             int idWidth, boolean tlvs, NetworkErrorStyle networkErrorStyle, boolean textInPayload,
                             boolean dataSm, byte receiptEsmClass, byte intermediateEsmClass, ZoneId zone,
                             int textLength) {

    /** Label spelling. */
    public enum LabelCase {
        /** {@code id: sub: dlvrd: submit date: done date: stat: err: text:} */
        LOWER,
        /** {@code ID: SUB: DLVRD: SUBMIT DATE: DONE DATE: STAT: ERR: TEXT:} */
        UPPER,
        /** lower case except {@code Text:} */
        CAPITALISED_TEXT
    }

    /** How the id appears in the receipt text. The receipted_message_id TLV always carries the id as issued. */
    public enum IdStyle {
        /** exactly as in the submit_sm_resp */
        AS_ISSUED,
        /** unsigned decimal of the numeric id */
        DECIMAL,
        /** upper-case hexadecimal of the numeric id */
        HEX,
        /** decimal left-padded with zeros to {@code idWidth} */
        ZERO_PADDED
    }

    /** The 3 octets of network_error_code. */
    public enum NetworkErrorStyle {
        /** network type 3 (GSM) then the err as a 16-bit big-endian number */
        BINARY,
        /** the err as 3 ASCII digits */
        ASCII
    }

    /**
     * Width of zero-padded ids, in submit_sm_resp and in receipt text: run ids have up to 16 digits, so a narrower
     * width would show no zeros at all; 20 is the longest unsigned 64-bit number.
     */
    public static final int ZERO_PADDED_ID_WIDTH = 20;

    public static final byte ESM_RECEIPT = 0x04;
    public static final byte ESM_RECEIPT_UDHI = 0x44;
    public static final byte ESM_INTERMEDIATE = 0x20;

    public static final ReceiptDialect STANDARD = new ReceiptDialect(LabelCase.LOWER, false, 10, IdStyle.AS_ISSUED,
            ZERO_PADDED_ID_WIDTH, true, NetworkErrorStyle.BINARY, false, false, ESM_RECEIPT, ESM_INTERMEDIATE, ZoneOffset.UTC, 20);

    public ReceiptDialect {
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(idStyle, "idStyle");
        Objects.requireNonNull(networkErrorStyle, "networkErrorStyle");
        Objects.requireNonNull(zone, "zone");
        if (dateDigits != 10 && dateDigits != 12 && dateDigits != 14) {
            throw new IllegalArgumentException("dateDigits must be 10, 12 or 14, got " + dateDigits);
        }
        if (idWidth < 1 || idWidth > 64) {
            throw new IllegalArgumentException("idWidth must be 1..64, got " + idWidth);
        }
        if (textLength < 0 || textLength > 160) {
            throw new IllegalArgumentException("textLength must be 0..160, got " + textLength);
        }
    }

    public ReceiptDialect withLabels(LabelCase v) {
        return new ReceiptDialect(v, submitDateWithoutSpace, dateDigits, idStyle, idWidth, tlvs, networkErrorStyle,
                textInPayload, dataSm, receiptEsmClass, intermediateEsmClass, zone, textLength);
    }

    public ReceiptDialect withSubmitDateWithoutSpace(boolean v) {
        return new ReceiptDialect(labels, v, dateDigits, idStyle, idWidth, tlvs, networkErrorStyle,
                textInPayload, dataSm, receiptEsmClass, intermediateEsmClass, zone, textLength);
    }

    public ReceiptDialect withDateDigits(int v) {
        return new ReceiptDialect(labels, submitDateWithoutSpace, v, idStyle, idWidth, tlvs, networkErrorStyle,
                textInPayload, dataSm, receiptEsmClass, intermediateEsmClass, zone, textLength);
    }

    public ReceiptDialect withIdStyle(IdStyle v) {
        return new ReceiptDialect(labels, submitDateWithoutSpace, dateDigits, v, idWidth, tlvs, networkErrorStyle,
                textInPayload, dataSm, receiptEsmClass, intermediateEsmClass, zone, textLength);
    }

    public ReceiptDialect withIdWidth(int v) {
        return new ReceiptDialect(labels, submitDateWithoutSpace, dateDigits, idStyle, v, tlvs, networkErrorStyle,
                textInPayload, dataSm, receiptEsmClass, intermediateEsmClass, zone, textLength);
    }

    public ReceiptDialect withTlvs(boolean v) {
        return new ReceiptDialect(labels, submitDateWithoutSpace, dateDigits, idStyle, idWidth, v, networkErrorStyle,
                textInPayload, dataSm, receiptEsmClass, intermediateEsmClass, zone, textLength);
    }

    public ReceiptDialect withNetworkErrorStyle(NetworkErrorStyle v) {
        return new ReceiptDialect(labels, submitDateWithoutSpace, dateDigits, idStyle, idWidth, tlvs, v,
                textInPayload, dataSm, receiptEsmClass, intermediateEsmClass, zone, textLength);
    }

    public ReceiptDialect withTextInPayload(boolean v) {
        return new ReceiptDialect(labels, submitDateWithoutSpace, dateDigits, idStyle, idWidth, tlvs,
                networkErrorStyle, v, dataSm, receiptEsmClass, intermediateEsmClass, zone, textLength);
    }

    public ReceiptDialect withDataSm(boolean v) {
        return new ReceiptDialect(labels, submitDateWithoutSpace, dateDigits, idStyle, idWidth, tlvs,
                networkErrorStyle, textInPayload, v, receiptEsmClass, intermediateEsmClass, zone, textLength);
    }

    public ReceiptDialect withReceiptEsmClass(byte v) {
        return new ReceiptDialect(labels, submitDateWithoutSpace, dateDigits, idStyle, idWidth, tlvs,
                networkErrorStyle, textInPayload, dataSm, v, intermediateEsmClass, zone, textLength);
    }

    public ReceiptDialect withIntermediateEsmClass(byte v) {
        return new ReceiptDialect(labels, submitDateWithoutSpace, dateDigits, idStyle, idWidth, tlvs,
                networkErrorStyle, textInPayload, dataSm, receiptEsmClass, v, zone, textLength);
    }

    public ReceiptDialect withZone(ZoneId v) {
        return new ReceiptDialect(labels, submitDateWithoutSpace, dateDigits, idStyle, idWidth, tlvs,
                networkErrorStyle, textInPayload, dataSm, receiptEsmClass, intermediateEsmClass, v, textLength);
    }

    public ReceiptDialect withTextLength(int v) {
        return new ReceiptDialect(labels, submitDateWithoutSpace, dateDigits, idStyle, idWidth, tlvs,
                networkErrorStyle, textInPayload, dataSm, receiptEsmClass, intermediateEsmClass, zone, v);
    }

    /** True when the text travels in message_payload (asked for, or forced by data_sm). */
    public boolean payloadText() {
        return textInPayload || dataSm;
    }
}
