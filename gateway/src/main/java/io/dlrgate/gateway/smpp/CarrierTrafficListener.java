package io.dlrgate.gateway.smpp;

import com.cloudhopper.smpp.PduAsyncResponse;
import com.cloudhopper.smpp.pdu.PduRequest;

/**
 * What the rest of the gateway implements to take part in carrier traffic: the dispatcher cares about binds,
 * closes, submit responses and expiries; receipt intake cares about receipts.
 *
 * <p>Every method may run on a Netty event loop: implementations must not block, must not call
 * {@link CarrierSession#sendSubmit} from inside a callback, and should hand work to their own executors.
 */
public interface CarrierTrafficListener extends CarrierSessionListener {

    /**
     * A deliver_sm or data_sm from a carrier whose bind sends receipts (transmitter or transceiver).
     * Called on the event loop. The listener owns the answer: it must eventually call
     * {@link CarrierSession#respond} with {@code pdu.createResponse()} (status OK once the receipt is durable,
     * or a temporary error such as the carrier's throttle status). Not answering leaves the carrier's window
     * slot occupied until its own timeout. If this method throws, the gateway answers with the carrier's
     * configured throttle status so the carrier retries.
     *
     * <p>The default, for listeners that take no receipts, answers the carrier's throttle status: a receipt
     * nobody stored must never be acknowledged OK.
     */
    default void receiptPdu(CarrierSession session, PduRequest<?> deliverSmOrDataSm) {
        var response = deliverSmOrDataSm.createResponse();
        response.setCommandStatus(session.carrier().throttleStatus());
        session.respond(response);
    }

    /**
     * The carrier answered a submit_sm sent with {@link CarrierSession#sendSubmit}. The response is usually a
     * submit_sm_resp, but can be a generic_nack: check {@code getResponse().getCommandId()} and the status.
     * Called on the event loop.
     */
    default void submitResponse(CarrierSession session, PduAsyncResponse response) {
    }

    /**
     * A submit_sm got no answer within the server's request expiry; it has left the window and will not be
     * reported again. Called on a window monitor thread.
     *
     * <p>Each submit sent is reported exactly once: answered ({@link #submitResponse}), expired (here), or
     * left in {@link CarrierSession#inFlight()} when the session closed. An expiry that races with the close
     * can arrive just after {@link #sessionClosed}; that request is then not in {@code inFlight()}.
     */
    default void submitExpired(CarrierSession session, PduRequest<?> request) {
    }
}
