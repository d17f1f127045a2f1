package io.dlrgate.reporting.bounce;

import io.dlrgate.config.BounceClass;
import io.dlrgate.config.CarrierConfig;
import io.dlrgate.config.ErrorKeys;
import io.dlrgate.config.Tab;
import io.dlrgate.reporting.state.StatMapping;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Classes a failure as {@link BounceClass#PERMANENT} or {@link BounceClass#TRANSIENT} by what actually went wrong,
 * not only by the stat word. Pure and immutable: one instance per carrier (the defaults with that carrier's
 * {@code error_classes} laid over them), safe to share between threads.
 *
 * <h2>Receipts</h2>
 * The input is the tab the receipt's stat maps to (with the carrier's stat mapping), its {@code err} and its
 * network_error_code TLV ({@code type:code}). Rows are tried top to bottom:
 * <ol>
 *   <li>Delivered, Pending, Deleted, or no tab: {@link BounceClass#NONE} (not a bounce).</li>
 *   <li>Soft bounces (EXPIRED): {@link BounceClass#TRANSIENT}.</li>
 *   <li>Hard bounces (UNDELIV, REJECTD): the carrier's override of {@code err}; else its override of the
 *       network_error_code ({@code "3:27"}); else the default GSM MAP table on the TLV's code when it is a GSM
 *       code (network type 3, or 0 for carriers that write the code as ASCII digits); else the default table on
 *       {@code err} (most carriers put the MAP cause there); else {@link BounceClass#PERMANENT}: a hard bounce
 *       nobody explained is taken at its word.</li>
 * </ol>
 * {@code err} values are compared by {@link ErrorKeys#err}: {@code "001"}, {@code "01"} and {@code "1"} are one.
 *
 * <h2>Submit failures</h2>
 * A submit_sm_resp error status: the carrier's override ({@code submit:0x0B}); else the default submit table;
 * else {@link BounceClass#TRANSIENT}. Most submit errors are about the request, the bind or the carrier, not about
 * the number, and only what is certainly about the number may count toward suppressing it. No answer at all
 * (timeouts, a message that cannot be encoded) is {@link BounceClass#TRANSIENT}.
 */
public final class BounceClassifier {

    /**
     * GSM MAP error codes, local values from 3GPP TS 29.002 (MAP), chapter 17.6.6 "Error types" / the
     * MAP-Errors ASN.1 module (the same values are in e.g. RestComm jSS7's {@code MAPErrorCode}). The class says
     * whether sending to the same number again later can succeed.
     */
    static final Map<Integer, BounceClass> GSM_MAP_DEFAULTS = Map.ofEntries(
            // identification and numbering: the number does not exist (any more) on the network
            Map.entry(1, BounceClass.PERMANENT),    // unknownSubscriber
            Map.entry(5, BounceClass.PERMANENT),    // unidentifiedSubscriber
            Map.entry(44, BounceClass.PERMANENT),   // numberChanged
            // subscription: the subscriber may not receive SMS
            Map.entry(9, BounceClass.PERMANENT),    // illegalSubscriber
            Map.entry(11, BounceClass.PERMANENT),   // teleserviceNotProvisioned (no SMS in the subscription)
            Map.entry(12, BounceClass.PERMANENT),   // illegalEquipment (blacklisted IMEI)
            Map.entry(13, BounceClass.PERMANENT),   // callBarred
            // absent or busy: the phone is off, out of coverage, or busy right now
            Map.entry(6, BounceClass.TRANSIENT),    // absentSubscriberSM
            Map.entry(27, BounceClass.TRANSIENT),   // absentSubscriber
            Map.entry(31, BounceClass.TRANSIENT),   // subscriberBusyForMT-SMS
            Map.entry(45, BounceClass.TRANSIENT),   // busySubscriber
            // SM-DeliveryFailure carries SM-EnumeratedDeliveryFailureCause, among them memoryCapacityExceeded
            // (the handset's SMS memory is full): the subscriber can make room, so it is transient
            Map.entry(32, BounceClass.TRANSIENT),   // sm-DeliveryFailure (incl. memory capacity exceeded)
            Map.entry(33, BounceClass.TRANSIENT),   // messageWaitingListFull
            // roaming and network conditions
            Map.entry(8, BounceClass.TRANSIENT),    // roamingNotAllowed (while roaming on that network)
            Map.entry(21, BounceClass.TRANSIENT),   // facilityNotSupported (by the visited network)
            Map.entry(29, BounceClass.TRANSIENT),   // shortTermDenial
            Map.entry(51, BounceClass.TRANSIENT),   // resourceLimitation
            // generic errors: a network or protocol fault, not a fact about the number
            Map.entry(34, BounceClass.TRANSIENT),   // systemFailure
            Map.entry(35, BounceClass.TRANSIENT),   // dataMissing
            Map.entry(36, BounceClass.TRANSIENT));  // unexpectedDataValue

    /** submit_sm_resp command_status values (SMPP 3.4 section 5.1.3); anything not listed is transient. */
    static final Map<Integer, BounceClass> SUBMIT_DEFAULTS = Map.ofEntries(
            Map.entry(0x0B, BounceClass.PERMANENT),  // ESME_RINVDSTADR: invalid destination address
            Map.entry(0x08, BounceClass.TRANSIENT),  // ESME_RSYSERR: system error
            Map.entry(0x14, BounceClass.TRANSIENT),  // ESME_RMSGQFUL: message queue full
            Map.entry(0x45, BounceClass.TRANSIENT),  // ESME_RSUBMITFAIL: submit_sm failed
            Map.entry(0x58, BounceClass.TRANSIENT),  // ESME_RTHROTTLED: throttling error
            Map.entry(0x64, BounceClass.TRANSIENT)); // ESME_RX_T_APPN: temporary application error

    private static final BounceClassifier DEFAULTS = new BounceClassifier(Map.of());

    private final Map<String, BounceClass> overrides;

    private BounceClassifier(Map<String, BounceClass> overrides) {
        Map<String, BounceClass> m = new HashMap<>();
        for (Map.Entry<String, BounceClass> e : overrides.entrySet()) {
            Objects.requireNonNull(e.getValue(), "class");
            if (e.getValue() == BounceClass.NONE) {
                throw new IllegalArgumentException("an override must be permanent or transient: " + e.getKey());
            }
            m.put(ErrorKeys.configKey(e.getKey()), e.getValue());
        }
        this.overrides = Map.copyOf(m);
    }

    /** The default tables only. */
    public static BounceClassifier defaults() {
        return DEFAULTS;
    }

    /** The defaults with these overrides (keys as in {@code carriers[].error_classes}: "001", "3:27", "submit:0x0B"). */
    public static BounceClassifier withOverrides(Map<String, BounceClass> overrides) {
        return overrides.isEmpty() ? DEFAULTS : new BounceClassifier(overrides);
    }

    /** The classifier for one carrier: the defaults with its {@code error_classes}. */
    public static BounceClassifier forCarrier(CarrierConfig carrier) {
        return withOverrides(carrier.errorClasses());
    }

    /**
     * The class of a receipt.
     *
     * @param statTab          the tab the receipt's stat maps to (null for an unknown or missing stat)
     * @param err              the {@code err} field, null if none
     * @param networkErrorCode the network_error_code TLV as {@code type:code}, null if none
     */
    public BounceClass classifyReceipt(Tab statTab, String err, String networkErrorCode) {
        if (statTab == null) {
            return BounceClass.NONE;
        }
        switch (statTab) {
            case SOFT_BOUNCES:
                return BounceClass.TRANSIENT;
            case HARD_BOUNCES:
                break;
            default:
                return BounceClass.NONE;
        }
        String errKey = ErrorKeys.err(err);
        String netKey = ErrorKeys.network(networkErrorCode);
        BounceClass c = errKey == null ? null : overrides.get(errKey);
        if (c == null && netKey != null) {
            c = overrides.get(netKey);
        }
        if (c == null && netKey != null) {
            String[] parts = netKey.split(":");
            int type = Integer.parseInt(parts[1]);
            if (type == 3 || type == 0) {
                c = GSM_MAP_DEFAULTS.get(Integer.parseInt(parts[2]));
            }
        }
        // ErrorKeys.err turns 1 to 9 ASCII digits into a canonical number; anything else (10 digits, digits of
        // other scripts, letters) is no GSM MAP code. Not Character.isDigit + parseInt: that threw on
        // "9999999999" and failed the carrier's whole batch at every retry.
        if (c == null && ErrorKeys.isDecimal(errKey)) {
            c = GSM_MAP_DEFAULTS.get(Integer.parseInt(errKey));
        }
        return c == null ? BounceClass.PERMANENT : c;
    }

    /** The class of a receipt by its stat word with the default stat mapping (UNDELIV, REJECTD, EXPIRED, ...). */
    public BounceClass classifyStat(String stat, String err, String networkErrorCode) {
        return classifyReceipt(StatMapping.defaults().tabFor(stat).orElse(null), err, networkErrorCode);
    }

    /**
     * The class of a failed submit.
     *
     * @param commandStatus the submit_sm_resp command_status; null when there was no answer (timeout) or the
     *                      message could not be sent at all
     */
    public BounceClass classifySubmit(Integer commandStatus) {
        if (commandStatus == null) {
            return BounceClass.TRANSIENT;
        }
        if (commandStatus == 0) {
            return BounceClass.NONE;
        }
        BounceClass c = overrides.get(ErrorKeys.submit(commandStatus));
        if (c == null) {
            c = SUBMIT_DEFAULTS.get(commandStatus);
        }
        return c == null ? BounceClass.TRANSIENT : c;
    }
}
