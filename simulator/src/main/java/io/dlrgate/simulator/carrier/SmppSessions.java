package io.dlrgate.simulator.carrier;

import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.SmppSessionConfiguration;
import com.cloudhopper.smpp.pdu.BaseSm;
import com.cloudhopper.smpp.tlv.Tlv;
import com.cloudhopper.smpp.type.LoggingOptions;
import com.cloudhopper.commons.charset.CharsetUtil;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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
     * The text of a submit_sm/data_sm: short_message, or message_payload when short_message is empty, without its
     * user data header when esm_class has the UDHI bit (0x40: a part of a concatenated message). Decoded by
     * data_coding as an SMSC does: 0x00 is the GSM 03.38 default alphabet, one septet per byte with the extension
     * table behind ESC (what the gateway sends; read as Latin-1, '@' would be NUL and '£' 0x01), 0x08 UCS-2
     * (UTF-16BE), 0x01 IA5 (ASCII), anything else ISO-8859-1.
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
        if ((sm.getEsmClass() & SmppConstants.ESM_CLASS_UDHI_MASK) != 0 && bytes.length > 0) {
            int udhLength = 1 + (bytes[0] & 0xFF); // UDHL, then the header itself
            bytes = udhLength >= bytes.length ? new byte[0] : Arrays.copyOfRange(bytes, udhLength, bytes.length);
        }
        return switch (sm.getDataCoding()) {
            case 0x00 -> CharsetUtil.decode(bytes, CharsetUtil.CHARSET_GSM);
            case 0x01 -> new String(bytes, StandardCharsets.US_ASCII);
            case 0x08 -> new String(bytes, StandardCharsets.UTF_16BE);
            default -> new String(bytes, StandardCharsets.ISO_8859_1);
        };
    }

    /** True for 127.0.0.0/8, ::1 and "localhost". */
    public static boolean isLoopback(String host) {
        String h = host.trim().toLowerCase(java.util.Locale.ROOT);
        return h.equals("localhost") || h.equals("::1") || h.equals("[::1]") || h.matches("127(\\.\\d{1,3}){3}");
    }
}
