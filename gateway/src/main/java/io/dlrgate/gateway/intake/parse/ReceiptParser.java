package io.dlrgate.gateway.intake.parse;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.BaseSm;
import com.cloudhopper.smpp.pdu.DataSm;
import com.cloudhopper.smpp.pdu.DeliverSm;
import com.cloudhopper.smpp.tlv.Tlv;
import io.dlrgate.config.MessageIdFormat;
import io.dlrgate.reporting.correlation.MessageIdNormalizer;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The gateway's own delivery receipt parser: deliver_sm or data_sm in, {@link ParsedReceipt} out.
 *
 * <p>A PDU is a receipt when its esm_class has the SMSC delivery receipt bit (0x04) or the intermediate delivery
 * notification bit (0x20) set; other bits (UDHI 0x40, reply path 0x80) are ignored, so 0x44 is a receipt.
 *
 * <p>Order of reading, as the SMPP specs intend: the TLVs first (receipted_message_id 0x001E, message_state 0x0427,
 * network_error_code 0x0423), then the receipt text from short_message, or from message_payload (0x0424) when
 * short_message is empty (always so for data_sm). Where a TLV and the text both give the id or the state, the TLV
 * wins and a disagreement is recorded as a warning. A stat word is never interpreted here: any token is kept.
 *
 * <p>Stateless and thread-safe; one instance per carrier time zone.
 */
public final class ReceiptParser {

    /** esm_class message type bit: SMSC delivery receipt. */
    public static final int ESM_DELIVERY_RECEIPT = 0x04;
    /** esm_class message type bit: intermediate delivery notification. */
    public static final int ESM_INTERMEDIATE_NOTIFICATION = 0x20;

    /** esm_class UDHI bit: short_message starts with a user data header. */
    static final int ESM_UDHI = 0x40;

    private final ZoneId zone;

    /** @param zone the carrier's configured time zone, used for the receipt text's dates */
    public ReceiptParser(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    public ZoneId zone() {
        return zone;
    }

    /** True when an esm_class value marks a delivery receipt or an intermediate notification. */
    public static boolean isReceipt(byte esmClass) {
        return (esmClass & (ESM_DELIVERY_RECEIPT | ESM_INTERMEDIATE_NOTIFICATION)) != 0;
    }

    public ParsedReceipt parse(DeliverSm pdu) throws ReceiptParseException {
        return parseSm(pdu, ParsedReceipt.PduType.DELIVER_SM);
    }

    public ParsedReceipt parse(DataSm pdu) throws ReceiptParseException {
        return parseSm(pdu, ParsedReceipt.PduType.DATA_SM);
    }

    /**
     * Parses a deliver_sm or data_sm.
     *
     * @throws ReceiptParseException when the PDU is of another type, is not a receipt, or carries no message id
     */
    public ParsedReceipt parse(BaseSm<?> pdu) throws ReceiptParseException {
        if (pdu instanceof DeliverSm d) {
            return parse(d);
        }
        if (pdu instanceof DataSm d) {
            return parse(d);
        }
        throw new ReceiptParseException(ReceiptParseException.Reason.NOT_A_RECEIPT,
                "not a delivery receipt: " + (pdu == null ? "no PDU" : pdu.getName())
                        + " (receipts come in deliver_sm or data_sm)");
    }

    private ParsedReceipt parseSm(BaseSm<?> pdu, ParsedReceipt.PduType type) throws ReceiptParseException {
        Objects.requireNonNull(pdu, "pdu");
        int esm = pdu.getEsmClass() & 0xFF;
        String what = (type == ParsedReceipt.PduType.DELIVER_SM ? "deliver_sm" : "data_sm")
                + " seq " + pdu.getSequenceNumber();
        if (!isReceipt(pdu.getEsmClass())) {
            throw new ReceiptParseException(ReceiptParseException.Reason.NOT_A_RECEIPT, String.format(
                    "not a delivery receipt: %s has esm_class 0x%02X, which has neither the delivery receipt bit"
                            + " 0x04 nor the intermediate notification bit 0x20", what, esm));
        }
        List<String> warnings = new ArrayList<>();
        Map<ReceiptField, FieldSource> sources = new EnumMap<>(ReceiptField.class);

        // --- TLVs ---
        String tlvId = null;
        Tlv idTlv = pdu.getOptionalParameter(SmppConstants.TAG_RECEIPTED_MSG_ID);
        if (idTlv != null) {
            tlvId = cString(idTlv.getValue());
            if (tlvId.isEmpty()) {
                warnings.add("receipted_message_id TLV is empty; ignored");
                tlvId = null;
            } else if (hasControlCharacter(tlvId)) {
                // No message id holds control characters: a broken TLV must not override the text's id.
                warnings.add("receipted_message_id TLV holds control characters ('" + ReceiptText.abbreviate(
                        tlvId.replaceAll("\\p{Cntrl}", "?")) + "'); ignored");
                tlvId = null;
            }
        }
        Integer messageState = null;
        String tlvStat = null;
        Tlv stateTlv = pdu.getOptionalParameter(SmppConstants.TAG_MSG_STATE);
        if (stateTlv != null) {
            byte[] v = stateTlv.getValue();
            if (v == null || v.length != 1) {
                warnings.add("message_state TLV has length " + (v == null ? 0 : v.length) + " (expected 1); ignored");
            } else {
                messageState = v[0] & 0xFF;
                tlvStat = MessageStates.statOf(messageState);
                if (tlvStat == null) {
                    warnings.add("message_state " + messageState + " is not a receipt state (1..9); stat from text");
                }
            }
        }
        NetworkErrorCode nec = null;
        Tlv necTlv = pdu.getOptionalParameter(SmppConstants.TAG_NETWORK_ERROR_CODE);
        if (necTlv != null) {
            nec = networkErrorCode(necTlv.getValue(), warnings);
        }

        // --- text ---
        byte[] sm = pdu.getShortMessage();
        Tlv payloadTlv = pdu.getOptionalParameter(SmppConstants.TAG_MESSAGE_PAYLOAD);
        byte[] payload = payloadTlv == null ? null : payloadTlv.getValue();
        TextOrigin origin;
        byte[] textOctets;
        if (sm != null && (esm & ESM_UDHI) != 0) {
            sm = withoutUdh(sm);
        }
        if (sm != null && sm.length > 0 && !allNul(sm)) {
            origin = TextOrigin.SHORT_MESSAGE;
            textOctets = sm;
            if (payload != null && payload.length > 0) {
                warnings.add("both short_message and message_payload are set; read short_message");
            }
        } else if (payload != null && payload.length > 0 && !allNul(payload)) {
            origin = TextOrigin.MESSAGE_PAYLOAD;
            textOctets = payload;
        } else {
            origin = TextOrigin.NONE;
            textOctets = null;
        }
        String rawText = null;
        ReceiptText rt = ReceiptText.parse(null, zone);
        if (textOctets != null) {
            rawText = trimEnd(ReceiptTextDecoder.decode(textOctets, pdu.getDataCoding()));
            rt = ReceiptText.parse(rawText, zone);
            warnings.addAll(rt.warnings());
        }

        // --- id ---
        String textId = rt.id();
        String id;
        if (tlvId != null) {
            id = tlvId;
            sources.put(ReceiptField.RECEIPTED_MESSAGE_ID, FieldSource.TLV);
            if (textId != null && !tlvId.equals(textId)) {
                warnings.add(idDisagreement(tlvId, textId));
            }
        } else if (textId != null) {
            id = textId;
            sources.put(ReceiptField.RECEIPTED_MESSAGE_ID, FieldSource.TEXT);
        } else {
            throw new ReceiptParseException(ReceiptParseException.Reason.NO_MESSAGE_ID, String.format(
                    "delivery receipt without a message id: %s (esm_class 0x%02X) has no receipted_message_id TLV"
                            + " (0x001E) and %s", what, esm,
                    rawText == null ? "no receipt text in short_message or message_payload"
                            : "no 'id:' field in its text '" + ReceiptText.abbreviate(rawText) + "'"));
        }

        if (id.length() > MessageIdNormalizer.MAX_LENGTH) {
            throw new ReceiptParseException(ReceiptParseException.Reason.MESSAGE_ID_TOO_LONG, String.format(
                    "delivery receipt with a message id of %d characters: %s (esm_class 0x%02X); SMPP message ids "
                            + "are at most 64, and more than %d cannot be one this gateway stored: '%s'",
                    id.length(), what, esm, MessageIdNormalizer.MAX_LENGTH, ReceiptText.abbreviate(id)));
        }

        // --- stat ---
        String stat;
        if (tlvStat != null) {
            stat = tlvStat;
            sources.put(ReceiptField.STAT, FieldSource.TLV);
            if (rt.stat() != null && !MessageStates.sameState(tlvStat, rt.stat())) {
                warnings.add("message_state TLV " + messageState + " (" + tlvStat + ") and text stat '"
                        + rt.stat() + "' disagree; kept the TLV");
            }
        } else {
            stat = rt.stat();
            putIf(sources, ReceiptField.STAT, stat, FieldSource.TEXT);
        }
        if (messageState != null) {
            sources.put(ReceiptField.MESSAGE_STATE, FieldSource.TLV);
        }
        if (nec != null) {
            sources.put(ReceiptField.NETWORK_ERROR_CODE, FieldSource.TLV);
        }
        putIf(sources, ReceiptField.ERR, rt.err(), FieldSource.TEXT);
        putIf(sources, ReceiptField.SUBMIT_DATE, rt.submitDate(), FieldSource.TEXT);
        putIf(sources, ReceiptField.DONE_DATE, rt.doneDate(), FieldSource.TEXT);
        putIf(sources, ReceiptField.SUB, rt.sub(), FieldSource.TEXT);
        putIf(sources, ReceiptField.DLVRD, rt.dlvrd(), FieldSource.TEXT);
        putIf(sources, ReceiptField.TEXT, rt.text(), FieldSource.TEXT);

        return new ParsedReceipt(type, esm, (esm & ESM_INTERMEDIATE_NOTIFICATION) != 0,
                id, textId, messageState, stat, rt.err(), nec,
                rt.submitDate(), rt.doneDate(), rt.sub(), rt.dlvrd(), rt.text(),
                SmppAddress.of(pdu.getSourceAddress()), SmppAddress.of(pdu.getDestAddress()),
                origin, rawText, sources, warnings);
    }

    private static String idDisagreement(String tlvId, String textId) {
        // A well-known carrier habit: hex in the TLV, decimal in the text (or the other way round).
        String tlvAsHex = MessageIdNormalizer.normalize(tlvId, MessageIdFormat.HEX);
        String textAsDec = MessageIdNormalizer.normalize(textId, MessageIdFormat.DECIMAL);
        String tlvAsDec = MessageIdNormalizer.normalize(tlvId, MessageIdFormat.DECIMAL);
        String textAsHex = MessageIdNormalizer.normalize(textId, MessageIdFormat.HEX);
        if (isDigits(tlvAsHex) && tlvAsHex.equals(textAsDec) || isDigits(textAsHex) && textAsHex.equals(tlvAsDec)) {
            return "receipted_message_id TLV '" + tlvId + "' and text id '" + textId
                    + "' differ in writing but are the same number in hex and decimal; kept the TLV";
        }
        if (MessageIdNormalizer.normalize(tlvId, MessageIdFormat.STRING)
                .equals(MessageIdNormalizer.normalize(textId, MessageIdFormat.STRING))) {
            return "receipted_message_id TLV '" + tlvId + "' and text id '" + textId
                    + "' differ only in case or padding; kept the TLV";
        }
        return "receipted_message_id TLV '" + tlvId + "' and text id '" + textId + "' disagree; kept the TLV";
    }

    /**
     * Skips a user data header when there is one. Carriers that set UDHI on receipts (esm_class 0x44) mostly send
     * no header at all, so a header is taken as present only when the first octet is a plausible UDHL: 1..31 (a
     * receipt text starts with a printable character, {@code i} of {@code id:} is 0x69, or with 0x00 in UCS2) and
     * the header fits in the message.
     */
    private static byte[] withoutUdh(byte[] sm) {
        if (sm.length == 0) {
            return sm;
        }
        int udhl = sm[0] & 0xFF;
        if (udhl >= 1 && udhl < 0x20 && 1 + udhl <= sm.length) {
            return java.util.Arrays.copyOfRange(sm, 1 + udhl, sm.length);
        }
        return sm;
    }

    private static boolean isDigits(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static NetworkErrorCode networkErrorCode(byte[] v, List<String> warnings) {
        if (v == null || v.length == 0) {
            warnings.add("network_error_code TLV is empty; ignored");
            return null;
        }
        // ASCII digits first: a first octet of '0'..'9' (0x30..0x39) is no valid network type (1..8).
        int n = v.length;
        while (n > 0 && v[n - 1] == 0) {
            n--; // a C-string terminator some carriers add to the ASCII form
        }
        boolean digits = n > 0 && n <= 5;
        for (int i = 0; i < n && digits; i++) {
            digits = v[i] >= '0' && v[i] <= '9';
        }
        if (digits) {
            int code = Integer.parseInt(new String(v, 0, n, StandardCharsets.US_ASCII));
            if (code <= 0xFFFF) {
                return new NetworkErrorCode(0, code, NetworkErrorCode.Encoding.ASCII_DIGITS);
            }
        }
        if (v.length == 3) {
            return new NetworkErrorCode(v[0] & 0xFF, ((v[1] & 0xFF) << 8) | (v[2] & 0xFF),
                    NetworkErrorCode.Encoding.BINARY);
        }
        warnings.add("network_error_code TLV has length " + v.length + " (expected 3) and is not ASCII digits; ignored");
        return null;
    }

    private static void putIf(Map<ReceiptField, FieldSource> m, ReceiptField f, Object value, FieldSource s) {
        if (value != null) {
            m.put(f, s);
        }
    }

    /** A C-octet string: up to the first NUL, trimmed. */
    private static String cString(byte[] v) {
        if (v == null) {
            return "";
        }
        int n = 0;
        while (n < v.length && v[n] != 0) {
            n++;
        }
        return new String(v, 0, n, StandardCharsets.ISO_8859_1).strip();
    }

    private static boolean allNul(byte[] v) {
        for (byte b : v) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String trimEnd(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\u0000' || Character.isWhitespace(s.charAt(end - 1)))) {
            end--;
        }
        return s.substring(0, end);
    }

    private static boolean hasControlCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return true;
            }
        }
        return false;
    }
}
