package io.dlrgate.gateway.smpp;

import com.cloudhopper.smpp.PduAsyncResponse;
import com.cloudhopper.smpp.pdu.PduRequest;

/**
 * Follows the gateway's own submits: binds that can take them and closes that leave them in flight (see
 * {@link CarrierSessionListener}), and what becomes of each one sent. The gateway's dispatcher.
 *
 * <p>Every method may run on a Netty event loop: implementations must not block, must not call
 * {@link CarrierSession#sendSubmit} from inside a callback, and should hand work to their own executors.
 */
public interface SubmitListener extends CarrierSessionListener {

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
