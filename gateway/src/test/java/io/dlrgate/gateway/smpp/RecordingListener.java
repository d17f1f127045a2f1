package io.dlrgate.gateway.smpp;

import com.cloudhopper.smpp.PduAsyncResponse;
import com.cloudhopper.smpp.pdu.PduRequest;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/** Records every callback; answers receipts OK at once unless told otherwise. */
final class RecordingListener implements CarrierTrafficListener {

    final List<CarrierSession> bound = new CopyOnWriteArrayList<>();
    final List<CarrierSession> closed = new CopyOnWriteArrayList<>();
    final List<PduRequest<?>> receipts = new CopyOnWriteArrayList<>();
    final List<PduAsyncResponse> submitResponses = new CopyOnWriteArrayList<>();
    final List<PduRequest<?>> expired = new CopyOnWriteArrayList<>();
    final List<String> threadsOfReceipts = new CopyOnWriteArrayList<>();
    volatile BiConsumer<CarrierSession, PduRequest<?>> onReceipt =
            (session, pdu) -> session.respond(pdu.createResponse());

    @Override
    public void sessionBound(CarrierSession session) {
        bound.add(session);
    }

    @Override
    public void sessionClosed(CarrierSession session) {
        closed.add(session);
    }

    @Override
    public void receiptPdu(CarrierSession session, PduRequest<?> pdu) {
        receipts.add(pdu);
        threadsOfReceipts.add(Thread.currentThread().getName());
        onReceipt.accept(session, pdu);
    }

    @Override
    public void submitResponse(CarrierSession session, PduAsyncResponse response) {
        submitResponses.add(response);
    }

    @Override
    public void submitExpired(CarrierSession session, PduRequest<?> request) {
        expired.add(request);
    }
}
