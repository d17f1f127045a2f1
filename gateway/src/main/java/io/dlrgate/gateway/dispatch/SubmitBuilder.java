package io.dlrgate.gateway.dispatch;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.tlv.Tlv;
import com.cloudhopper.smpp.type.Address;
import com.cloudhopper.smpp.type.SmppInvalidArgumentException;
import io.dlrgate.config.CarrierSenders;
import io.dlrgate.config.SenderId;
import io.dlrgate.gateway.dispatch.encoding.EncodedMessage;
import io.dlrgate.gateway.dispatch.encoding.MessageEncoder;
import io.dlrgate.gateway.smpp.validity.ValidityPeriod;
import io.dlrgate.reporting.message.OutboundMessage;
import java.time.Duration;
import java.time.Instant;

/**
 * Turns a queued message into a submit_sm for one carrier: source_addr and TON/NPI from the message's sender id (its
 * form's TON/NPI unless the carrier's entry overrides them), E.164 destination (TON international, NPI ISDN), final delivery
 * receipts requested, a relative validity period from the message's deadline, and the content as GSM 7-bit
 * where it fits or UCS-2 otherwise.
 *
 * <p>Content over one segment goes in the {@code message_payload} TLV of ONE submit_sm rather than as
 * concatenated parts: one message then has one carrier id and one receipt, which is how the reports count it.
 */
final class SubmitBuilder {

    /** registered_delivery: SMSC delivery receipt on final outcome, success or failure. */
    static final byte FINAL_RECEIPTS = SmppConstants.REGISTERED_DELIVERY_SMSC_RECEIPT_REQUESTED;

    private final MessageEncoder encoder = new MessageEncoder();
    private final CarrierSenders senders;

    /** @param senders the carrier's TON/NPI overrides */
    SubmitBuilder(CarrierSenders senders) {
        this.senders = senders;
    }

    /** The source address of a sender id on this carrier's wire: {@code +} dropped, TON/NPI by form or override. */
    Address source(SenderId sender) {
        return new Address((byte) senders.tonFor(sender), (byte) senders.npiFor(sender), sender.address());
    }

    SubmitSm build(OutboundMessage m, Instant now) throws SmppInvalidArgumentException {
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
        EncodedMessage e = encoder.encode(m.content());
        s.setDataCoding(e.dataCoding());
        if (e.fitsSingle()) {
            s.setShortMessage(e.payload());
        } else {
            s.setShortMessage(new byte[0]);
            s.setOptionalParameter(new Tlv(SmppConstants.TAG_MESSAGE_PAYLOAD, e.payload()));
        }
        return s;
    }
}
