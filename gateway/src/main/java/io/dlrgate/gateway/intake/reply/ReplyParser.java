package io.dlrgate.gateway.intake.reply;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.BaseSm;
import com.cloudhopper.smpp.pdu.DataSm;
import com.cloudhopper.smpp.tlv.Tlv;
import com.cloudhopper.smpp.type.Address;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Tells a recipient's reply (a mobile-originated message) from a delivery receipt, and reads it.
 *
 * <p>A deliver_sm / data_sm is a reply when nothing marks it as a receipt: its esm_class message type (bits 2..5,
 * mask 0x3C) is 0 (default message), it has no receipt TLV (receipted_message_id, message_state) and its text does
 * not read like a receipt ({@code id:... stat:...}, which some SMSCs send with esm_class 0). Everything else goes to
 * the receipt parser, as before.
 *
 * <p>The text is short_message, or message_payload when short_message is empty (always so for data_sm), without
 * its user data header when the UDHI bit (0x40) is set. A reply in concatenated parts is stored part by part (each
 * part its own reply): reassembly is not done yet.
 */
public final class ReplyParser {

    /** esm_class bits 2..5: the message type (receipt 0x04, SME acks 0x08 / 0x10, intermediate 0x20). */
    static final int ESM_MESSAGE_TYPE = 0x3C;
    static final int ESM_UDHI = 0x40;
    /** TON of an alphanumeric address: not a number, kept as written. */
    static final int TON_ALPHANUMERIC = 5;
    static final int TON_NATIONAL = 2;

    private static final Pattern RECEIPT_TEXT = Pattern.compile("(?is)\\bid:\\s*\\S+.*\\bstat:\\s*\\S+");

    private ReplyParser() {
    }

    /** Whether the PDU is a reply rather than a receipt; pure CPU, safe on the event loop. */
    public static boolean isReply(BaseSm<?> pdu) {
        if ((pdu.getEsmClass() & ESM_MESSAGE_TYPE) != 0) {
            return false;
        }
        if (pdu.getOptionalParameter(SmppConstants.TAG_RECEIPTED_MSG_ID) != null
                || pdu.getOptionalParameter(SmppConstants.TAG_MSG_STATE) != null) {
            return false;
        }
        // Receipt texts are ASCII: reading the octets as Latin-1 is enough to recognise one.
        String text = new String(octets(pdu), java.nio.charset.StandardCharsets.ISO_8859_1);
        return !RECEIPT_TEXT.matcher(text).find();
    }

    public static ParsedReply parse(BaseSm<?> pdu) {
        int dc = pdu.getDataCoding() & 0xFF;
        return new ParsedReply(pdu instanceof DataSm ? "data_sm" : "deliver_sm", number(pdu.getSourceAddress()),
                address(pdu.getDestAddress()), ReplyTextDecoder.decode(octets(pdu), dc), dc);
    }

    /** The text's octets: short_message, else message_payload; without the UDH when UDHI is set. */
    static byte[] octets(BaseSm<?> pdu) {
        byte[] sm = pdu.getShortMessage();
        if (sm == null || sm.length == 0) {
            Tlv payload = pdu.getOptionalParameter(SmppConstants.TAG_MESSAGE_PAYLOAD);
            sm = payload == null || payload.getValue() == null ? new byte[0] : payload.getValue();
        }
        if ((pdu.getEsmClass() & ESM_UDHI) != 0 && sm.length > 0) {
            int udhl = sm[0] & 0xFF;
            if (1 + udhl <= sm.length) {
                return Arrays.copyOfRange(sm, 1 + udhl, sm.length);
            }
        }
        return sm;
    }

    /**
     * The sender as the messages' recipients are stored, E.164 ({@code +447700900123}), so that a reply finds the
     * message it answers and its opt-out suppresses the number sends go to: digits with TON international (1) or
     * unknown (0, which SMSCs use for international digits without the {@code +}), a leading {@code +} or
     * {@code 00}. An alphanumeric sender, or a national number (its country is not known here), is kept as written.
     */
    static String number(Address a) {
        if (a == null || a.getAddress() == null) {
            return "";
        }
        String s = a.getAddress().trim();
        int ton = a.getTon() & 0xFF;
        if (ton == TON_ALPHANUMERIC) {
            return s;
        }
        String digits = s.startsWith("+") ? s.substring(1) : s.startsWith("00") ? s.substring(2) : s;
        boolean international = s.startsWith("+") || s.startsWith("00") || ton == 1 || ton == 0;
        if (international && ton != TON_NATIONAL && digits.matches("[1-9][0-9]{0,14}")) {
            return "+" + digits;
        }
        return s;
    }

    private static String address(Address a) {
        return a == null || a.getAddress() == null ? "" : a.getAddress();
    }
}
