package io.dlrgate.simulator.carrier;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.type.SmppBindException;
import com.cloudhopper.smpp.type.SmppChannelConnectException;
import java.util.concurrent.TimeUnit;

/**
 * Which failed binds end a carrier instead of being retried: a bind_resp refusing the credentials (retrying
 * cannot help, and the gateway delays and then locks out an address that keeps failing), and a gateway that
 * cannot be reached before the carrier was ever bound (a mistyped host or port, or no gateway at all). Once a
 * carrier has been bound, a gateway that goes away is retried: it may be restarting.
 */
final class BindFailure {
    /** How long a carrier that was never bound keeps trying to reach the gateway: it may still be starting. */
    static final long UNREACHABLE_GIVE_UP_MILLIS = 5_000;

    private BindFailure() {
    }

    /**
     * @param firstAttemptNanos {@link System#nanoTime()} of this bind's first attempt
     * @return the reason the carrier must stop, in a few words, or null to retry
     */
    static String fatal(Exception e, boolean everBound, long firstAttemptNanos, SimCarrierSettings config) {
        if (e instanceof SmppBindException b && b.getBindResponse() != null) {
            int status = b.getBindResponse().getCommandStatus();
            String refused = switch (status) {
                case SmppConstants.STATUS_INVPASWD -> "wrong password (ESME_RINVPASWD)";
                case SmppConstants.STATUS_INVSYSID -> "unknown system_id (ESME_RINVSYSID)";
                case SmppConstants.STATUS_BINDFAIL -> "bind refused (ESME_RBINDFAIL: wrong credentials, a bind type "
                        + "the carrier may not use, or this address is locked out after failed binds)";
                default -> null;
            };
            return refused == null ? null : "the gateway at " + config.host() + ":" + config.port() + " refused "
                    + "system_id " + config.systemId() + ": " + refused;
        }
        if (e instanceof SmppChannelConnectException && !everBound && System.nanoTime() - firstAttemptNanos
                >= TimeUnit.MILLISECONDS.toNanos(UNREACHABLE_GIVE_UP_MILLIS)) {
            return "no gateway reachable at " + config.host() + ":" + config.port() + " (tried for "
                    + UNREACHABLE_GIVE_UP_MILLIS / 1000 + " s: " + e.getMessage() + ")";
        }
        return null;
    }
}
