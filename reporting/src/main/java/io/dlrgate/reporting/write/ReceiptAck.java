package io.dlrgate.reporting.write;

/**
 * How the committer answers the carrier for one receipt. The SMPP side implements it by sending the
 * deliver_sm_resp / data_sm_resp; the committer calls exactly one of these methods exactly once per receipt.
 */
public interface ReceiptAck {

    /** The receipt is durable: answer ESME_ROK. */
    void stored();

    /**
     * A reply that was a carrier's resend of one already stored (its answer was lost): nothing new was stored, and
     * it is answered ESME_ROK all the same so that the carrier stops resending. By default the same as
     * {@link #stored()}; the intake overrides it to count resends apart from replies.
     */
    default void storedResend() {
        stored();
    }

    /** The receipt could not be stored now: answer the carrier's temporary error so that it retries. */
    void retryLater();

    /**
     * The database refused this receipt's data (not an outage: retrying would fail the same way for ever). Answer
     * a permanent error so that the carrier stops resending it; the committer has logged it in full.
     */
    void refused(String why);
}
