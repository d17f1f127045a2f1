package io.dlrgate.gateway.smpp.client;

import com.cloudhopper.smpp.type.GenericNackException;
import com.cloudhopper.smpp.type.SmppBindException;
import com.cloudhopper.smpp.type.SmppTimeoutException;
import com.cloudhopper.smpp.type.UnexpectedPduResponseException;
import io.dlrgate.gateway.metrics.GatewayMetrics;
import io.dlrgate.gateway.smpp.SmppStatusNames;
import io.dlrgate.reporting.logging.LogText;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Why an attempt to bind out failed, as one readable phrase for the log line and one bounded word for the metric
 * ({@code dlrgate_smpp_connect_failures_total{reason}}). Never a stack trace: these are facts about the network
 * and the SMSC, not bugs.
 *
 * @param reason       the metric's label, one of {@link GatewayMetrics#CONNECT_FAILURE_REASONS}
 * @param text         what went wrong, escaped for the log
 * @param bindRejected the SMSC answered the bind with an error: retry at the slow end of the backoff
 */
record ConnectFailure(String reason, String text, boolean bindRejected) {

    static final String REFUSED = "refused";
    static final String TIMEOUT = "timeout";
    static final String UNKNOWN_HOST = "unknown_host";
    static final String UNREACHABLE = "unreachable";
    static final String TLS = "tls";
    static final String BIND_REJECTED = "bind_rejected";
    static final String BIND_TIMEOUT = "bind_timeout";
    static final String CLOSED = "closed";
    static final String IO = "io";
    /** Not a failed attempt: a bound session closed because its enquire_link went unanswered. */
    static final String ENQUIRE_LINK = "enquire_link";

    static ConnectFailure tls(Throwable cause) {
        return new ConnectFailure(TLS, "TLS handshake failed: " + innermostMessage(cause), false);
    }

    /** @param timeoutMs the connect or bind timeout that ran out, for the text */
    static ConnectFailure of(Throwable e, long timeoutMs) {
        if (e instanceof SmppBindException b) {
            int status = b.getBindResponse() == null ? -1 : b.getBindResponse().getCommandStatus();
            return new ConnectFailure(BIND_REJECTED, "bind refused by the SMSC: " + SmppStatusNames.describe(status),
                    true);
        }
        if (e instanceof GenericNackException) {
            // Some SMSCs answer a bind they will not take (a system_type they do not know, a bind type they do
            // not offer) with generic_nack: as final as an error bind_resp, so not on the ordinary backoff.
            return new ConnectFailure(BIND_REJECTED, "bind answered with generic_nack by the SMSC: "
                    + SmppStatusNames.describe(genericNackStatus(e)), true);
        }
        if (e instanceof UnexpectedPduResponseException u && u.getResponsePdu() != null) {
            return new ConnectFailure(BIND_REJECTED, "bind answered with " + u.getResponsePdu().getName()
                    + " by the SMSC: " + SmppStatusNames.describe(u.getResponsePdu().getCommandStatus()), true);
        }
        if (e instanceof SmppTimeoutException) {
            return new ConnectFailure(BIND_TIMEOUT, "no bind_resp within " + timeoutMs + " ms", false);
        }
        if (hasCause(e, SSLException.class)) {
            return tls(e);
        }
        if (e instanceof UnknownHostException) {
            return new ConnectFailure(UNKNOWN_HOST, "unknown host (" + LogText.escape(e.getMessage(), 200) + ")", false);
        }
        if (e instanceof ConnectTimeoutException) {
            return new ConnectFailure(TIMEOUT, "no answer to the connection within " + timeoutMs + " ms", false);
        }
        if (e instanceof NoRouteToHostException) {
            return new ConnectFailure(UNREACHABLE, "no route to host", false);
        }
        if (e instanceof ConnectException) {
            return new ConnectFailure(REFUSED, "connection refused (nothing listens there?)", false);
        }
        if (e instanceof ClosedChannelException || e instanceof com.cloudhopper.smpp.type.SmppChannelException) {
            return new ConnectFailure(CLOSED, "the SMSC closed the connection before answering the bind", false);
        }
        return new ConnectFailure(IO, LogText.escape(String.valueOf(innermostMessage(e)), 300), false);
    }

    private static final Pattern NACK_STATUS = Pattern.compile("error: 0x([0-9a-fA-F]{1,8})");

    /** ch-smpp's GenericNackException keeps only its message ("... [error: 0x00000008 ...]"): -1 if it changed. */
    private static int genericNackStatus(Throwable e) {
        Matcher m = NACK_STATUS.matcher(String.valueOf(e.getMessage()));
        return m.find() ? Integer.parseUnsignedInt(m.group(1), 16) : -1;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The most specific message in the chain ("PKIX path building failed", "No subject alternative names ..."). */
    private static String innermostMessage(Throwable e) {
        String message = e.getClass().getSimpleName();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        return LogText.escape(message, 300);
    }
}
