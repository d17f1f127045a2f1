package io.dlrgate.gateway.smpp;

import com.cloudhopper.smpp.PduAsyncResponse;
import com.cloudhopper.smpp.SmppSessionHandler;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.type.RecoverablePduException;
import com.cloudhopper.smpp.type.UnrecoverablePduException;

/**
 * A ch-smpp client session takes its handler when it is built, and our handler needs the session it handles: this
 * one is given to ch-smpp and forwards to the real one once that exists. Set before anything is sent on the
 * connection, so nothing the peer sends can arrive in between.
 */
final class ForwardingSessionHandler implements SmppSessionHandler {

    private volatile SmppSessionHandler target;

    void forwardTo(SmppSessionHandler handler) {
        this.target = handler;
    }

    @Override
    public String lookupResultMessage(int commandStatus) {
        return target.lookupResultMessage(commandStatus);
    }

    @Override
    public String lookupTlvTagName(short tag) {
        return target.lookupTlvTagName(tag);
    }

    @Override
    public void fireChannelUnexpectedlyClosed() {
        target.fireChannelUnexpectedlyClosed();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public PduResponse firePduRequestReceived(PduRequest request) {
        return target.firePduRequestReceived(request);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void firePduRequestExpired(PduRequest request) {
        target.firePduRequestExpired(request);
    }

    @Override
    public void fireExpectedPduResponseReceived(PduAsyncResponse response) {
        target.fireExpectedPduResponseReceived(response);
    }

    @Override
    public void fireUnexpectedPduResponseReceived(PduResponse response) {
        target.fireUnexpectedPduResponseReceived(response);
    }

    @Override
    public void fireUnrecoverablePduException(UnrecoverablePduException e) {
        target.fireUnrecoverablePduException(e);
    }

    @Override
    public void fireRecoverablePduException(RecoverablePduException e) {
        target.fireRecoverablePduException(e);
    }

    @Override
    public void fireUnknownThrowable(Throwable t) {
        target.fireUnknownThrowable(t);
    }
}
