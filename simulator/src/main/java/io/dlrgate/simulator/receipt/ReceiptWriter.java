package io.dlrgate.simulator.receipt;

import com.cloudhopper.commons.charset.CharsetUtil;
import com.cloudhopper.smpp.pdu.BaseSm;
import com.cloudhopper.smpp.pdu.DataSm;
import com.cloudhopper.smpp.pdu.DeliverSm;
import com.cloudhopper.smpp.tlv.Tlv;
import com.cloudhopper.smpp.type.Address;
import com.cloudhopper.smpp.type.SmppInvalidArgumentException;
import io.dlrgate.simulator.outcome.PlannedReceipt;
import io.dlrgate.simulator.outcome.Stat;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;

/**
 * The simulator's own writer of delivery receipts. It shares no code with the gateway's parser on purpose:
 * two independent implementations of the same format catch each other's mistakes.
 *
 * <p>Text, in the standard dialect ({@code dlvrd} is {@code 001} for DELIVRD and {@code 000} otherwise,
 * SMPP 3.4 Appendix B uses three digits for {@code sub} and {@code dlvrd}):
 * <pre>id:{id} sub:001 dlvrd:{001|000} submit date:{YYMMDDhhmm} done date:{YYMMDDhhmm} stat:{STAT} err:{ERR} text:{first 20 chars}</pre>
 * TLVs when the dialect asks for them: receipted_message_id (0x001E, the id as issued, NUL-terminated),
 * message_state (0x0427, one octet, SMPP 5.0 value), network_error_code (0x0423, three octets).
 * The text is encoded as ISO-8859-1 with data_coding 0; characters outside it become '?'.
 */
public final class ReceiptWriter {
    public static final short TAG_RECEIPTED_MESSAGE_ID = 0x001E;
    public static final short TAG_MESSAGE_STATE = 0x0427;
    public static final short TAG_NETWORK_ERROR_CODE = 0x0423;
    public static final short TAG_MESSAGE_PAYLOAD = 0x0424;
    /** network type of network_error_code in the binary style: 3 = GSM. */
    public static final int NETWORK_TYPE_GSM = 3;

    private final ReceiptDialect dialect;
    private final DateTimeFormatter dates;

    public ReceiptWriter(ReceiptDialect dialect) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        String pattern = switch (dialect.dateDigits()) {
            case 10 -> "yyMMddHHmm";
            case 12 -> "yyMMddHHmmss";
            default -> "yyyyMMddHHmmss";
        };
        this.dates = DateTimeFormatter.ofPattern(pattern, Locale.ROOT).withZone(dialect.zone());
    }

    public ReceiptDialect dialect() {
        return dialect;
    }

    /** The receipt text for these facts in this writer's dialect. */
    public String text(ReceiptFields f) {
        boolean upper = dialect.labels() == ReceiptDialect.LabelCase.UPPER;
        String textLabel = switch (dialect.labels()) {
            case UPPER -> "TEXT:";
            case CAPITALISED_TEXT -> "Text:";
            case LOWER -> "text:";
        };
        String submitLabel = dialect.submitDateWithoutSpace() ? "submitdate:" : "submit date:";
        StringBuilder sb = new StringBuilder(160);
        sb.append(label("id:", upper)).append(idText(f)).append(' ')
                .append(label("sub:", upper)).append("001").append(' ')
                .append(label("dlvrd:", upper)).append(f.stat() == Stat.DELIVRD ? "001" : "000").append(' ')
                .append(label(submitLabel, upper)).append(dates.format(f.submitDate())).append(' ')
                .append(label("done date:", upper)).append(dates.format(f.doneDate())).append(' ')
                .append(label("stat:", upper)).append(f.stat().name()).append(' ')
                .append(label("err:", upper)).append(f.err()).append(' ')
                .append(textLabel).append(firstChars(f.originalText(), dialect.textLength()));
        return sb.toString();
    }

    /**
     * The receipt PDU: a deliver_sm, or a data_sm when the dialect says so. {@code intermediate} selects the
     * dialect's intermediate esm_class (for an ENROUTE notification before the final receipt).
     */
    public BaseSm<?> pdu(ReceiptFields f, boolean intermediate) {
        byte[] text = text(f).getBytes(StandardCharsets.ISO_8859_1);
        BaseSm<?> pdu = dialect.dataSm() ? new DataSm() : new DeliverSm();
        pdu.setSourceAddress(new Address((byte) 1, (byte) 1, f.handset()));
        pdu.setDestAddress(new Address((byte) 1, (byte) 1, f.sender()));
        pdu.setEsmClass(intermediate ? dialect.intermediateEsmClass() : dialect.receiptEsmClass());
        pdu.setDataCoding((byte) 0);
        setText(pdu, text, dialect.payloadText());
        if (dialect.tlvs()) {
            pdu.addOptionalParameter(new Tlv(TAG_RECEIPTED_MESSAGE_ID, cString(f.messageId())));
            pdu.addOptionalParameter(new Tlv(TAG_MESSAGE_STATE, new byte[] {(byte) f.stat().messageState()}));
            pdu.addOptionalParameter(new Tlv(TAG_NETWORK_ERROR_CODE, networkErrorCode(f.err())));
        }
        return pdu;
    }

    /**
     * A malformed receipt, a fault a hostile carrier sends next to the real one, in this dialect's PDU type and
     * text placement but never with TLVs: {@code MALFORMED_NO_ID} is the receipt text without its {@code id:}
     * field; {@code MALFORMED_TEXT} is marked as a receipt but its text is no receipt at all; {@code NOT_A_RECEIPT}
     * is a deliver_sm with esm_class 0x08 (an SME delivery acknowledgement: neither a receipt nor a recipient's
     * reply, which a gateway now stores; hence not esm_class 0, and no keyword such as STOP in its text). A gateway
     * must refuse each of them with an error status, keep the session, and change no report.
     */
    /**
     * The recipient's reply to the message, as a handset's SMSC delivers it: a deliver_sm with esm_class 0 (whatever
     * the dialect's receipt PDU), from the handset (TON international) to the message's sender. Its text goes in the
     * GSM 03.38 default alphabet (data_coding 0, one septet per octet) when every character has a GSM code, else in
     * UCS-2 (data_coding 8); in message_payload when it does not fit the 254 octets of short_message.
     */
    public BaseSm<?> reply(ReceiptFields f, String text) {
        DeliverSm pdu = new DeliverSm();
        pdu.setSourceAddress(new Address((byte) 1, (byte) 1, f.handset()));
        pdu.setDestAddress(new Address((byte) 5, (byte) 0, f.sender()));
        pdu.setEsmClass((byte) 0);
        byte[] gsm = CharsetUtil.encode(text, CharsetUtil.CHARSET_GSM);
        boolean fitsGsm = text.equals(CharsetUtil.decode(gsm, CharsetUtil.CHARSET_GSM));
        byte[] bytes = fitsGsm ? gsm : text.getBytes(StandardCharsets.UTF_16BE);
        pdu.setDataCoding(fitsGsm ? (byte) 0x00 : (byte) 0x08);
        setText(pdu, bytes, bytes.length > 254);
        return pdu;
    }

    /** esm_class message type 0x08: SME delivery acknowledgement (SMPP 3.4 section 5.2.12). */
    private static final byte SME_DELIVERY_ACK = 0x08;

    public BaseSm<?> malformed(ReceiptFields f, PlannedReceipt.Kind kind) {
        String text = switch (kind) {
            case MALFORMED_NO_ID -> {
                String t = text(f);
                yield t.substring(t.indexOf(' ') + 1); // everything after "id:X "
            }
            case MALFORMED_TEXT -> "this is not a delivery receipt";
            case NOT_A_RECEIPT -> "acknowledged by the handset";
            default -> throw new IllegalArgumentException(kind + " is not a malformed kind");
        };
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        BaseSm<?> pdu = dialect.dataSm() ? new DataSm() : new DeliverSm();
        pdu.setSourceAddress(new Address((byte) 1, (byte) 1, f.handset()));
        pdu.setDestAddress(new Address((byte) 1, (byte) 1, f.sender()));
        pdu.setEsmClass(kind == PlannedReceipt.Kind.NOT_A_RECEIPT ? SME_DELIVERY_ACK
                : dialect.receiptEsmClass());
        pdu.setDataCoding((byte) 0);
        setText(pdu, bytes, dialect.payloadText());
        return pdu;
    }

    /** Puts the text in message_payload, or in short_message (which holds at most 254 octets). */
    private static void setText(BaseSm<?> pdu, byte[] text, boolean asPayload) {
        if (asPayload) {
            pdu.addOptionalParameter(new Tlv(TAG_MESSAGE_PAYLOAD, text));
            return;
        }
        try {
            pdu.setShortMessage(text);
        } catch (SmppInvalidArgumentException e) {
            throw new IllegalStateException("text longer than 254 octets for short_message: " + text.length, e);
        }
    }

    /** The id as written in the text. Falls back to the issued id when the id has no numeric value. */
    public String idText(ReceiptFields f) {
        Long n = f.numericId();
        if (n == null) {
            return f.messageId();
        }
        return switch (dialect.idStyle()) {
            case AS_ISSUED -> f.messageId();
            case DECIMAL -> Long.toUnsignedString(n);
            case HEX -> Long.toHexString(n).toUpperCase(Locale.ROOT);
            case ZERO_PADDED -> padLeft(Long.toUnsignedString(n), dialect.idWidth());
        };
    }

    /** The three octets of network_error_code for this err in this dialect. */
    public byte[] networkErrorCode(String err) {
        if (dialect.networkErrorStyle() == ReceiptDialect.NetworkErrorStyle.ASCII) {
            String digits = padLeft(err, 3);
            digits = digits.substring(digits.length() - 3);
            return digits.getBytes(StandardCharsets.US_ASCII);
        }
        int code;
        try {
            code = Integer.parseInt(err.trim(), 10) & 0xFFFF;
        } catch (NumberFormatException e) {
            code = 0;
        }
        return new byte[] {(byte) NETWORK_TYPE_GSM, (byte) (code >>> 8), (byte) code};
    }

    private static String label(String lower, boolean upper) {
        return upper ? lower.toUpperCase(Locale.ROOT) : lower;
    }

    private static String firstChars(String s, int n) {
        if (s.length() <= n) {
            return s;
        }
        if (n == 0) {
            return "";
        }
        // do not cut a surrogate pair in half
        int end = Character.isHighSurrogate(s.charAt(n - 1)) ? n - 1 : n;
        return s.substring(0, end);
    }

    private static String padLeft(String s, int width) {
        if (s.length() >= width) {
            return s;
        }
        return "0".repeat(width - s.length()) + s;
    }

    private static byte[] cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }
}
