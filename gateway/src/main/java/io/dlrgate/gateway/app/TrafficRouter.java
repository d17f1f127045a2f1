package io.dlrgate.gateway.app;

import com.cloudhopper.smpp.PduAsyncResponse;
import com.cloudhopper.smpp.pdu.PduRequest;
import io.dlrgate.gateway.dispatch.Dispatcher;
import io.dlrgate.gateway.intake.ReceiptIntake;
import io.dlrgate.gateway.metrics.GatewayMetrics;
import io.dlrgate.gateway.smpp.CarrierSession;
import io.dlrgate.gateway.smpp.CarrierTrafficListener;

/**
 * Splits carrier traffic between its two consumers: receipts go to intake, everything about submits goes to
 * the dispatcher. Wired after construction because the SMPP server, which needs this listener, also owns the
 * session registry the dispatcher needs.
 */
final class TrafficRouter implements CarrierTrafficListener {

    private volatile Dispatcher dispatcher;
    private volatile ReceiptIntake intake;
    private final GatewayMetrics metrics;

    TrafficRouter(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    void wire(Dispatcher dispatcher, ReceiptIntake intake) {
        this.dispatcher = dispatcher;
        this.intake = intake;
    }

    @Override
    public void sessionBound(CarrierSession session) {
        Dispatcher d = dispatcher;
        if (d != null) {
            d.sessionBound(session);
        }
    }

    @Override
    public void sessionClosed(CarrierSession session) {
        Dispatcher d = dispatcher;
        if (d != null) {
            d.sessionClosed(session);
        }
    }

    @Override
    public void receiptPdu(CarrierSession session, PduRequest<?> pdu) {
        // Not wired yet means not started yet: the SMPP layer answers a throw with the carrier's throttle status.
        ReceiptIntake i = intake;
        if (i == null) {
            throw new IllegalStateException("gateway still starting");
        }
        i.receiptPdu(session, pdu);
    }

    @Override
    public void submitResponse(CarrierSession session, PduAsyncResponse response) {
        // ch-smpp's window times the request from its write to its response (ms): nothing to allocate or look up.
        metrics.submitResponse(session.carrierId(), response.getResponseTime());
        dispatcher.submitResponse(session, response);
    }

    @Override
    public void submitExpired(CarrierSession session, PduRequest<?> request) {
        dispatcher.submitExpired(session, request);
    }
}
