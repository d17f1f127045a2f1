package io.dlrgate.gateway.smpp;

import com.cloudhopper.smpp.pdu.PduRequest;

/**
 * All carrier traffic in one listener, for a server whose receipts and submits go to the same place (tests and
 * tools; the gateway gives receipts to its intake and submits to its dispatcher, see {@link ReceiptListener} and
 * {@link SubmitListener}).
 */
public interface CarrierTrafficListener extends ReceiptListener, SubmitListener {

    /**
     * The default, for listeners that take no receipts, answers the carrier's throttle status: a receipt
     * nobody stored must never be acknowledged OK.
     */
    @Override
    default void receiptPdu(CarrierSession session, PduRequest<?> deliverSmOrDataSm) {
        var response = deliverSmOrDataSm.createResponse();
        response.setCommandStatus(session.carrier().throttleStatus());
        session.respond(response);
    }
}
