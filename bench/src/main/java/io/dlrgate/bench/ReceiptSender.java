package io.dlrgate.bench;

import com.cloudhopper.smpp.PduAsyncResponse;
import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.SmppSession;
import com.cloudhopper.smpp.impl.DefaultSmppClient;
import com.cloudhopper.smpp.impl.DefaultSmppSession;
import com.cloudhopper.smpp.impl.DefaultSmppSessionHandler;
import com.cloudhopper.smpp.pdu.BaseSm;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.transcoder.DefaultPduTranscoder;
import com.cloudhopper.smpp.transcoder.DefaultPduTranscoderContext;
import com.cloudhopper.smpp.transcoder.PduTranscoder;
import io.dlrgate.simulator.carrier.SimCarrierSettings;
import io.dlrgate.simulator.carrier.SmppSessions;
import io.dlrgate.simulator.load.LatencyRecorder;
import io.dlrgate.simulator.outcome.Stat;
import io.dlrgate.simulator.receipt.ReceiptDialect;
import io.dlrgate.simulator.receipt.ReceiptFields;
import io.dlrgate.simulator.receipt.ReceiptWriter;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A windowed receipt sender with the simulator's own receipt writer (standard dialect, DELIVRD, TLVs as the
 * dialect says): K transmitter sessions, each with at most {@code window} receipts outstanding, one thread per
 * session keeping its window full. Either as fast as the peer acknowledges ({@code rate == 0}), or paced to an
 * offered rate shared by all sessions. A receipt answered with a retryable status (0x58, 0x14, 0x08) is counted
 * as throttled and sent again after 10 ms; a receipt with no answer within the request timeout is sent again.
 * Latency is measured per attempt, from just before the write to the arrival of the deliver_sm_resp. The sessions
 * are bound once and reused for every run, so the stored and the raw runs use the same sessions' code paths.
 */
final class ReceiptSender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReceiptSender.class);
    private static final PduTranscoder TRANSCODER = new DefaultPduTranscoder(new DefaultPduTranscoderContext());
    private static final long RETRY_DELAY_MS = 10;
    private static final long REQUEST_TIMEOUT_MS = 10_000;

    record Result(long requested, long pdusSent, long acknowledged, long throttled, long refused, long expired,
                  long unfinished, double seconds, long p50Micros, long p99Micros, long p999Micros, long maxMicros,
                  double meanMicros, double offeredRate) {

        double ackRate() {
            return seconds <= 0 ? 0 : acknowledged / seconds;
        }
    }

    private record Attempt(long id, long sentNanos) {
    }

    private final int window;
    private final int sessions;
    private final ReceiptWriter writer = new ReceiptWriter(ReceiptDialect.STANDARD);
    private final NioEventLoopGroup group;
    private final ScheduledExecutorService timer;
    private final DefaultSmppClient client;
    private final List<Lane> lanes = new ArrayList<>();
    private final Instant submitDate = Instant.now().minusSeconds(120);
    private final Instant doneDate = Instant.now().minusSeconds(30);

    // Per-run state.
    private volatile Run run;

    private final class Run {
        final long firstId;
        final long count;
        final long intervalNanos;
        final AtomicLong nextIndex = new AtomicLong();
        final AtomicLong nextSlotNanos;
        final ConcurrentLinkedQueue<Long> retries = new ConcurrentLinkedQueue<>();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong acked = new AtomicLong();
        final AtomicLong throttled = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final AtomicLong expired = new AtomicLong();
        final AtomicLong lastAnswerNanos = new AtomicLong();
        final LatencyRecorder latency = new LatencyRecorder();

        Run(long firstId, long count, double rate, long startNanos) {
            this.firstId = firstId;
            this.count = count;
            this.intervalNanos = rate <= 0 ? 0 : (long) (1e9 / rate);
            this.nextSlotNanos = new AtomicLong(startNanos);
        }

        boolean finished() {
            return acked.get() + refused.get() >= count;
        }
    }

    ReceiptSender(int sessions, int window) {
        this.sessions = sessions;
        this.window = window;
        this.group = new NioEventLoopGroup(2, new DefaultThreadFactory("bench-load-io", true));
        this.timer = Executors.newScheduledThreadPool(1, new DefaultThreadFactory("bench-load-timer", true));
        this.client = new DefaultSmppClient(group, timer);
    }

    /** (Re)binds K transmitter sessions to this port, closing the previous ones. */
    void bind(int port, String systemId, String password) throws Exception {
        closeLanes();
        for (int i = 0; i < sessions; i++) {
            Lane lane = new Lane("load-" + (i + 1));
            lane.session = client.bind(SmppSessions.configuration(lane.name, "127.0.0.1", port,
                    SmppBindType.TRANSMITTER, systemId, password, window, REQUEST_TIMEOUT_MS), lane.handler);
            lanes.add(lane);
        }
    }

    /**
     * Sends receipts for ids {@code firstId .. firstId+count-1} (decimal ids as the carrier issued them).
     *
     * @param rate offered receipts/s across all sessions; 0 for as fast as acknowledged
     */
    Result send(long firstId, long count, double rate, long maxMillis) throws InterruptedException {
        long start = System.nanoTime();
        Run r = new Run(firstId, count, rate, start);
        run = r;
        r.lastAnswerNanos.set(start);
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        List<Thread> threads = new ArrayList<>();
        for (Lane lane : lanes) {
            lane.permits.drainPermits();
            lane.permits.release(window);
            Thread t = new Thread(() -> lane.pump(r, deadline), "bench-" + lane.name);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        long end = Math.max(r.lastAnswerNanos.get(), start + 1);
        long settled = r.acked.get() + r.refused.get();
        return new Result(count, r.sent.get(), r.acked.get(), r.throttled.get(), r.refused.get(), r.expired.get(),
                Math.max(0, count - settled), (end - start) / 1e9, r.latency.percentileMicros(50),
                r.latency.percentileMicros(99), r.latency.percentileMicros(99.9), r.latency.maxMicros(),
                r.latency.meanMicros(), rate);
    }

    private BaseSm<?> pdu(long id) {
        String text = Long.toString(id);
        return writer.pdu(new ReceiptFields(text, id, "447700" + String.format("%06d", id % 1_000_000), "DLRGATE",
                submitDate, doneDate, Stat.DELIVRD, "000", "Benchmark message"), false);
    }

    private final class Lane {
        final String name;
        final Semaphore permits = new Semaphore(0);
        final Handler handler = new Handler(this);
        volatile SmppSession session;

        Lane(String name) {
            this.name = name;
        }

        void pump(Run r, long deadline) {
            while (!r.finished() && System.nanoTime() < deadline && session.isBound()) {
                try {
                    if (!permits.tryAcquire(20, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                } catch (InterruptedException e) {
                    return;
                }
                Long id = r.retries.poll();
                if (id == null) {
                    long i = r.nextIndex.getAndIncrement();
                    if (i >= r.count) {
                        r.nextIndex.decrementAndGet();
                        permits.release();
                        LockSupport.parkNanos(500_000);
                        continue;
                    }
                    id = r.firstId + i;
                    if (r.intervalNanos > 0) {
                        long slot = r.nextSlotNanos.getAndAdd(r.intervalNanos);
                        long wait;
                        while ((wait = slot - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                    }
                }
                BaseSm<?> pdu = pdu(id);
                long now = System.nanoTime();
                pdu.setReferenceObject(new Attempt(id, now));
                try {
                    session.sendRequestPdu(pdu, REQUEST_TIMEOUT_MS, false);
                    r.sent.incrementAndGet();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    log.warn("{}: send failed: {}", name, e.toString());
                    permits.release();
                    r.retries.add(id);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RETRY_DELAY_MS));
                }
            }
        }
    }

    private final class Handler extends DefaultSmppSessionHandler {
        private final Lane lane;

        Handler(Lane lane) {
            super(log);
            this.lane = lane;
        }

        @Override
        public void fireExpectedPduResponseReceived(PduAsyncResponse response) {
            long now = System.nanoTime();
            Run r = run;
            if (r == null || !(response.getRequest().getReferenceObject() instanceof Attempt a)) {
                return;
            }
            r.latency.recordNanos(now - a.sentNanos());
            int status = response.getResponse().getCommandStatus();
            if (status == SmppConstants.STATUS_OK) {
                r.acked.incrementAndGet();
            } else if (SimCarrierSettings.DEFAULT_RETRY_STATUSES.contains(status)) {
                r.throttled.incrementAndGet();
                timer.schedule(() -> r.retries.add(a.id()), RETRY_DELAY_MS, TimeUnit.MILLISECONDS);
            } else {
                r.refused.incrementAndGet();
            }
            r.lastAnswerNanos.accumulateAndGet(now, Math::max);
            lane.permits.release();
        }

        @Override
        @SuppressWarnings("rawtypes")
        public void firePduRequestExpired(PduRequest request) {
            Run r = run;
            if (r != null && request.getReferenceObject() instanceof Attempt a) {
                r.expired.incrementAndGet();
                r.retries.add(a.id());
                lane.permits.release();
            }
        }

        @Override
        @SuppressWarnings("rawtypes")
        public PduResponse firePduRequestReceived(PduRequest request) {
            PduResponse resp = request.createResponse();
            if (request.getCommandId() != SmppConstants.CMD_ID_ENQUIRE_LINK
                    && request.getCommandId() != SmppConstants.CMD_ID_UNBIND) {
                resp.setCommandStatus(SmppConstants.STATUS_INVBNDSTS);
            }
            SmppSession s = lane.session;
            if (s == null) {
                return null;
            }
            try {
                ((DefaultSmppSession) s).getChannel().writeAndFlush(TRANSCODER.encode(resp));
            } catch (Exception e) {
                log.debug("{}: cannot answer {}: {}", lane.name, request.getName(), e.toString());
            }
            return null;
        }
    }

    private void closeLanes() {
        for (Lane lane : lanes) {
            try {
                lane.session.unbind(1_000);
            } catch (RuntimeException e) {
                log.debug("unbind: {}", e.toString());
            }
            lane.session.destroy();
        }
        lanes.clear();
    }

    @Override
    public void close() {
        closeLanes();
        client.destroy();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        timer.shutdownNow();
    }
}
