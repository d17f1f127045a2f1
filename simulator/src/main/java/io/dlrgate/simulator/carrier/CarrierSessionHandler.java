package io.dlrgate.simulator.carrier;

import com.cloudhopper.smpp.PduAsyncResponse;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.SmppSession;
import com.cloudhopper.smpp.impl.DefaultSmppSessionHandler;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.pdu.SubmitSm;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bind's session callbacks, in either role ({@link BindSide}), on Netty event-loop threads: never block here. Requests are answered through
 * the {@link Responder}; answers to receipts go to the {@link ReceiptScheduler}.
 */
final class CarrierSessionHandler extends DefaultSmppSessionHandler {
    private static final Logger log = LoggerFactory.getLogger(SimulatedCarrier.class);

    /** The parts of a running carrier that its sessions' callbacks hand work to. */
    record Parts(SimulatedCarrier carrier, SubmitAnswerer submits, Responder responder, ReceiptScheduler receipts,
                 CarrierCounters counters) {
    }

    private final BindSide bind;
    private final Parts parts;
    /** This bind's session, known once bind() returns (a PDU may arrive a moment before). */
    final CompletableFuture<SmppSession> session = new CompletableFuture<>();

    CarrierSessionHandler(BindSide bind, Parts parts) {
        super(log);
        this.bind = bind;
        this.parts = parts;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public PduResponse firePduRequestReceived(PduRequest request) {
        switch (request.getCommandId()) {
            case SmppConstants.CMD_ID_SUBMIT_SM -> {
                if (bind.takesSubmits()) {
                    parts.submits().onSubmit(bind.name(), session, (SubmitSm) request);
                } else {
                    answer(request, SmppConstants.STATUS_INVBNDSTS);
                }
            }
            case SmppConstants.CMD_ID_ENQUIRE_LINK -> {
                if (parts.carrier().faults().ignoreEnquireLinks()) {
                    parts.counters().enquireLinksIgnored.incrementAndGet(); // fault: no enquire_link_resp
                } else {
                    answer(request, SmppConstants.STATUS_OK);
                }
            }
            case SmppConstants.CMD_ID_UNBIND -> parts.responder().respond(bind.name(), session,
                    request.createResponse(), bind::markDead, bind::markDead);
            default -> answer(request, SmppConstants.STATUS_INVCMDID);
        }
        return null; // answered off the event loop
    }

    @SuppressWarnings("rawtypes")
    private void answer(PduRequest request, int status) {
        PduResponse resp = request.createResponse();
        if (status != SmppConstants.STATUS_OK) {
            resp.setCommandStatus(status);
        }
        parts.responder().respond(bind.name(), session, resp, null, null);
    }

    @Override
    public void fireExpectedPduResponseReceived(PduAsyncResponse response) {
        parts.receipts().onResponse(response);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void firePduRequestExpired(PduRequest request) {
        if (request.getReferenceObject() instanceof PendingReceipt.InFlight f) {
            bind.inFlight().remove(f.pending());
            log.info("{}: no answer to a receipt within {} ms, sending it again", bind.name(),
                    parts.carrier().config().requestTimeoutMillis());
            parts.receipts().requeue(f);
        }
    }

    @Override
    public void fireChannelUnexpectedlyClosed() {
        bind.markDead();
    }
}
