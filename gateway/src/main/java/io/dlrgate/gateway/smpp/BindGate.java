package io.dlrgate.gateway.smpp;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.BaseBind;
import com.cloudhopper.smpp.pdu.BaseBindResp;
import com.cloudhopper.smpp.pdu.BindReceiver;
import com.cloudhopper.smpp.pdu.BindTransceiver;
import com.cloudhopper.smpp.pdu.BindTransmitter;
import io.dlrgate.config.BindType;
import io.dlrgate.config.CarrierConfig;
import io.dlrgate.gateway.logging.LogRateLimit;
import io.dlrgate.gateway.metrics.GatewayMetrics;
import io.dlrgate.gateway.security.FailureThrottle;
import io.dlrgate.reporting.logging.LogText;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides a bind before ch-smpp sees it: whether its source address is locked out, then its credentials, and
 * what a failure costs ({@link FailureThrottle}: a growing delay, then a lockout of the address).
 *
 * <p>Why before ch-smpp: ch-smpp answers a refused bind at once, which let passwords be guessed at 500-1,300 a
 * second. A bind refused here is answered by {@link PduGuard} after the delay, on a timer of the connection's
 * event loop: no thread waits, and the connection keeps its place in the unbound budget meanwhile, so one address
 * can have at most {@code smpp.max_unbound_per_address} guesses waiting at once.
 *
 * <p>What counts as a failure: an unknown system_id, a wrong password, an address outside the carrier's
 * {@code allowed_ips} (each is a guess at credentials). A bind with the right credentials refused for its bind
 * type, or later for max_binds, is a carrier's configuration matter: it neither counts nor resets anything.
 */
final class BindGate {

    private static final Logger log = LoggerFactory.getLogger(BindGate.class);

    /** Anyone who can connect can have binds refused at will: one line per refusal, within limits. */
    private final LogRateLimit refusedLines = new LogRateLimit();
    /** One line per lockout; addresses are many, so these are limited too. */
    private final LogRateLimit lockoutLines = new LogRateLimit();

    /** What to do with a bind. */
    sealed interface Verdict permits Accepted, Refused {
    }

    /** Credentials right: ch-smpp goes on with the bind as this carrier. */
    record Accepted(CarrierConfig carrier) implements Verdict {
    }

    /** Answer {@code response} after {@code delay}, then close. */
    record Refused(BaseBindResp response, Duration delay) implements Verdict {
    }

    private final CarrierAuthenticator authenticator;
    private final FailureThrottle throttle;
    private final String systemId;
    private final GatewayMetrics metrics;

    /** @param systemId the gateway's system_id, for the bind_resp */
    BindGate(CarrierAuthenticator authenticator, FailureThrottle throttle, String systemId, GatewayMetrics metrics) {
        this.authenticator = authenticator;
        this.throttle = throttle;
        this.systemId = systemId;
        this.metrics = metrics;
    }

    /**
     * @param from   the source address (the throttle's key)
     * @param remote the whole remote address, for the log
     */
    Verdict check(BaseBind<?> bind, InetAddress from, SocketAddress remote) {
        String address = from == null ? "unknown" : from.getHostAddress();
        if (!throttle.lockedFor(address).isZero()) {
            // Not logged one by one (the lockout was, once) and not counted as failures: nothing is checked.
            return refused(bind, SmppConstants.STATUS_BINDFAIL, Duration.ZERO);
        }
        BindType type = bindType(bind);
        String systemIdGiven = bind.getSystemId();
        try {
            CarrierConfig carrier = authenticator.authenticate(systemIdGiven, bind.getPassword(), type, from);
            throttle.recordSuccess(address, systemIdGiven);
            return new Accepted(carrier);
        } catch (CarrierAuthenticator.Rejected e) {
            Duration delay = Duration.ZERO;
            if (e.isGuess()) {
                FailureThrottle.Failure failure = throttle.recordFailure(address, systemIdGiven);
                delay = failure.delay();
                if (failure.lockoutStarted()) {
                    metrics.bindLockout();
                    FailureThrottle.Policy p = throttle.policy();
                    lockoutLines.warn(log, "binds from {} locked out for {}: {} failed binds within {} "
                            + "(smpp.bind_failures); every bind from there is refused meanwhile", address,
                            failure.lockedFor(), p.limit(), p.window());
                }
            }
            refusedLines.warn(log, "bind refused: system_id={} type={} remote={}: {} (0x{}), answered in {} ms",
                    LogText.escape(systemIdGiven, 32), type == null ? bind.getName() : type.configName(), remote,
                    e.getMessage(), Integer.toHexString(e.status()), delay.toMillis());
            return refused(bind, e.status(), delay);
        }
    }

    private Refused refused(BaseBind<?> bind, int status, Duration delay) {
        BaseBindResp response = (BaseBindResp) bind.createResponse();
        response.setCommandStatus(status);
        response.setSystemId(systemId);
        return new Refused(response, delay);
    }

    static BindType bindType(BaseBind<?> bind) {
        if (bind instanceof BindTransceiver) {
            return BindType.TRANSCEIVER;
        } else if (bind instanceof BindReceiver) {
            return BindType.RECEIVER;
        } else if (bind instanceof BindTransmitter) {
            return BindType.TRANSMITTER;
        }
        return null;
    }
}
