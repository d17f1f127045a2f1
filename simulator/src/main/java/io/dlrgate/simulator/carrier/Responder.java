package io.dlrgate.simulator.carrier;

import com.cloudhopper.smpp.SmppSession;
import com.cloudhopper.smpp.pdu.PduResponse;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a carrier's responses (submit_sm_resp, enquire_link_resp, ...) on its own pool: ch-smpp's
 * {@code sendResponsePdu} blocks until written, and the requests arrive on Netty event-loop threads.
 */
final class Responder {
    private static final Logger log = LoggerFactory.getLogger(SimulatedCarrier.class);

    /** Work that must be done before a response goes out; a failure counts as a failed write. */
    interface BeforeWrite {
        void run() throws IOException;
    }

    private final ExecutorService pool;

    Responder(ExecutorService pool) {
        this.pool = pool;
    }

    /** Writes a response off the event loop; then runs {@code written} or {@code failed} (either may be null). */
    void respond(String bindName, CompletableFuture<SmppSession> sessionFuture, PduResponse resp, Runnable written,
                 Runnable failed) {
        respond(bindName, sessionFuture, resp, null, written, failed);
    }

    /** As above; {@code beforeWrite} (may be null) runs on the pool just before the response is written. */
    void respond(String bindName, CompletableFuture<SmppSession> sessionFuture, PduResponse resp,
                 BeforeWrite beforeWrite, Runnable written, Runnable failed) {
        try {
            pool.execute(() -> {
                try {
                    SmppSession session = sessionFuture.get(5, TimeUnit.SECONDS);
                    if (beforeWrite != null) {
                        beforeWrite.run();
                    }
                    session.sendResponsePdu(resp);
                    if (written != null) {
                        written.run();
                    }
                } catch (Exception e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    log.warn("{}: could not write {}: {}", bindName, resp.getName(), e.toString());
                    if (failed != null) {
                        failed.run();
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            if (failed != null) {
                failed.run();
            }
        }
    }

    void shutdown() {
        pool.shutdown();
    }
}
