package io.dlrgate.gateway.testing;

import com.cloudhopper.smpp.PduAsyncResponse;
import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.SmppSession;
import com.cloudhopper.smpp.SmppSessionConfiguration;
import com.cloudhopper.smpp.impl.DefaultSmppClient;
import com.cloudhopper.smpp.impl.DefaultSmppSessionHandler;
import com.cloudhopper.smpp.pdu.DeliverSm;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.type.LoggingOptions;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A carrier streaming delivery receipts as fast as the gateway acknowledges them: K sessions of its own (bound
 * as transmitters: from the carrier's side, a transmitter sends receipts), each with a window of W outstanding
 * deliver_sm, sent with ch-smpp's asynchronous {@code sendRequestPdu(pdu, timeout, false)} and answered through
 * the session handler.
 *
 * <p>What a real carrier does with the answers: ESME_ROK means the gateway has it, so it is never sent again;
 * the throttle status (0x58 by default) and no answer at all (request expired, connection gone) mean "send it
 * again" after a short back-off; any other status is a permanent refusal, recorded and not retried.
 *
 * <p>Records, per receipt id, whether it was acknowledged OK, and which ids were sent more than once (answered
 * throttled, or unanswered), which is what tests need to reason about duplicates.
 */
public final class ReceiptStreamer implements AutoCloseable {

    /** One receipt: the carrier's message id (as written in the receipt) and its stat word. */
    public record Receipt(String id, String stat) {
    }

    public static Builder to(int port) {
        return new Builder(port);
    }

    public static final class Builder {
        private final int port;
        private String systemId = "carrier";
        private String password = "secret";
        private int sessions = 4;
        private int window = 100;
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration backoff = Duration.ofMillis(100);
        private int throttleStatus = SmppConstants.STATUS_THROTTLED;
        private Function<Receipt, DeliverSm> pdus = ReceiptStreamer::textReceipt;

        private Builder(int port) {
            this.port = port;
        }

        public Builder systemId(String systemId) {
            this.systemId = systemId;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder sessions(int sessions) {
            this.sessions = sessions;
            return this;
        }

        public Builder window(int window) {
            this.window = window;
            return this;
        }

        /** How long a deliver_sm may stay unanswered before the carrier sends it again. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /** Wait before resending a throttled or unanswered receipt. */
        public Builder backoff(Duration backoff) {
            this.backoff = backoff;
            return this;
        }

        public Builder throttleStatus(int throttleStatus) {
            this.throttleStatus = throttleStatus;
            return this;
        }

        /** How a receipt becomes a PDU (a fresh one per attempt); default: {@link #textReceipt}. */
        public Builder pdus(Function<Receipt, DeliverSm> pdus) {
            this.pdus = pdus;
            return this;
        }

        /** Binds all sessions and starts streaming {@code receipts} at once. */
        public ReceiptStreamer start(Collection<Receipt> receipts) {
            ReceiptStreamer s = new ReceiptStreamer(this, receipts);
            try {
                s.bindAll();
            } catch (RuntimeException e) {
                s.close();
                throw e;
            }
            s.startSenders();
            return s;
        }
    }

    /** A deliver_sm receipt (esm_class 0x04) with the usual text in short_message. */
    public static DeliverSm textReceipt(Receipt r) {
        String dlvrd = "DELIVRD".equals(r.stat()) ? "001" : "000";
        String err = "DELIVRD".equals(r.stat()) ? "000" : "001";
        return TestCarrier.receipt("id:" + r.id() + " sub:001 dlvrd:" + dlvrd + " submit date:2401011200 done date:"
                + "2401011201 stat:" + r.stat() + " err:" + err + " text:dlrgate stream");
    }

    private final Builder config;
    private final int total;
    private final NioEventLoopGroup group;
    private final ScheduledExecutorService monitor;
    private final ScheduledExecutorService retries;
    private final ExecutorService answers;
    private final DefaultSmppClient client;
    private final LinkedBlockingQueue<Receipt> queue = new LinkedBlockingQueue<>();
    private final Set<String> ackedOk = ConcurrentHashMap.newKeySet();
    private final Set<String> resent = ConcurrentHashMap.newKeySet();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final List<SmppSession> sessions = new ArrayList<>();
    private final List<Thread> senders = new ArrayList<>();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong okAnswers = new AtomicLong();
    private final AtomicLong throttledAnswers = new AtomicLong();
    private final AtomicLong otherAnswers = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private volatile long doneNanos;
    private volatile boolean closed;

    private ReceiptStreamer(Builder b, Collection<Receipt> receipts) {
        this.config = b;
        this.total = receipts.size();
        this.queue.addAll(receipts);
        this.group = new NioEventLoopGroup(2, new DefaultThreadFactory("receipt-streamer", true));
        this.monitor = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("receipt-streamer-mon", true));
        this.retries = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("receipt-streamer-retry", true));
        this.answers = Executors.newSingleThreadExecutor(new DefaultThreadFactory("receipt-streamer-answer", true));
        this.client = new DefaultSmppClient(group, monitor);
    }

    private void bindAll() {
        for (int i = 0; i < config.sessions; i++) {
            SmppSessionConfiguration c = new SmppSessionConfiguration();
            c.setName("receipt-streamer." + config.systemId + "." + i);
            c.setType(SmppBindType.TRANSMITTER);
            c.setHost("127.0.0.1");
            c.setPort(config.port);
            c.setSystemId(config.systemId);
            c.setPassword(config.password);
            c.setConnectTimeout(5_000);
            c.setBindTimeout(5_000);
            c.setWindowSize(config.window);
            c.setRequestExpiryTimeout(config.requestTimeout.toMillis());
            c.setWindowMonitorInterval(250);
            LoggingOptions quiet = new LoggingOptions();
            quiet.setLogPdu(false);
            quiet.setLogBytes(false);
            c.setLoggingOptions(quiet);
            Semaphore permits = new Semaphore(config.window);
            try {
                Handler handler = new Handler(permits);
                SmppSession s = client.bind(c, handler);
                handler.session = s;
                sessions.add(s);
                senders.add(new Thread(() -> sendLoop(s, permits), "receipt-streamer-send-" + i));
            } catch (Exception e) {
                throw new IllegalStateException("bind " + i + " of " + config.systemId + " failed: " + e, e);
            }
        }
    }

    private void startSenders() {
        senders.forEach(t -> {
            t.setDaemon(true);
            t.start();
        });
    }

    private void sendLoop(SmppSession session, Semaphore permits) {
        try {
            while (!closed && !isDone()) {
                if (!permits.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                Receipt r = queue.poll(50, TimeUnit.MILLISECONDS);
                if (r == null) {
                    permits.release();
                    continue;
                }
                DeliverSm pdu = config.pdus.apply(r);
                pdu.setReferenceObject(r);
                try {
                    attempts.incrementAndGet();
                    session.sendRequestPdu(pdu, config.requestTimeout.toMillis(), false);
                } catch (Exception e) {
                    // Not written (connection gone): the carrier keeps it and tries again later.
                    sendFailures.incrementAndGet();
                    permits.release();
                    resendLater(r);
                    Thread.sleep(config.backoff.toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void resendLater(Receipt r) {
        resent.add(r.id());
        if (closed) {
            return;
        }
        try {
            retries.schedule(() -> {
                queue.add(r);
            }, config.backoff.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException ignored) {
            // closing
        }
    }

    private final class Handler extends DefaultSmppSessionHandler {
        private final Semaphore permits;
        volatile SmppSession session;

        Handler(Semaphore permits) {
            this.permits = permits;
        }

        @Override
        public void fireExpectedPduResponseReceived(PduAsyncResponse response) {
            try {
                if (!(response.getRequest().getReferenceObject() instanceof Receipt r)) {
                    return;
                }
                int status = response.getResponse().getCommandStatus();
                if (status == SmppConstants.STATUS_OK) {
                    okAnswers.incrementAndGet();
                    if (ackedOk.add(r.id()) && ackedOk.size() == total) {
                        doneNanos = System.nanoTime();
                    }
                } else if (status == config.throttleStatus) {
                    throttledAnswers.incrementAndGet();
                    resendLater(r);
                } else {
                    otherAnswers.incrementAndGet();
                    refused.add(r.id() + " -> 0x" + Integer.toHexString(status));
                }
            } finally {
                permits.release();
            }
        }

        @Override
        @SuppressWarnings("rawtypes")
        public void firePduRequestExpired(PduRequest request) {
            try {
                if (request.getReferenceObject() instanceof Receipt r) {
                    expired.incrementAndGet();
                    resendLater(r);
                }
            } finally {
                permits.release();
            }
        }

        @Override
        @SuppressWarnings("rawtypes")
        public PduResponse firePduRequestReceived(PduRequest request) {
            // enquire_link or unbind from the gateway: answered off the event loop (sendResponsePdu blocks).
            PduResponse resp = request.createResponse();
            answers.execute(() -> {
                SmppSession s = session;
                if (s != null) {
                    try {
                        s.sendResponsePdu(resp);
                    } catch (Exception ignored) {
                        // the connection went away
                    }
                }
            });
            return null;
        }
    }

    private boolean isDone() {
        return ackedOk.size() >= total;
    }

    /** True when every receipt was acknowledged OK. */
    public boolean done() {
        return isDone();
    }

    /** Waits (bounded) until every receipt was acknowledged OK; returns whether that happened. */
    public boolean awaitDone(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isDone() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return isDone();
    }

    /** Ids acknowledged ESME_ROK (a snapshot). */
    public Set<String> ackedOk() {
        return Set.copyOf(ackedOk);
    }

    public int ackedOkCount() {
        return ackedOk.size();
    }

    /** Ids sent more than once (answered throttled, unanswered, or not written), a snapshot. */
    public Set<String> resent() {
        return Set.copyOf(resent);
    }

    /** "id -> 0xstatus" of receipts refused with a status other than OK and the throttle status. */
    public Set<String> refused() {
        return Set.copyOf(refused);
    }

    public int total() {
        return total;
    }

    public long attempts() {
        return attempts.get();
    }

    public long okAnswers() {
        return okAnswers.get();
    }

    public long throttledAnswers() {
        return throttledAnswers.get();
    }

    public long otherAnswers() {
        return otherAnswers.get();
    }

    public long expired() {
        return expired.get();
    }

    public long sendFailures() {
        return sendFailures.get();
    }

    /** Time from start until every receipt was acknowledged OK (or until now). */
    public Duration elapsed() {
        long end = doneNanos != 0 ? doneNanos : System.nanoTime();
        return Duration.ofNanos(end - startNanos);
    }

    public String figures() {
        return String.format("receipts %d, acked OK %d (answers OK %d), throttled answers %d, other answers %d, "
                        + "unanswered %d, not written %d, attempts %d, resent ids %d, %.1f s",
                total, ackedOk.size(), okAnswers.get(), throttledAnswers.get(), otherAnswers.get(), expired.get(),
                sendFailures.get(), attempts.get(), resent.size(), elapsed().toMillis() / 1000.0);
    }

    /**
     * Stops sending, unbinds every session politely (as a carrier ending a session does), then {@link #close}s.
     * Whatever is still outstanding in a window when the unbind_resp comes is not answered any more.
     */
    public void unbindAndClose(Duration timeout) {
        stopSenders();
        for (SmppSession s : sessions) {
            try {
                s.unbind(timeout.toMillis());
            } catch (RuntimeException ignored) {
                // the connection went away: closing anyway
            }
        }
        close();
    }

    /** Stops sending, drops the sessions (no unbind: the gateway may be gone) and releases the threads. */
    @Override
    public void close() {
        stopSenders();
        for (SmppSession s : sessions) {
            try {
                s.destroy();
            } catch (RuntimeException ignored) {
                // closing anyway
            }
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        client.destroy();
        retries.shutdownNow();
        answers.shutdownNow();
        monitor.shutdownNow();
    }

    private void stopSenders() {
        closed = true;
        for (Thread t : senders) {
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
