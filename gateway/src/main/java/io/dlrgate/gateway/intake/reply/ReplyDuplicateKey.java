package io.dlrgate.gateway.intake.reply;

import com.cloudhopper.smpp.pdu.BaseSm;
import com.cloudhopper.smpp.tlv.Tlv;
import com.cloudhopper.smpp.type.Address;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What tells a carrier's resend of a reply from a new reply: the SHA-256 of the carrier and the PDU's body, every
 * field but the sequence number.
 *
 * <p>SMPP gives a mobile-originated message no id of its own. When a deliver_sm_resp is lost (a dropped connection,
 * a response timeout) the SMSC sends the same PDU again, on the same session or after a rebind, with a new sequence
 * number and nothing else changed. So the key is the PDU itself: source and destination addresses (TON, NPI,
 * digits), esm_class, protocol_id, data_coding, the schedule and validity fields (where some SMSCs put their own
 * timestamp), the message octets with their user data header (two parts of one concatenated reply differ by it),
 * and every optional parameter sorted by tag (the SAR TLVs, and a carrier's own reference or timestamp when it
 * sends one: two identical texts then never collide). What the key cannot tell apart is a recipient who sends the
 * same text twice through a carrier that adds nothing of its own; the store takes the second copy for a resend only
 * within {@code replies.duplicate_window} of the first.
 */
public final class ReplyDuplicateKey {

    private ReplyDuplicateKey() {
    }

    public static byte[] of(String carrierId, BaseSm<?> pdu) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(256);
        field(b, carrierId.getBytes(StandardCharsets.UTF_8));
        field(b, bytes(pdu.getServiceType()));
        address(b, pdu.getSourceAddress());
        address(b, pdu.getDestAddress());
        b.write(pdu.getEsmClass());
        b.write(pdu.getProtocolId());
        b.write(pdu.getDataCoding());
        field(b, bytes(pdu.getScheduleDeliveryTime()));
        field(b, bytes(pdu.getValidityPeriod()));
        field(b, pdu.getShortMessage() == null ? new byte[0] : pdu.getShortMessage());
        List<Tlv> tlvs = new ArrayList<>();
        if (pdu.getOptionalParameters() != null) {
            tlvs.addAll(pdu.getOptionalParameters());
        }
        tlvs.sort(Comparator.comparingInt(t -> t.getTag() & 0xFFFF));
        for (Tlv t : tlvs) {
            b.write(t.getTag() >> 8);
            b.write(t.getTag());
            field(b, t.getValue() == null ? new byte[0] : t.getValue());
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(b.toByteArray());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static void address(ByteArrayOutputStream b, Address a) {
        if (a == null) {
            field(b, new byte[0]);
            return;
        }
        b.write(a.getTon());
        b.write(a.getNpi());
        field(b, bytes(a.getAddress()));
    }

    private static byte[] bytes(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Length-prefixed, so that no two different PDUs write the same octets. */
    private static void field(ByteArrayOutputStream b, byte[] v) {
        b.write(v.length >> 24);
        b.write(v.length >> 16);
        b.write(v.length >> 8);
        b.write(v.length);
        b.write(v, 0, v.length);
    }
}
