package io.dlrgate.simulator.testing;

import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.SmppServerConfiguration;
import com.cloudhopper.smpp.SmppServerHandler;
import com.cloudhopper.smpp.SmppServerSession;
import com.cloudhopper.smpp.SmppSession;
import com.cloudhopper.smpp.SmppSessionConfiguration;
import com.cloudhopper.smpp.impl.DefaultSmppServer;
import com.cloudhopper.smpp.impl.DefaultSmppSessionHandler;
import com.cloudhopper.smpp.pdu.BaseBind;
import com.cloudhopper.smpp.pdu.BaseBindResp;
import com.cloudhopper.smpp.pdu.BaseSm;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.pdu.SubmitSmResp;
import com.cloudhopper.smpp.tlv.Tlv;
import com.cloudhopper.smpp.type.Address;
import com.cloudhopper.smpp.type.LoggingOptions;
import com.cloudhopper.smpp.type.SmppProcessingException;
import io.dlrgate.reporting.testing.LoopbackPorts;
import io.dlrgate.simulator.carrier.SimCarrierSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import io.netty.channel.nio.NioEventLoopGroup;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small SMPP server that plays the gateway's part for the simulator's tests: carriers bind to it, it sends them
 * submit_sm, and it collects the receipts they send back, answering each with OK or, when told, a temporary error.
 * Responses are written off the event loop. Loopback only, on a free port.
 */
public final class FakeGatewayServer implements AutoCloseable {

    /** A receipt PDU as it arrived. */
    public record ReceivedReceipt(int commandId, byte esmClass, String source, String destination,
                                  String shortMessage, Map<Short, byte[]> tlvs, long sessionId) {
        /** The receipt text: short_message, or message_payload when short_message is empty. */
        public String text() {
            if (!shortMessage.isEmpty()) {
                return shortMessage;
            }
            byte[] p = tlvs.get(SmppConstants.TAG_MESSAGE_PAYLOAD);
            return p == null ? "" : new String(p, StandardCharsets.ISO_8859_1);
        }

        /** The id of the receipt: receipted_message_id when present, else the {@code id:} field of the text. */
        public String id() {
            byte[] r = tlvs.get(SmppConstants.TAG_RECEIPTED_MSG_ID);
            if (r != null) {
                int n = r.length > 0 && r[r.length - 1] == 0 ? r.length - 1 : r.length;
                return new String(r, 0, n, StandardCharsets.ISO_8859_1);
            }
            Matcher m = ID.matcher(text());
            return m.find() ? m.group(1) : "";
        }

        /** The {@code stat:} field of the text. */
        public String stat() {
            Matcher m = STAT.matcher(text());
            return m.find() ? m.group(1) : "";
        }
    }

    /** Decides the command_status of each receipt's response; {@code n} counts receipt PDUs from 1. */
    @FunctionalInterface
    public interface ReceiptAnswer {
        int status(ReceivedReceipt receipt, long n);
    }

    private static final Pattern ID = Pattern.compile("(?i)\\bid:(\\S+)");
    private static final Pattern STAT = Pattern.compile("(?i)\\bstat:(\\S+)");

    private final String systemId;
    private final String password;
    private final int port;
    private final DefaultSmppServer server;
    private final NioEventLoopGroup boss = new NioEventLoopGroup(1);
    private final NioEventLoopGroup workers = new NioEventLoopGroup(2);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService responders = Executors.newFixedThreadPool(2);
    private final Map<Long, SmppServerSession> sessions = new ConcurrentHashMap<>();
    private final List<ReceivedReceipt> received = new CopyOnWriteArrayList<>();
    private final List<ReceivedReceipt> acknowledged = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong receiptCount = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong binds = new AtomicLong();
    private final AtomicInteger roundRobin = new AtomicInteger();
    private volatile ReceiptAnswer answer = (r, n) -> SmppConstants.STATUS_OK;
    private volatile boolean recordReceipts = true;

    private FakeGatewayServer(String systemId, String password, int port) throws Exception {
        this.systemId = systemId;
        this.password = password;
        this.port = port;
        SmppServerConfiguration c = new SmppServerConfiguration();
        c.setName("fake-gateway");
        c.setHost("127.0.0.1");
        c.setPort(port);
        c.setMaxConnectionSize(64);
        c.setNonBlockingSocketsEnabled(true);
        c.setReuseAddress(true);
        c.setDefaultWindowSize(1000);
        c.setDefaultWindowWaitTimeout(30_000);
        c.setDefaultRequestExpiryTimeout(30_000);
        c.setDefaultWindowMonitorInterval(5_000);
        c.setDefaultSessionCountersEnabled(false);
        c.setJmxEnabled(false);
        c.setBindTimeout(5_000);
        server = new DefaultSmppServer(c, new ServerHandler(), timer, boss, workers);
        server.start();
    }

    /** Starts a fake gateway on a free loopback port that accepts this system_id and password. */
    public static FakeGatewayServer start(String systemId, String password) throws Exception {
        return new FakeGatewayServer(systemId, password, LoopbackPorts.free());
    }

    /** Starts a fake gateway on a given loopback port (to come back where a dropped one was). */
    public static FakeGatewayServer startOnPort(String systemId, String password, int port) throws Exception {
        return new FakeGatewayServer(systemId, password, port);
    }

    public int port() {
        return port;
    }

    /** Decides how receipts are answered from now on. */
    public void answerReceipts(ReceiptAnswer answer) {
        this.answer = answer;
    }

    /** Keep every receipt PDU (true, default) or only count them (for load runs). */
    public void recordReceipts(boolean record) {
        this.recordReceipts = record;
    }

    public int boundSessions() {
        return sessions.size();
    }

    public long binds() {
        return binds.get();
    }

    public boolean awaitSessions(int n, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (sessions.size() >= n) {
                return true;
            }
            Thread.sleep(10);
        }
        return sessions.size() >= n;
    }

    /** Sends a submit_sm over a bound session that takes submits (round-robin); returns the carrier's answer. */
    public SubmitSmResp submitRaw(String source, String destination, String text) throws Exception {
        // a client sees its bind_resp a moment before the server registers the session: wait for it
        List<SmppServerSession> candidates = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (candidates.isEmpty() && System.nanoTime() < end) {
            for (SmppServerSession s : sessions.values()) {
                if (s.isBound() && s.getBindType() != SmppBindType.TRANSMITTER) {
                    candidates.add(s);
                }
            }
            if (candidates.isEmpty()) {
                Thread.sleep(5);
            }
        }
        if (candidates.isEmpty()) {
            throw new IllegalStateException("no bound session takes submit_sm");
        }
        SmppSession s = candidates.get(Math.floorMod(roundRobin.getAndIncrement(), candidates.size()));
        SubmitSm sm = new SubmitSm();
        sm.setSourceAddress(new Address((byte) 5, (byte) 0, source));
        sm.setDestAddress(new Address((byte) 1, (byte) 1, destination));
        sm.setRegisteredDelivery((byte) 1);
        sm.setShortMessage(text.getBytes(StandardCharsets.ISO_8859_1));
        return s.submit(sm, 10_000);
    }

    /** Sends an enquire_link over every bound session; true when each was answered within the timeout. */
    public boolean enquireLinkAll(long timeoutMillis) throws Exception {
        if (sessions.isEmpty()) {
            return false;
        }
        for (SmppServerSession s : sessions.values()) {
            try {
                s.enquireLink(new com.cloudhopper.smpp.pdu.EnquireLink(), timeoutMillis);
            } catch (com.cloudhopper.smpp.type.SmppTimeoutException e) {
                return false;
            }
        }
        return true;
    }

    /** Sends a submit_sm and returns the carrier's message id; fails when the carrier rejects it. */
    public String submit(String source, String destination, String text) throws Exception {
        SubmitSmResp resp = submitRaw(source, destination, text);
        if (resp.getCommandStatus() != 0) {
            throw new IllegalStateException("submit rejected with 0x" + Integer.toHexString(resp.getCommandStatus()));
        }
        return resp.getMessageId();
    }

    /** Every receipt PDU received, retries included, in order of arrival. */
    public List<ReceivedReceipt> receipts() {
        return List.copyOf(received);
    }

    /** Receipts answered with OK, in order. */
    public List<ReceivedReceipt> acknowledged() {
        synchronized (acknowledged) {
            return List.copyOf(acknowledged);
        }
    }

    public long receiptCount() {
        return receiptCount.get();
    }

    public long acknowledgedCount() {
        return receiptCount.get() - throttled.get() - refusedCount.get();
    }

    public long throttledCount() {
        return throttled.get();
    }

    private final AtomicLong refusedCount = new AtomicLong();

    /** Ids of the receipts acknowledged, with how often each was acknowledged. */
    public Map<String, Integer> acknowledgedIds() {
        Map<String, Integer> out = new HashMap<>();
        for (ReceivedReceipt r : acknowledged()) {
            out.merge(r.id(), 1, Integer::sum);
        }
        return out;
    }

    /** Closes every session from the server side, as a crashing gateway or a cut network would. */
    public void dropSessions() {
        for (SmppServerSession s : sessions.values()) {
            s.close();
        }
    }

    @Override
    public void close() {
        server.stop();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        server.destroy();
        responders.shutdownNow();
        timer.shutdownNow();
    }


    private final class ServerHandler implements SmppServerHandler {
        @Override
        public void sessionBindRequested(Long sessionId, SmppSessionConfiguration config, BaseBind bindRequest)
                throws SmppProcessingException {
            if (!systemId.equals(config.getSystemId())) {
                throw new SmppProcessingException(SmppConstants.STATUS_INVSYSID);
            }
            if (!password.equals(config.getPassword())) {
                throw new SmppProcessingException(SmppConstants.STATUS_INVPASWD);
            }
            LoggingOptions quiet = new LoggingOptions();
            quiet.setLogPdu(false);
            quiet.setLogBytes(false);
            config.setLoggingOptions(quiet);
            config.setName("fake-gateway-" + sessionId);
        }

        @Override
        public void sessionCreated(Long sessionId, SmppServerSession session, BaseBindResp preparedBindResponse) {
            session.serverReady(new SessionHandler(sessionId, session));
            sessions.put(sessionId, session);
            binds.incrementAndGet();
        }

        @Override
        public void sessionDestroyed(Long sessionId, SmppServerSession session) {
            sessions.remove(sessionId);
            session.destroy();
        }
    }

    private final class SessionHandler extends DefaultSmppSessionHandler {
        private final long sessionId;
        private final SmppServerSession session;

        SessionHandler(long sessionId, SmppServerSession session) {
            this.sessionId = sessionId;
            this.session = session;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public PduResponse firePduRequestReceived(PduRequest request) {
            PduResponse resp = request.createResponse();
            int cmd = request.getCommandId();
            if (cmd == SmppConstants.CMD_ID_DELIVER_SM || cmd == SmppConstants.CMD_ID_DATA_SM) {
                BaseSm<?> sm = (BaseSm<?>) request;
                Map<Short, byte[]> tlvs = new HashMap<>();
                if (sm.getOptionalParameters() != null) {
                    for (Tlv t : sm.getOptionalParameters()) {
                        tlvs.put(t.getTag(), t.getValue());
                    }
                }
                byte[] body = sm.getShortMessage();
                ReceivedReceipt r = new ReceivedReceipt(cmd, sm.getEsmClass(), addr(sm.getSourceAddress()),
                        addr(sm.getDestAddress()),
                        body == null ? "" : new String(body, StandardCharsets.ISO_8859_1), Map.copyOf(tlvs), sessionId);
                long n = receiptCount.incrementAndGet();
                int status = answer.status(r, n);
                if (recordReceipts) {
                    received.add(r);
                }
                if (status == SmppConstants.STATUS_OK) {
                    if (recordReceipts) {
                        acknowledged.add(r);
                    }
                } else if (SimCarrierSettings.DEFAULT_RETRY_STATUSES.contains(status)) {
                    throttled.incrementAndGet();
                } else {
                    refusedCount.incrementAndGet();
                }
                resp.setCommandStatus(status);
            }
            responders.execute(() -> {
                try {
                    session.sendResponsePdu(resp);
                } catch (Exception e) {
                    // session gone: the carrier will send the receipt again
                }
            });
            return null;
        }
    }

    private static String addr(Address a) {
        return a == null || a.getAddress() == null ? "" : a.getAddress();
    }

    /** Waits until {@code condition} holds; for helpers that do not want Awaitility. */
    public static boolean waitFor(java.util.function.BooleanSupplier condition, Duration timeout)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
        return condition.getAsBoolean();
    }
}
