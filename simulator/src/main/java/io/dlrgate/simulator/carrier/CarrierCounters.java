package io.dlrgate.simulator.carrier;

import java.util.concurrent.atomic.AtomicLong;

/** A simulated carrier's counters, written by its parts as things happen; {@link #snapshot} reads them all. */
final class CarrierCounters {
    final AtomicLong submitsReceived = new AtomicLong();
    final AtomicLong submitsRejected = new AtomicLong();
    final AtomicLong receiptsPlanned = new AtomicLong();
    final AtomicLong receiptsSent = new AtomicLong();
    final AtomicLong receiptsAcknowledged = new AtomicLong();
    final AtomicLong throttledRetries = new AtomicLong();
    final AtomicLong receiptsRefused = new AtomicLong();
    final AtomicLong receiptsRequeued = new AtomicLong();
    final AtomicLong receiptsAbandoned = new AtomicLong();
    final AtomicLong binds = new AtomicLong();
    final AtomicLong bindFailures = new AtomicLong();
    final AtomicLong reconnects = new AtomicLong();
    final AtomicLong receiptsFirst = new AtomicLong();
    final AtomicLong noiseReceipts = new AtomicLong();
    final AtomicLong enquireLinksIgnored = new AtomicLong();
    final AtomicLong readPauses = new AtomicLong();

    /** Receipts planned and not yet acknowledged, refused or abandoned (as {@link CarrierStats#receiptsOutstanding}). */
    long receiptsOutstanding() {
        return receiptsPlanned.get() - receiptsAcknowledged.get() - receiptsRefused.get() - receiptsAbandoned.get();
    }

    CarrierStats snapshot(int boundSessions, boolean heldDown) {
        return new CarrierStats(submitsReceived.get(), submitsRejected.get(), receiptsPlanned.get(),
                receiptsSent.get(), receiptsAcknowledged.get(), throttledRetries.get(), receiptsRefused.get(),
                receiptsRequeued.get(), receiptsAbandoned.get(), binds.get(), bindFailures.get(), reconnects.get(),
                boundSessions, receiptsFirst.get(), noiseReceipts.get(), enquireLinksIgnored.get(), readPauses.get(),
                heldDown);
    }
}
