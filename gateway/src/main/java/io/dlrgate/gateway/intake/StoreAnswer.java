package io.dlrgate.gateway.intake;

import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import io.dlrgate.gateway.smpp.CarrierSession;
import io.dlrgate.reporting.write.ReceiptAck;
import java.util.function.Consumer;

/**
 * The carrier's answer to a deliver_sm / data_sm the group committer decides on, the same for receipts and replies:
 * ESME_ROK once it is stored, the carrier's temporary error when the store cannot take it now (the carrier resends
 * it), and whatever the caller does with a refusal (log it, count it, answer a permanent error).
 */
final class StoreAnswer implements ReceiptAck {

    private final CarrierSession session;
    private final PduRequest<?> pdu;
    private final Runnable beforeOk;
    private final Runnable beforeResentOk;
    private final Consumer<String> onRefused;

    /**
     * @param beforeOk  runs once the PDU is stored, just before ESME_ROK goes out
     * @param onRefused runs with the store's reason when it refuses the PDU; it must answer the PDU
     */
    StoreAnswer(CarrierSession session, PduRequest<?> pdu, Runnable beforeOk, Consumer<String> onRefused) {
        this(session, pdu, beforeOk, beforeOk, onRefused);
    }

    /**
     * @param beforeResentOk runs instead of {@code beforeOk} when the PDU was a resend of one already stored (a
     *                       reply), just before ESME_ROK goes out
     */
    StoreAnswer(CarrierSession session, PduRequest<?> pdu, Runnable beforeOk, Runnable beforeResentOk,
                Consumer<String> onRefused) {
        this.session = session;
        this.pdu = pdu;
        this.beforeOk = beforeOk;
        this.beforeResentOk = beforeResentOk;
        this.onRefused = onRefused;
    }

    @Override
    public void stored() {
        beforeOk.run();
        session.respond(pdu.createResponse());
    }

    @Override
    public void storedResend() {
        beforeResentOk.run();
        session.respond(pdu.createResponse());
    }

    @Override
    public void retryLater() {
        respond(session, pdu, session.carrier().throttleStatus());
    }

    @Override
    public void refused(String why) {
        onRefused.accept(why);
    }

    /** Answers {@code pdu} with {@code status}. */
    static void respond(CarrierSession session, PduRequest<?> pdu, int status) {
        PduResponse resp = pdu.createResponse();
        resp.setCommandStatus(status);
        session.respond(resp);
    }
}
