package io.dlrgate.config;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One carrier: it binds to the gateway, or the gateway binds to it ({@link #connect()}), or both.
 *
 * @param id               the gateway's own name for the carrier (labels, routes, reports)
 * @param systemId         the system_id the carrier binds with (unique across carriers)
 * @param password         the bind password
 * @param bindTypes        bind types this carrier may use
 * @param maxBinds         concurrent bound sessions allowed
 * @param allowedIps       addresses or CIDR ranges binds may come from; empty allows any
 * @param windowSize       submit_sm requests in flight per session at most
 * @param maxSubmitRate    submit_sm per second to this carrier at most, across its sessions
 * @param prefixes         E.164 prefixes routed to this carrier ({@code +44}, {@code +3361}); longest match wins
 * @param defaultValidity  validity period sent with each submit unless a send asks for another
 * @param receiptTimeZone  time zone of the dates in this carrier's receipts
 * @param submitIdFormat   how ids in this carrier's submit_sm_resp are written
 * @param receiptIdFormat  how ids in this carrier's receipts are written
 * @param throttleStatus   command_status answered to a receipt that cannot be stored now (carriers retry it)
 * @param statMapping      per-carrier overrides of the stat-to-tab mapping
 * @param errorClasses     per-carrier overrides of the bounce classification, by {@link ErrorKeys} key
 *                         ({@code err} values, {@code net:type:code}, {@code submit:status}); never NONE
 * @param idReuseHorizon   a receipt matches only a message sent within this long before it arrived: older messages
 *                         with the same id are from an earlier cycle of the carrier's recycled ids; zero: no horizon
 * @param connect          how the gateway binds out to the carrier's SMSC, or null when it only waits for the
 *                         carrier's binds. A carrier with {@code connect} may have no {@code systemId} and
 *                         {@code password} (null): it never binds in
 * @param senders          the senders this carrier takes and the TON/NPI it wants for them
 * @param longMessages     how content longer than one short message goes to this carrier (UDH, SAR or payload)
 */
public record CarrierConfig(
        String id,
        String systemId,
        String password,
        Set<BindType> bindTypes,
        int maxBinds,
        List<String> allowedIps,
        int windowSize,
        int maxSubmitRate,
        List<String> prefixes,
        Duration defaultValidity,
        ZoneId receiptTimeZone,
        MessageIdFormat submitIdFormat,
        MessageIdFormat receiptIdFormat,
        int throttleStatus,
        Map<String, Tab> statMapping,
        Map<String, BounceClass> errorClasses,
        Duration idReuseHorizon,
        ConnectConfig connect,
        CarrierSenders senders,
        LongMessages longMessages) {

    /** The id-reuse horizon when none is configured and the validity and grace settings are the defaults. */
    public static final Duration DEFAULT_ID_REUSE_HORIZON = Duration.ofDays(7);

    /** Ten years: far beyond any use, and small enough for microsecond arithmetic in queries. */
    public static final Duration MAX_ID_REUSE_HORIZON = Duration.ofDays(3650);

    /**
     * The horizon a carrier gets when it names none: a week, or a day beyond the last moment a receipt is still
     * awaited ({@code dispatch.max_validity + expiry.grace}) when that is longer: the horizon must not cut off
     * receipts the gateway still waits for.
     */
    public static Duration defaultIdReuseHorizon(Duration lastReceiptAwaited) {
        Duration beyond = lastReceiptAwaited.plusDays(1);
        return beyond.compareTo(DEFAULT_ID_REUSE_HORIZON) > 0 ? beyond : DEFAULT_ID_REUSE_HORIZON;
    }

    public CarrierConfig {
        bindTypes = Set.copyOf(bindTypes);
        allowedIps = List.copyOf(allowedIps);
        prefixes = List.copyOf(prefixes);
        statMapping = Map.copyOf(statMapping);
        errorClasses = errorClasses == null ? Map.of() : Map.copyOf(errorClasses);
        idReuseHorizon = idReuseHorizon == null ? DEFAULT_ID_REUSE_HORIZON : idReuseHorizon;
        senders = senders == null ? CarrierSenders.ANY : senders;
        longMessages = longMessages == null ? LongMessages.DEFAULT : longMessages;
    }

    /** With long messages sent the default way (UDH, 8-bit reference). */
    public CarrierConfig(String id, String systemId, String password, Set<BindType> bindTypes, int maxBinds,
                         List<String> allowedIps, int windowSize, int maxSubmitRate, List<String> prefixes,
                         Duration defaultValidity, ZoneId receiptTimeZone, MessageIdFormat submitIdFormat,
                         MessageIdFormat receiptIdFormat, int throttleStatus, Map<String, Tab> statMapping,
                         Map<String, BounceClass> errorClasses, Duration idReuseHorizon, ConnectConfig connect,
                         CarrierSenders senders) {
        this(id, systemId, password, bindTypes, maxBinds, allowedIps, windowSize, maxSubmitRate, prefixes,
                defaultValidity, receiptTimeZone, submitIdFormat, receiptIdFormat, throttleStatus, statMapping,
                errorClasses, idReuseHorizon, connect, senders, null);
    }

    /** A carrier that only binds in, taking any sender. */
    public CarrierConfig(String id, String systemId, String password, Set<BindType> bindTypes, int maxBinds,
                         List<String> allowedIps, int windowSize, int maxSubmitRate, List<String> prefixes,
                         Duration defaultValidity, ZoneId receiptTimeZone, MessageIdFormat submitIdFormat,
                         MessageIdFormat receiptIdFormat, int throttleStatus, Map<String, Tab> statMapping,
                         Map<String, BounceClass> errorClasses, Duration idReuseHorizon) {
        this(id, systemId, password, bindTypes, maxBinds, allowedIps, windowSize, maxSubmitRate, prefixes,
                defaultValidity, receiptTimeZone, submitIdFormat, receiptIdFormat, throttleStatus, statMapping,
                errorClasses, idReuseHorizon, null, null);
    }

    /** Without bounce classification overrides, with the default id-reuse horizon, taking any sender. */
    public CarrierConfig(String id, String systemId, String password, Set<BindType> bindTypes, int maxBinds,
                         List<String> allowedIps, int windowSize, int maxSubmitRate, List<String> prefixes,
                         Duration defaultValidity, ZoneId receiptTimeZone, MessageIdFormat submitIdFormat,
                         MessageIdFormat receiptIdFormat, int throttleStatus, Map<String, Tab> statMapping) {
        this(id, systemId, password, bindTypes, maxBinds, allowedIps, windowSize, maxSubmitRate, prefixes,
                defaultValidity, receiptTimeZone, submitIdFormat, receiptIdFormat, throttleStatus, statMapping, null,
                null);
    }

    /** The allow-list built from {@link #allowedIps()}; empty allows any address. Build it once and keep it. */
    public IpAllowList ipAllowList() {
        return IpAllowList.parse(allowedIps);
    }

    /** Whether this carrier may bind to the gateway at all (it has inbound credentials). */
    public boolean acceptsBinds() {
        return systemId != null;
    }

    /** A copy that binds out as {@code connect} says (null: binds in only). */
    public CarrierConfig withConnect(ConnectConfig connect) {
        return new CarrierConfig(id, systemId, password, bindTypes, maxBinds, allowedIps, windowSize, maxSubmitRate,
                prefixes, defaultValidity, receiptTimeZone, submitIdFormat, receiptIdFormat, throttleStatus,
                statMapping, errorClasses, idReuseHorizon, connect, senders, longMessages);
    }

    /** A copy that sends long messages as {@code longMessages} says. */
    public CarrierConfig withLongMessages(LongMessages longMessages) {
        return new CarrierConfig(id, systemId, password, bindTypes, maxBinds, allowedIps, windowSize, maxSubmitRate,
                prefixes, defaultValidity, receiptTimeZone, submitIdFormat, receiptIdFormat, throttleStatus,
                statMapping, errorClasses, idReuseHorizon, connect, senders, longMessages);
    }

    /** Whether this carrier may bind with this bind type. */
    public boolean allows(BindType bindType) {
        return bindTypes.contains(bindType);
    }

    @Override
    public String toString() {
        // Never print the password.
        return "CarrierConfig[id=" + id + ", systemId=" + systemId + ", bindTypes=" + bindTypes
                + ", maxBinds=" + maxBinds + ", prefixes=" + prefixes + (connect == null ? "" : ", connect=" + connect)
                + "]";
    }
}
