package io.dlrgate.gateway.smpp;

import com.cloudhopper.commons.util.windowing.WindowFuture;
import com.cloudhopper.smpp.SmppSession;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.pdu.SubmitSm;
import io.dlrgate.config.BindType;
import io.dlrgate.config.CarrierConfig;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * One bound SMPP session of one carrier, as the rest of the gateway sees it.
 *
 * <p>Threading: {@link #respond}, {@link #close}, {@link #isBound} and the accessors may be called from any
 * thread, including a Netty event loop. {@link #sendSubmit} blocks (window wait, socket write) and must never
 * be called on an event loop; it throws {@link IllegalStateException} if it is.
 */
public interface CarrierSession {

    /** The gateway-wide id of this session (unique while the server runs). */
    long id();

    /** The carrier's id from config (not its system_id). */
    String carrierId();

    CarrierConfig carrier();

    /**
     * The bind type, from the carrier's side: RECEIVER takes our submits, TRANSMITTER sends us receipts. For an
     * outbound session it is the mirror of the bind the gateway sent: our bind_transmitter is a RECEIVER here.
     */
    BindType bindType();

    /** Whether the carrier bound in to the gateway (IN) or the gateway bound out to the carrier's SMSC (OUT). */
    SessionDirection direction();

    /**
     * The bind as its bind PDU named it, from the side that sent it: the carrier's for {@link SessionDirection#IN}
     * (the same as {@link #bindType()}), ours for {@link SessionDirection#OUT} (our transmitter, which the rest of
     * the gateway sees as a carrier-side RECEIVER). What ops see in metrics and on the Carriers page, since it is
     * what both ends' logs call the bind.
     */
    default BindType boundAs() {
        if (direction() == SessionDirection.IN) {
            return bindType();
        }
        return switch (bindType()) {
            case RECEIVER -> BindType.TRANSMITTER;
            case TRANSMITTER -> BindType.RECEIVER;
            case TRANSCEIVER -> BindType.TRANSCEIVER;
        };
    }

    InetSocketAddress remoteAddress();

    /** The underlying ch-smpp session (server or client side), for what this interface does not cover. */
    SmppSession smppSession();

    /**
     * Reported bound to listeners, not closed since, ch-smpp agrees it is bound, and the carrier has not asked to
     * unbind (its unbind_resp may wait a while for the answers to its receipts; it takes no new submits meanwhile).
     */
    boolean isBound();

    /**
     * Sends a submit_sm without waiting for its response ("async window" style). The answer arrives later in
     * {@link SubmitListener#submitResponse}; no answer within the request expiry arrives in
     * {@link SubmitListener#submitExpired}. Blocks up to {@code windowWaitMs} for a free window slot,
     * then until the PDU is written. Never call this on a Netty event loop.
     *
     * <p>The session assigns the sequence number (any number already on the PDU is replaced), so a PDU from
     * {@link #inFlight()} of a closed session, or one whose send failed, can be passed here again as is.
     * Sending the same PDU object on two sessions at once is not supported.
     *
     * @return the window future (its key is the sequence number the gateway assigned)
     * @throws SendFailedException    when the PDU was not sent; see {@link SendFailedException#reason()}
     * @throws InterruptedException   when interrupted while waiting for the window or the write
     * @throws IllegalStateException  when called on a Netty event loop, or on a transmitter bind
     */
    WindowFuture<Integer, PduRequest, PduResponse> sendSubmit(SubmitSm submit, long windowWaitMs)
            throws SendFailedException, InterruptedException;

    /**
     * Takes out of the window every submit_sm written before {@code writtenBeforeMillis} (wall-clock millis, the
     * window's own time base) that is still unanswered, so that neither a late response nor the window's own
     * expiry reports it: the caller reports each returned request as timed out, exactly once. Empty once closed.
     */
    List<PduRequest<?>> takeUnansweredSubmits(long writtenBeforeMillis) throws InterruptedException;

    /**
     * Answers a request the carrier sent (typically the deliver_sm_resp of a receipt). Never blocks: the
     * encoded PDU is handed to Netty and written in order with everything else on this session. Safe on any
     * thread. A response for a session that has closed is dropped (and logged at debug).
     */
    void respond(PduResponse response);

    /**
     * The submits this session has sent that have not been answered yet. After the session closes, the
     * submits that were still unanswered at the moment it closed (they were cancelled, and will never be
     * reported to {@code submitResponse} or {@code submitExpired}): requeue them.
     */
    List<PduRequest<?>> inFlight();

    /**
     * The gateway is stopping: from now on {@link #isBound()} is false and no new submit_sm is sent, while the
     * connection stays open so the answers to the submits in flight (and receipts) are still taken and stored.
     * The unbind comes later, once the window emptied (see {@link CarrierSessions#drain}). Safe on any thread.
     */
    void drain();

    /** Closes the TCP connection without an unbind. Non-blocking; sessionClosed follows. */
    void close();
}
