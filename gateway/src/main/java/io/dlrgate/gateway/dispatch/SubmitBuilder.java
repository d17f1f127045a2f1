package io.dlrgate.gateway.dispatch;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.tlv.Tlv;
import com.cloudhopper.smpp.type.Address;
import com.cloudhopper.smpp.type.SmppInvalidArgumentException;
import io.dlrgate.config.CarrierSenders;
import io.dlrgate.config.SenderId;
import io.dlrgate.config.LongMessages;
import io.dlrgate.gateway.dispatch.encoding.Concatenation;
import io.dlrgate.gateway.dispatch.encoding.EncodedMessage;
import io.dlrgate.gateway.dispatch.encoding.MessageEncoder;
import io.dlrgate.gateway.smpp.validity.ValidityPeriod;
import io.dlrgate.reporting.message.OutboundMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a queued message into a submit_sm for one carrier: source_addr and TON/NPI from the message's sender id (its
 * form's TON/NPI unless the carrier's entry overrides them), E.164 destination (TON international, NPI ISDN), final delivery
 * receipts requested, a relative validity period from the message's deadline, and the content as GSM 7-bit
 * where it fits or UCS-2 otherwise.
 *
 * <p>Content over one segment goes as the carrier's {@code long_messages} says: concatenated parts (UDH with an 8-
 * or 16-bit reference, or SAR TLVs), one submit_sm each, each with its own carrier id and receipt; or the whole
 * text in the {@code message_payload} TLV of ONE submit_sm.
 */
final class SubmitBuilder {

    /** registered_delivery: SMSC delivery receipt on final outcome, success or failure. */
    static final byte FINAL_RECEIPTS = SmppConstants.REGISTERED_DELIVERY_SMSC_RECEIPT_REQUESTED;

    private final MessageEncoder encoder = new MessageEncoder();
    private final CarrierSenders senders;
    private final LongMessages longMessages;

    /** @param senders the carrier's TON/NPI overrides */
    SubmitBuilder(CarrierSenders senders) {
        this(senders, LongMessages.DEFAULT);
    }

    /**
     * @param senders      the carrier's TON/NPI overrides
     * @param longMessages how the carrier gets content over one short message
     */
    SubmitBuilder(CarrierSenders senders, LongMessages longMessages) {
        this.senders = senders;
        this.longMessages = longMessages;
    }

    /** The source address of a sender id on this carrier's wire: {@code +} dropped, TON/NPI by form or override. */
    Address source(SenderId sender) {
        return new Address((byte) senders.tonFor(sender), (byte) senders.npiFor(sender), sender.address());
    }

    /** The one submit_sm of a message that fits one short message, or goes in message_payload. */
    SubmitSm build(OutboundMessage m, Instant now) throws SmppInvalidArgumentException {
        EncodedMessage e = encoder.encode(m.content());
        SubmitSm s = envelope(m, now, e);
        if (e.fitsSingle()) {
            s.setShortMessage(e.payload());
        } else {
            s.setShortMessage(new byte[0]);
            s.setOptionalParameter(new Tlv(SmppConstants.TAG_MESSAGE_PAYLOAD, e.payload()));
        }
        return s;
    }

    /**
     * The submit_sm of a message, in part order: one when it fits one short message or the carrier takes
     * message_payload; else one per part. The concatenation reference comes from the message id, so a part sent
     * again (a retry, another attempt, another process) carries the same reference as its siblings.
     */
    List<Part> buildAll(OutboundMessage m, Instant now) throws SmppInvalidArgumentException {
        EncodedMessage e = encoder.encode(m.content());
        if (e.fitsSingle() || !longMessages.splits()) {
            return List.of(new Part(0, 0, build(m, now)));
        }
        List<Concatenation.Part> cut = Concatenation.parts(e, longMessages, (int) m.id());
        List<Part> out = new ArrayList<>(cut.size());
        for (Concatenation.Part p : cut) {
            SubmitSm s = envelope(m, now, e);
            s.setShortMessage(p.shortMessage());
            if (p.udh()) {
                s.setEsmClass((byte) (s.getEsmClass() | SmppConstants.ESM_CLASS_UDHI_MASK));
            }
            if (p.sar()) {
                s.setOptionalParameter(new Tlv(SmppConstants.TAG_SAR_MSG_REF_NUM,
                        new byte[] {(byte) (p.reference() >>> 8), (byte) p.reference()}));
                s.setOptionalParameter(new Tlv(SmppConstants.TAG_SAR_TOTAL_SEGMENTS, new byte[] {(byte) p.total()}));
                s.setOptionalParameter(new Tlv(SmppConstants.TAG_SAR_SEGMENT_SEQNUM, new byte[] {(byte) p.seq()}));
            }
            out.add(new Part(p.seq(), p.total(), s));
        }
        return out;
    }

    /** One submit_sm to write: part {@code part} of {@code parts} (0 of 0: the whole message). */
    record Part(int part, int parts, SubmitSm pdu) {
    }

    /** Everything but the content: addresses, receipts, validity, data_coding. */
    private SubmitSm envelope(OutboundMessage m, Instant now, EncodedMessage e) throws SmppInvalidArgumentException {
        SubmitSm s = new SubmitSm();
        // Stored senders were checked at the door; one that no longer parses fails this message, not the loop.
        s.setSourceAddress(source(SenderId.parse(m.sender())));
        s.setDestAddress(new Address(SmppConstants.TON_INTERNATIONAL, SmppConstants.NPI_E164,
                m.recipient().startsWith("+") ? m.recipient().substring(1) : m.recipient()));
        s.setRegisteredDelivery(FINAL_RECEIPTS);
        Duration left = Duration.between(now, m.validityDeadline());
        if (left.compareTo(Duration.ofMinutes(1)) < 0) {
            left = Duration.ofMinutes(1);
        }
        if (left.compareTo(ValidityPeriod.MAX_RELATIVE) > 0) {
            left = ValidityPeriod.MAX_RELATIVE;
        }
        s.setValidityPeriod(ValidityPeriod.formatRelative(left));
        s.setDataCoding(e.dataCoding());
        return s;
    }
}
