package io.dlrgate.simulator.testing;

import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.SmppSession;
import com.cloudhopper.smpp.impl.DefaultSmppClient;
import com.cloudhopper.smpp.impl.DefaultSmppSessionHandler;
import com.cloudhopper.smpp.pdu.BaseSm;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.pdu.SubmitSmResp;
import com.cloudhopper.smpp.tlv.Tlv;
import com.cloudhopper.smpp.type.Address;
import io.dlrgate.simulator.carrier.SmppSessions;
import io.netty.channel.nio.NioEventLoopGroup;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * An ESME for the simulator's SMSC-role tests: ch-smpp's client binds to the simulated SMSC (one session per bind
 * type given), submits with registered_delivery, and collects the receipts that arrive (deliver_sm or data_sm),
 * answering each OK. Loopback only.
 */
public final class TestEsme implements AutoCloseable {

    /** A receipt as it arrived, and on which bind. */
    public record Receipt(int commandId, SmppBindType arrivedOn, String text, String receiptedId) {
        private static final Pattern ID = Pattern.compile("(?i)\\bid:(\\S+)");
        private static final Pattern STAT = Pattern.compile("(?i)\\bstat:(\\S+)");

        /** receipted_message_id when present, else the {@code id:} field of the text. */
        public String id() {
            if (receiptedId != null) {
                return receiptedId;
            }
            Matcher m = ID.matcher(text);
            return m.find() ? m.group(1) : "";
        }

        public String stat() {
            Matcher m = STAT.matcher(text);
            return m.find() ? m.group(1) : "";
        }
    }

    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final DefaultSmppClient client = new DefaultSmppClient(group, timer);
    private final List<SmppSession> sessions = new CopyOnWriteArrayList<>();
    private final List<Receipt> receipts = new CopyOnWriteArrayList<>();
    private final int port;
    private final String systemId;
    private final String password;

    public TestEsme(int port, String systemId, String password) {
        this.port = port;
        this.systemId = systemId;
        this.password = password;
    }

    /** Binds one session of this type; throws (SmppBindException with the bind_resp) when refused. */
    public SmppSession bind(SmppBindType type) throws Exception {
        SmppSession s = client.bind(SmppSessions.configuration("esme-" + type, "127.0.0.1", port, type, systemId,
                password, 100, 10_000), new Handler(type));
        sessions.add(s);
        return s;
    }

    /** Submits on the first bound session that may submit (transmitter or transceiver). */
    public SubmitSmResp submit(String destination, String text) throws Exception {
        return submit(destination, text, 10_000);
    }

    public SubmitSmResp submit(String destination, String text, long timeoutMillis) throws Exception {
        return submitter().submit(submitSm(destination, text), timeoutMillis);
    }

    public static SubmitSm submitSm(String destination, String text) throws Exception {
        SubmitSm sm = new SubmitSm();
        sm.setSourceAddress(new Address((byte) 5, (byte) 0, "ACME"));
        sm.setDestAddress(new Address((byte) 1, (byte) 1, destination));
        sm.setRegisteredDelivery(SmppConstants.REGISTERED_DELIVERY_SMSC_RECEIPT_REQUESTED);
        sm.setShortMessage(text.getBytes(StandardCharsets.ISO_8859_1));
        return sm;
    }

    public SmppSession submitter() {
        for (SmppSession s : sessions) {
            if (s.isBound() && s.getBindType() != SmppBindType.RECEIVER
                    && ((com.cloudhopper.smpp.impl.DefaultSmppSession) s).getChannel().isActive()) {
                return s;
            }
        }
        throw new IllegalStateException("no bound transmitter or transceiver session");
    }

    public List<Receipt> receipts() {
        return List.copyOf(receipts);
    }

    /** Waits until at least n receipts arrived; true when they did. */
    public boolean awaitReceipts(int n, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (receipts.size() < n && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        return receipts.size() >= n;
    }

    public List<SmppSession> sessions() {
        return List.copyOf(sessions);
    }

    @Override
    public void close() {
        for (SmppSession s : sessions) {
            try {
                if (s.isBound()) {
                    s.unbind(2_000);
                }
            } catch (RuntimeException e) {
                // closing anyway
            }
            s.destroy();
        }
        client.destroy();
        timer.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private final class Handler extends DefaultSmppSessionHandler {
        private final SmppBindType type;

        Handler(SmppBindType type) {
            super(LoggerFactory.getLogger(TestEsme.class));
            this.type = type;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public PduResponse firePduRequestReceived(PduRequest request) {
            if (request instanceof BaseSm<?> sm && (request.getCommandId() == SmppConstants.CMD_ID_DELIVER_SM
                    || request.getCommandId() == SmppConstants.CMD_ID_DATA_SM)) {
                Tlv r = sm.getOptionalParameter(SmppConstants.TAG_RECEIPTED_MSG_ID);
                String rid = null;
                if (r != null) {
                    byte[] v = r.getValue();
                    int n = v.length > 0 && v[v.length - 1] == 0 ? v.length - 1 : v.length;
                    rid = new String(v, 0, n, StandardCharsets.ISO_8859_1);
                }
                receipts.add(new Receipt(request.getCommandId(), type, text(sm), rid));
            }
            return request.createResponse();
        }

        private String text(BaseSm<?> sm) {
            byte[] b = sm.getShortMessage();
            if (b == null || b.length == 0) {
                Tlv p = sm.getOptionalParameter(SmppConstants.TAG_MESSAGE_PAYLOAD);
                b = p == null ? new byte[0] : p.getValue();
            }
            return new String(b, StandardCharsets.ISO_8859_1);
        }
    }

    /** All receipts that arrived on binds of this type. */
    public List<Receipt> receiptsOn(SmppBindType type) {
        List<Receipt> out = new ArrayList<>();
        for (Receipt r : receipts) {
            if (r.arrivedOn() == type) {
                out.add(r);
            }
        }
        return out;
    }
}
