package io.dlrgate.gateway.intake.parse;

import com.cloudhopper.smpp.SmppConstants;
import io.dlrgate.reporting.correlation.MessageIdNormalizer;

/**
 * A PDU that cannot be taken as a delivery receipt: not a receipt at all, or no message id anywhere.
 *
 * <p>The exception carries the SMPP command_status the intake should answer the PDU with. It is
 * {@link #ESME_RX_P_APPN} (0x65, "ESME receiver permanent application error") for every reason this parser raises:
 * <ul>
 *   <li>The PDU itself is well-formed (ch-smpp decoded it), so the PDU-structure errors such as
 *       ESME_RINVPARLEN (0xC2) or ESME_RINVOPTPARSTREAM (0xC0) would tell the carrier its encoder is broken,
 *       which is not what happened: the content is what we cannot use.</li>
 *   <li>Resending the very same receipt can never succeed, so a temporary error (ESME_RX_T_APPN 0x64,
 *       ESME_RTHROTTLED 0x58) would only make the carrier retry it forever and clog its queue.</li>
 *   <li>0x65 is the code SMPP 3.4 section 5.1.3 gives an ESME to reject a delivered message for good; SMSCs
 *       stop retrying it and log it on their side, which is what a carrier's support needs to see.</li>
 * </ul>
 */
public class ReceiptParseException extends Exception {

    private static final long serialVersionUID = 1L;

    /** ESME_RX_P_APPN: ESME receiver permanent application error. */
    public static final int ESME_RX_P_APPN = SmppConstants.STATUS_X_P_APPN; // 0x65

    /** Why the PDU was refused. */
    public enum Reason {
        /** Not a deliver_sm/data_sm, or its esm_class does not mark a delivery receipt or intermediate notification. */
        NOT_A_RECEIPT,
        /** A receipt with no receipted_message_id TLV and no {@code id:} in its text. */
        NO_MESSAGE_ID,
        /** A message id longer than {@link MessageIdNormalizer#MAX_LENGTH}: no submit_sm_resp can have issued it. */
        MESSAGE_ID_TOO_LONG
    }

    private final Reason reason;
    private final int commandStatus;

    public ReceiptParseException(Reason reason, String message) {
        this(reason, message, ESME_RX_P_APPN);
    }

    public ReceiptParseException(Reason reason, String message, int commandStatus) {
        super(message);
        this.reason = reason;
        this.commandStatus = commandStatus;
    }

    public Reason reason() {
        return reason;
    }

    /** The SMPP command_status suggested for the response to this PDU. */
    public int commandStatus() {
        return commandStatus;
    }
}
