package io.dlrgate.gateway.smpp.client;

import com.cloudhopper.commons.charset.CharsetUtil;
import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.SmppServerConfiguration;
import com.cloudhopper.smpp.SmppServerHandler;
import com.cloudhopper.smpp.SmppServerSession;
import com.cloudhopper.smpp.SmppSessionConfiguration;
import com.cloudhopper.smpp.impl.DefaultSmppServer;
import com.cloudhopper.smpp.impl.DefaultSmppSession;
import com.cloudhopper.smpp.impl.DefaultSmppSessionHandler;
import com.cloudhopper.smpp.pdu.BaseBind;
import com.cloudhopper.smpp.pdu.BaseBindResp;
import com.cloudhopper.smpp.pdu.BaseSm;
import com.cloudhopper.smpp.pdu.DataSm;
import com.cloudhopper.smpp.pdu.DeliverSm;
import com.cloudhopper.smpp.pdu.EnquireLink;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.pdu.SubmitSmResp;
import com.cloudhopper.smpp.pdu.Unbind;
import com.cloudhopper.smpp.tlv.Tlv;
import com.cloudhopper.smpp.type.Address;
import com.cloudhopper.smpp.type.SmppProcessingException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small SMSC for the client role's tests, on ch-smpp's own server (the simulator's SMSC role is a separate
 * piece): takes binds (refusing a wrong password with ESME_RINVPASWD), answers submit_sm with a message id and
 * sends a receipt for each, as deliver_sm or data_sm, on a bind that may carry it (the same transceiver, or the
 * ESME's receiver bind). Blocking ch-smpp calls run on its own thread, never on an event loop.
 */
final class TestSmsc implements AutoCloseable {

    enum ReceiptPdu { DELIVER_SM, DATA_SM }

    final String systemId;
    volatile String password;
    volatile ReceiptPdu receiptPdu = ReceiptPdu.DELIVER_SM;
    volatile String stat = "DELIVRD";
    /** false: submits are taken but never answered (they stay in the ESME's window). */
    volatile boolean answerSubmits = true;
    volatile boolean answerEnquireLinks = true;
    /** Above 0: each submit_sm is answered (and its receipt sent) this many ms later, plus up to {@link #answerJitterMs}. */
    volatile long answerDelayMs;
    volatile long answerJitterMs;

    final AtomicInteger bindAttempts = new AtomicInteger();
    final AtomicInteger unbinds = new AtomicInteger();
    final ConcurrentLinkedQueue<SubmitSm> submits = new ConcurrentLinkedQueue<>();
    final List<Bound> bound = new CopyOnWriteArrayList<>();

    record Bound(SmppBindType type, DefaultSmppSession session) {
    }

    private final AtomicLong ids = new AtomicLong(1000);
    private final ExecutorService writer = Executors.newSingleThreadExecutor(new DefaultThreadFactory("test-smsc-write", true));
    private final NioEventLoopGroup boss;
    private final NioEventLoopGroup workers = new NioEventLoopGroup(2, new DefaultThreadFactory("test-smsc-io", true));
    private final ScheduledThreadPoolExecutor monitor = new ScheduledThreadPoolExecutor(1,
            new DefaultThreadFactory("test-smsc-window", true));
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(
            new DefaultThreadFactory("test-smsc-late", true));
    private final DefaultSmppServer server;
    private volatile Channel listen;

    TestSmsc(String systemId, String password) throws Exception {
        this(systemId, password, 0);
    }

    /** @param port 0 for a free one */
    TestSmsc(String systemId, String password, int port) throws Exception {
        this(systemId, password, port, null);
    }

    /** @param tls the server side of TLS (ch-smpp's own), or null for plain TCP */
    TestSmsc(String systemId, String password, int port, com.cloudhopper.smpp.ssl.SslConfiguration tls)
            throws Exception {
        this.systemId = systemId;
        this.password = password;
        this.boss = new NioEventLoopGroup(1, new DefaultThreadFactory("test-smsc-accept", true)) {
            @Override
            public ChannelFuture register(Channel channel) {
                listen = channel; // the port actually bound (port 0)
                return super.register(channel);
            }
        };
        SmppServerConfiguration c = new SmppServerConfiguration();
        c.setName("test-smsc");
        c.setHost("127.0.0.1");
        c.setPort(port);
        c.setReuseAddress(true);
        if (tls != null) {
            c.setUseSsl(true);
            c.setSslConfiguration(tls);
        }
        c.setSystemId("testsmsc");
        c.setNonBlockingSocketsEnabled(true);
        c.setJmxEnabled(false);
        c.setDefaultRequestExpiryTimeout(30_000);
        c.setDefaultWindowMonitorInterval(1_000);
        c.setBindTimeout(5_000);
        server = new DefaultSmppServer(c, new Handler(), monitor, boss, workers);
        server.start();
    }

    int port() {
        return ((InetSocketAddress) listen.localAddress()).getPort();
    }

    long boundOf(SmppBindType type) {
        return bound.stream().filter(b -> b.type() == type && b.session().isBound()).count();
    }

    /** Closes every bound connection without an unbind, as a crashing SMSC or a cut cable would. */
    void dropAll() {
        for (Bound b : bound) {
            b.session().getChannel().close();
        }
    }

    @Override
    public void close() {
        server.stop();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        server.destroy();
        writer.shutdownNow();
        later.shutdownNow();
        monitor.shutdownNow();
    }

    private final class Handler implements SmppServerHandler {
        @Override
        public void sessionBindRequested(Long sessionId, SmppSessionConfiguration config, BaseBind bind)
                throws SmppProcessingException {
            bindAttempts.incrementAndGet();
            if (!systemId.equals(bind.getSystemId())) {
                throw new SmppProcessingException(SmppConstants.STATUS_INVSYSID);
            }
            if (!password.equals(bind.getPassword())) {
                throw new SmppProcessingException(SmppConstants.STATUS_INVPASWD);
            }
            config.setName("test-smsc." + sessionId);
            config.setWindowSize(100);
        }

        @Override
        public void sessionCreated(Long sessionId, SmppServerSession session, BaseBindResp preparedBindResponse) {
            DefaultSmppSession s = (DefaultSmppSession) session;
            Bound b = new Bound(s.getBindType(), s);
            bound.add(b);
            // serverReady writes the bind_resp and waits for the write: not on the event loop.
            writer.execute(() -> s.serverReady(new SessionHandler(b)));
        }

        @Override
        public void sessionDestroyed(Long sessionId, SmppServerSession session) {
            bound.removeIf(b -> b.session() == session);
        }
    }

    private final class SessionHandler extends DefaultSmppSessionHandler {
        private final Bound self;

        SessionHandler(Bound self) {
            this.self = self;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public PduResponse firePduRequestReceived(PduRequest request) {
            if (request instanceof EnquireLink) {
                if (answerEnquireLinks) {
                    respond(request.createResponse());
                }
            } else if (request instanceof Unbind) {
                unbinds.incrementAndGet();
                respond(request.createResponse());
            } else if (request instanceof SubmitSm submit) {
                submits.add(submit);
                if (answerSubmits && answerDelayMs > 0) {
                    long jitter = answerJitterMs > 0 ? ThreadLocalRandom.current().nextLong(answerJitterMs + 1) : 0;
                    later.schedule(() -> answer(submit), answerDelayMs + jitter, TimeUnit.MILLISECONDS);
                } else if (answerSubmits) {
                    answer(submit);
                }
            }
            return null; // ch-smpp would write a returned response with a blocking call on the event loop
        }

        private void answer(SubmitSm submit) {
            String id = Long.toString(ids.incrementAndGet(), 16);
            SubmitSmResp resp = submit.createResponse();
            resp.setMessageId(id);
            respond(resp);
            if (submit.getRegisteredDelivery() != 0) {
                writer.execute(() -> sendReceipt(id));
            }
        }

        @Override
        public void fireExpectedPduResponseReceived(com.cloudhopper.smpp.PduAsyncResponse response) {
            // the ESME's deliver_sm_resp: nothing to do
        }

        private void respond(PduResponse response) {
            writer.execute(() -> {
                try {
                    self.session().sendResponsePdu(response);
                } catch (Exception e) {
                    // the connection went away: the ESME retries
                }
            });
        }

        private void sendReceipt(String id) {
            DefaultSmppSession via = receiptSession();
            if (via == null) {
                return;
            }
            String text = "id:" + id + " sub:001 dlvrd:001 submit date:2601011200 done date:2601011201 stat:" + stat
                    + " err:000 text:hello";
            try {
                BaseSm<?> pdu;
                if (receiptPdu == ReceiptPdu.DATA_SM) {
                    DataSm d = new DataSm();
                    d.addOptionalParameter(new Tlv(SmppConstants.TAG_RECEIPTED_MSG_ID,
                            (id + "\0").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
                    d.addOptionalParameter(new Tlv(SmppConstants.TAG_MSG_STATE, new byte[] {stateOf(stat)}));
                    pdu = d;
                } else {
                    DeliverSm d = new DeliverSm();
                    d.setShortMessage(CharsetUtil.encode(text, CharsetUtil.CHARSET_GSM));
                    pdu = d;
                }
                pdu.setEsmClass(SmppConstants.ESM_CLASS_MT_SMSC_DELIVERY_RECEIPT);
                pdu.setSourceAddress(new Address((byte) 1, (byte) 1, "447700900001"));
                pdu.setDestAddress(new Address((byte) 5, (byte) 0, "DLRGATE"));
                via.sendRequestPdu(pdu, 5_000, false);
            } catch (Exception e) {
                // lost with the connection; a real SMSC would send it again later
            }
        }

        /** This session if it is a transceiver, else a receiver bind of the same ESME. */
        private DefaultSmppSession receiptSession() {
            if (self.type() == SmppBindType.TRANSCEIVER) {
                return self.session();
            }
            for (Bound b : bound) {
                if (b.type() == SmppBindType.RECEIVER && b.session().isBound()) {
                    return b.session();
                }
            }
            return null;
        }
    }

    private static byte stateOf(String stat) {
        return switch (stat) {
            case "DELIVRD" -> SmppConstants.STATE_DELIVERED;
            case "UNDELIV" -> SmppConstants.STATE_UNDELIVERABLE;
            case "EXPIRED" -> SmppConstants.STATE_EXPIRED;
            case "DELETED" -> SmppConstants.STATE_DELETED;
            default -> SmppConstants.STATE_REJECTED;
        };
    }
}
