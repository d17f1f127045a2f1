package io.dlrgate.gateway.smpp;

import com.cloudhopper.smpp.pdu.PduRequest;

/**
 * Takes the receipts carriers send: the gateway's receipt intake.
 *
 * <p>Called on a Netty event loop: must not block and should hand work to its own executor.
 */
@FunctionalInterface
public interface ReceiptListener {

    /**
     * A deliver_sm or data_sm from a carrier whose bind sends receipts (transmitter or transceiver).
     * The listener owns the answer: it must eventually call {@link CarrierSession#respond} with
     * {@code pdu.createResponse()} (status OK once the receipt is durable, or a temporary error such as the
     * carrier's throttle status). Not answering leaves the carrier's window slot occupied until its own timeout.
     * If this method throws, the gateway answers with the carrier's configured throttle status so the carrier
     * retries.
     */
    void receiptPdu(CarrierSession session, PduRequest<?> deliverSmOrDataSm);
}
