package io.dlrgate.bench;

import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.SmppSession;
import com.cloudhopper.smpp.impl.DefaultSmppClient;
import com.cloudhopper.smpp.impl.DefaultSmppSession;
import com.cloudhopper.smpp.impl.DefaultSmppSessionHandler;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.pdu.SubmitSmResp;
import com.cloudhopper.smpp.transcoder.DefaultPduTranscoder;
import com.cloudhopper.smpp.transcoder.DefaultPduTranscoderContext;
import com.cloudhopper.smpp.transcoder.PduTranscoder;
import io.dlrgate.simulator.carrier.SmppSessions;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cheapest honest carrier for the send-path benchmark: one ch-smpp transceiver session that answers every
 * submit_sm at once with ESME_ROK and a decimal message id from a counter (1, 2, 3 ...), and sends no
 * receipts. The answer is encoded and handed to Netty without waiting (never blocking the event loop), so the
 * carrier side costs as little CPU as possible on the shared 2-core machine. It keeps no per-message state
 * beyond one bit per benchmark message (to count distinct messages received, not retries).
 */
final class BenchCarrier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BenchCarrier.class);
    private static final PduTranscoder TRANSCODER = new DefaultPduTranscoder(new DefaultPduTranscoderContext());

    /** Shared by all carriers of a phase: one bit per message index, and the count of distinct ones seen. */
    static final class Seen {
        private final AtomicLongArray bits;
        private final long expected;
        final AtomicLong distinct = new AtomicLong();
        final AtomicLong total = new AtomicLong();
        final AtomicLong unknown = new AtomicLong();
        volatile long allSeenNanos;

        Seen(long expected) {
            this.expected = expected;
            this.bits = new AtomicLongArray((int) ((expected + 63) / 64));
        }

        void mark(long index) {
            total.incrementAndGet();
            if (index < 0 || index >= expected) {
                unknown.incrementAndGet();
                return;
            }
            int word = (int) (index >>> 6);
            long bit = 1L << (index & 63);
            long old;
            do {
                old = bits.get(word);
                if ((old & bit) != 0) {
                    return;
                }
            } while (!bits.compareAndSet(word, old, old | bit));
            if (distinct.incrementAndGet() == expected) {
                allSeenNanos = System.nanoTime();
            }
        }
    }

    private final String name;
    private final Seen seen;
    private final ToLongFunction<String> indexOfDestination;
    private final int parts;
    private final AtomicLong nextId;
    private final java.util.concurrent.ConcurrentLinkedQueue<PduResponse> early =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile SmppSession session;

    /**
     * @param indexOfDestination maps a submit_sm's destination address to the benchmark's message index
     * @param firstId            first message id this carrier issues
     */
    BenchCarrier(String name, Seen seen, ToLongFunction<String> indexOfDestination, long firstId) {
        this(name, seen, indexOfDestination, firstId, 1);
    }

    /**
     * @param parts submit_sm per message (concatenated parts, numbered by their 8-bit UDH): the index seen is
     *              message index * parts + part - 1
     */
    BenchCarrier(String name, Seen seen, ToLongFunction<String> indexOfDestination, long firstId, int parts) {
        this.name = name;
        this.seen = seen;
        this.indexOfDestination = indexOfDestination;
        this.parts = parts;
        this.nextId = new AtomicLong(firstId);
    }

    void bind(DefaultSmppClient client, int port, String systemId, String password, SmppBindType type)
            throws Exception {
        session = client.bind(SmppSessions.configuration(name, "127.0.0.1", port, type, systemId, password,
                10, 10_000), new Handler());
        drainEarly();
    }

    private void drainEarly() {
        PduResponse r;
        while ((r = early.poll()) != null) {
            answer(r);
        }
    }

    long issued() {
        return nextId.get();
    }

    private void answer(PduResponse resp) {
        DefaultSmppSession s = (DefaultSmppSession) session;
        if (s == null) {
            return;
        }
        try {
            s.getChannel().writeAndFlush(TRANSCODER.encode(resp));
        } catch (Exception e) {
            log.debug("{}: cannot answer: {}", name, e.toString());
        }
    }

    private final class Handler extends DefaultSmppSessionHandler {
        Handler() {
            super(log);
        }

        @Override
        @SuppressWarnings("rawtypes")
        public PduResponse firePduRequestReceived(PduRequest request) {
            PduResponse resp = request.createResponse();
            if (request instanceof SubmitSm sm) {
                long index;
                try {
                    index = indexOfDestination.applyAsLong(sm.getDestAddress().getAddress());
                    if (parts > 1) {
                        index = index * parts + (sm.getShortMessage()[5] - 1); // UDH 05 00 03 ref total seq
                    }
                } catch (RuntimeException e) {
                    index = -1;
                }
                seen.mark(index);
                ((SubmitSmResp) resp).setMessageId(Long.toString(nextId.getAndIncrement()));
            } else if (request.getCommandId() != SmppConstants.CMD_ID_ENQUIRE_LINK
                    && request.getCommandId() != SmppConstants.CMD_ID_UNBIND) {
                resp.setCommandStatus(SmppConstants.STATUS_INVCMDID);
            }
            if (session == null) {
                // The gateway may submit before bind() has returned here: hold the answer until it has.
                early.add(resp);
                if (session != null) {
                    drainEarly();
                }
            } else {
                answer(resp);
            }
            return null;
        }
    }

    @Override
    public void close() {
        SmppSession s = session;
        if (s != null) {
            try {
                s.unbind(1_000);
            } catch (RuntimeException e) {
                log.debug("{}: unbind: {}", name, e.toString());
            }
            s.destroy();
        }
    }
}
