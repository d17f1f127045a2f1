package io.dlrgate.simulator.carrier;

import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.SmppSessionConfiguration;
import com.cloudhopper.smpp.pdu.BaseSm;
import com.cloudhopper.smpp.tlv.Tlv;
import com.cloudhopper.smpp.type.LoggingOptions;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** Shared SMPP plumbing of the simulator's client sessions. */
public final class SmppSessions {
    private SmppSessions() {
    }

    /**
     * A client session configuration: SMPP 3.4, PDU logging off, window and timeouts as given.
     * Requests that get no answer within {@code requestTimeoutMillis} expire (the window monitor runs every second).
     */
    public static SmppSessionConfiguration configuration(String name, String host, int port, SmppBindType type,
                                                         String systemId, String password, int windowSize,
                                                         long requestTimeoutMillis) {
        SmppSessionConfiguration c = new SmppSessionConfiguration(type, systemId, password);
        c.setName(name);
        c.setHost(host);
        c.setPort(port);
        c.setInterfaceVersion(SmppConstants.VERSION_3_4);
        c.setConnectTimeout(5_000);
        c.setBindTimeout(5_000);
        c.setWindowSize(windowSize);
        c.setWindowWaitTimeout(requestTimeoutMillis);
        c.setRequestExpiryTimeout(requestTimeoutMillis);
        c.setWindowMonitorInterval(1_000);
        c.setWriteTimeout(10_000);
        c.setCountersEnabled(false);
        LoggingOptions logging = new LoggingOptions();
        logging.setLogPdu(false);
        logging.setLogBytes(false);
        c.setLoggingOptions(logging);
        return c;
    }

    /**
     * The text of a submit_sm/data_sm: short_message, or message_payload when short_message is empty.
     * data_coding 0x08 is UCS-2 (UTF-16BE); anything else is read as ISO-8859-1 (the GSM basic characters the
     * gateway sends unpacked coincide with it for letters, digits and common punctuation).
     */
    public static String text(BaseSm<?> sm) {
        byte[] bytes = sm.getShortMessage();
        if (bytes == null || bytes.length == 0) {
            Tlv payload = sm.getOptionalParameter(SmppConstants.TAG_MESSAGE_PAYLOAD);
            bytes = payload == null ? new byte[0] : payload.getValue();
        }
        if (bytes == null) {
            return "";
        }
        Charset cs = sm.getDataCoding() == 0x08 ? StandardCharsets.UTF_16BE : StandardCharsets.ISO_8859_1;
        return new String(bytes, cs);
    }

    /** True for 127.0.0.0/8, ::1 and "localhost". */
    public static boolean isLoopback(String host) {
        String h = host.trim().toLowerCase(java.util.Locale.ROOT);
        return h.equals("localhost") || h.equals("::1") || h.equals("[::1]") || h.matches("127(\\.\\d{1,3}){3}");
    }
}
