package io.dlrgate.gateway.smpp;

import com.cloudhopper.smpp.SmppConstants;
import io.dlrgate.config.BindType;
import io.dlrgate.config.CarrierConfig;
import io.dlrgate.config.IpAllowList;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides whether a bind's credentials, bind type and source address are acceptable for some carrier.
 * The bind limit is not checked here: it depends on live sessions, see {@link CarrierSessions#tryReserve}.
 *
 * <p>Order of checks and answers:
 * <ol>
 *   <li>unknown system_id: ESME_RINVSYSID;</li>
 *   <li>source address not in the carrier's allow-list: ESME_RBINDFAIL. Checked before the password on purpose:
 *       an address that may not bind at all learns nothing about whether it guessed the password;</li>
 *   <li>wrong password: ESME_RINVPASWD (compared in constant time);</li>
 *   <li>bind type not allowed for the carrier: ESME_RBINDFAIL.</li>
 * </ol>
 */
final class CarrierAuthenticator {

    /** A bind refused, with the command_status to answer and a reason for the log (never the password). */
    static final class Rejected extends Exception {
        private final int status;
        private final boolean guess;

        Rejected(int status, String reason, boolean guess) {
            super(reason, null, false, false);
            this.status = status;
            this.guess = guess;
        }

        int status() {
            return status;
        }

        /** Refused for its credentials (system_id, password, address): a guess, as far as throttling goes. */
        boolean isGuess() {
            return guess;
        }
    }

    private record Entry(CarrierConfig carrier, IpAllowList allowList) {
    }

    private final Map<String, Entry> bySystemId = new HashMap<>();

    CarrierAuthenticator(List<CarrierConfig> carriers) {
        for (CarrierConfig c : carriers) {
            if (!c.acceptsBinds()) {
                continue; // the gateway binds out to it (connect): it never binds in
            }
            Entry previous = bySystemId.put(c.systemId(), new Entry(c, IpAllowList.parse(c.allowedIps())));
            if (previous != null) {
                throw new IllegalArgumentException("carriers " + previous.carrier().id() + " and " + c.id()
                        + " share system_id " + c.systemId());
            }
        }
    }

    /** Returns the carrier this bind authenticates as, or throws {@link Rejected}. */
    CarrierConfig authenticate(String systemId, String password, BindType type, InetAddress from) throws Rejected {
        Entry entry = systemId == null ? null : bySystemId.get(systemId);
        if (entry == null) {
            throw new Rejected(SmppConstants.STATUS_INVSYSID, "unknown system_id", true);
        }
        CarrierConfig carrier = entry.carrier();
        if (!entry.allowList().allows(from)) {
            throw new Rejected(SmppConstants.STATUS_BINDFAIL,
                    "address " + (from == null ? "?" : from.getHostAddress()) + " not in the allow-list", true);
        }
        if (!passwordMatches(carrier.password(), password)) {
            throw new Rejected(SmppConstants.STATUS_INVPASWD, "wrong password", true);
        }
        if (type == null || !carrier.bindTypes().contains(type)) {
            throw new Rejected(SmppConstants.STATUS_BINDFAIL,
                    "bind type " + (type == null ? "?" : type.configName()) + " not allowed (allowed: "
                            + carrier.bindTypes().stream().map(BindType::configName).sorted().toList() + ")", false);
        }
        return carrier;
    }

    private static boolean passwordMatches(String expected, String given) {
        byte[] a = (expected == null ? "" : expected).getBytes(StandardCharsets.UTF_8);
        byte[] b = (given == null ? "" : given).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(a, b);
    }
}
