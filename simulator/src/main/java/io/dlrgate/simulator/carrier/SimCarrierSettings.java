package io.dlrgate.simulator.carrier;

import com.cloudhopper.smpp.SmppBindType;
import io.dlrgate.simulator.outcome.DelayRange;
import io.dlrgate.simulator.outcome.OutcomeWeights;
import io.dlrgate.simulator.receipt.ReceiptDialect;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything one simulated carrier needs. Build with {@link #builder(String, String)}; every value has a default.
 *
 * @param name                  name in logs and counters (default: the system_id)
 * @param host                  gateway host (default 127.0.0.1)
 * @param port                  gateway SMPP port (default 2775)
 * @param systemId              system_id of the bind
 * @param password              password of the bind
 * @param sessions              how many session slots; each slot opens one bind per entry of {@code bindTypes}
 * @param bindTypes             bind types per slot: [TRANSCEIVER] (default), or e.g. [RECEIVER, TRANSMITTER]
 * @param windowSize            outstanding receipts per session
 * @param idFormat              dialect of issued ids
 * @param idStart               first numeric id
 * @param idWidth               width of zero-padded ids
 * @param weights               outcome weights of the default policy
 * @param enroute               send an ENROUTE notification before the final receipt
 * @param delay                 delay range of each receipt (ms)
 * @param seed                  seed of outcomes, delays and UUIDs
 * @param dialect               how receipts are written
 * @param reconnectMinMillis    first back-off after a lost or refused bind
 * @param reconnectMaxMillis    back-off ceiling (doubles from the minimum)
 * @param retryMinMillis        first back-off after a retryable deliver_sm_resp (0x58 ...)
 * @param retryMaxMillis        retry back-off ceiling (doubles per attempt of the same receipt)
 * @param retryStatuses         deliver_sm_resp command_status values that mean "retry later"
 * @param requestTimeoutMillis  how long a receipt may wait for its response before it is sent again
 * @param enquireLinkMillis     idle enquire_link interval (0: never)
 */
public record SimCarrierSettings(String name, String host, int port, String systemId, String password, int sessions,
                                 List<SmppBindType> bindTypes, int windowSize, IdFormat idFormat, long idStart,
                                 int idWidth, OutcomeWeights weights, boolean enroute, DelayRange delay, long seed,
                                 ReceiptDialect dialect, long reconnectMinMillis, long reconnectMaxMillis,
                                 long retryMinMillis, long retryMaxMillis, Set<Integer> retryStatuses,
                                 long requestTimeoutMillis, long enquireLinkMillis) {

    /**
     * ESME_RTHROTTLED, ESME_RMSGQFUL, ESME_RSYSERR and ESME_RX_T_APPN (0x64, SMPP 3.4's own "temporary application
     * error"): the temporary errors a gateway answers with, and that real carriers retry. The gateway's
     * {@code throttle_status} may be any of them.
     */
    public static final Set<Integer> DEFAULT_RETRY_STATUSES = Set.of(0x58, 0x14, 0x08, 0x64);

    public SimCarrierSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(systemId, "systemId");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(idFormat, "idFormat");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(dialect, "dialect");
        name = name == null || name.isBlank() ? systemId : name;
        bindTypes = List.copyOf(bindTypes);
        retryStatuses = Set.copyOf(retryStatuses);
        if (systemId.isEmpty() || systemId.length() > 15) {
            throw new IllegalArgumentException("system_id must be 1..15 characters, got '" + systemId + "'");
        }
        if (password.length() > 8) {
            throw new IllegalArgumentException("password must be at most 8 characters (SMPP 3.4)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, got " + port);
        }
        if (sessions < 1) {
            throw new IllegalArgumentException("sessions must be >= 1, got " + sessions);
        }
        if (bindTypes.isEmpty()) {
            throw new IllegalArgumentException("bindTypes must name at least one bind type");
        }
        if (windowSize < 1) {
            throw new IllegalArgumentException("windowSize must be >= 1, got " + windowSize);
        }
        if (reconnectMinMillis < 1 || reconnectMaxMillis < reconnectMinMillis) {
            throw new IllegalArgumentException("reconnect back-off must satisfy 1 <= min <= max");
        }
        if (retryMinMillis < 0 || retryMaxMillis < retryMinMillis) {
            throw new IllegalArgumentException("retry back-off must satisfy 0 <= min <= max");
        }
        if (requestTimeoutMillis < 100) {
            throw new IllegalArgumentException("requestTimeoutMillis must be >= 100");
        }
        if (enquireLinkMillis < 0) {
            throw new IllegalArgumentException("enquireLinkMillis must be >= 0");
        }
    }

    /** True when some bind of a slot can send receipts (transmitter or transceiver). */
    public boolean canSendReceipts() {
        return bindTypes.stream().anyMatch(t -> t != SmppBindType.RECEIVER);
    }

    public static Builder builder(String systemId, String password) {
        return new Builder(systemId, password);
    }

    public Builder toBuilder() {
        Builder b = new Builder(systemId, password);
        b.name = name;
        b.host = host;
        b.port = port;
        b.sessions = sessions;
        b.bindTypes = bindTypes;
        b.windowSize = windowSize;
        b.idFormat = idFormat;
        b.idStart = idStart;
        b.idWidth = idWidth;
        b.weights = weights;
        b.enroute = enroute;
        b.delay = delay;
        b.seed = seed;
        b.dialect = dialect;
        b.reconnectMinMillis = reconnectMinMillis;
        b.reconnectMaxMillis = reconnectMaxMillis;
        b.retryMinMillis = retryMinMillis;
        b.retryMaxMillis = retryMaxMillis;
        b.retryStatuses = retryStatuses;
        b.requestTimeoutMillis = requestTimeoutMillis;
        b.enquireLinkMillis = enquireLinkMillis;
        return b;
    }

    /** Builder with the defaults documented on the record. */
    public static final class Builder {
        private String name;
        private String host = "127.0.0.1";
        private int port = 2775;
        private String systemId;
        private String password;
        private int sessions = 1;
        private List<SmppBindType> bindTypes = List.of(SmppBindType.TRANSCEIVER);
        private int windowSize = 50;
        private IdFormat idFormat = IdFormat.DECIMAL;
        private long idStart = 1_000_000_000L;
        private int idWidth = ReceiptDialect.ZERO_PADDED_ID_WIDTH;
        private OutcomeWeights weights = OutcomeWeights.allDelivered();
        private boolean enroute;
        private DelayRange delay = new DelayRange(100, 1000);
        private long seed = 1L;
        private ReceiptDialect dialect = ReceiptDialect.STANDARD;
        private long reconnectMinMillis = 100;
        private long reconnectMaxMillis = 5_000;
        private long retryMinMillis = 20;
        private long retryMaxMillis = 1_000;
        private Set<Integer> retryStatuses = DEFAULT_RETRY_STATUSES;
        private long requestTimeoutMillis = 30_000;
        private long enquireLinkMillis = 30_000;

        private Builder(String systemId, String password) {
            this.systemId = systemId;
            this.password = password;
        }

        public Builder name(String v) { this.name = v; return this; }
        public Builder host(String v) { this.host = v; return this; }
        public Builder port(int v) { this.port = v; return this; }
        public Builder systemId(String v) { this.systemId = v; return this; }
        public Builder password(String v) { this.password = v; return this; }
        public Builder sessions(int v) { this.sessions = v; return this; }
        public Builder bindTypes(List<SmppBindType> v) { this.bindTypes = v; return this; }
        public Builder bindType(SmppBindType v) { this.bindTypes = List.of(v); return this; }
        public Builder windowSize(int v) { this.windowSize = v; return this; }
        public Builder idFormat(IdFormat v) { this.idFormat = v; return this; }
        public Builder idStart(long v) { this.idStart = v; return this; }
        public Builder idWidth(int v) { this.idWidth = v; return this; }
        public Builder weights(OutcomeWeights v) { this.weights = v; return this; }
        public Builder enroute(boolean v) { this.enroute = v; return this; }
        public Builder delay(DelayRange v) { this.delay = v; return this; }
        public Builder seed(long v) { this.seed = v; return this; }
        public Builder dialect(ReceiptDialect v) { this.dialect = v; return this; }
        public Builder reconnect(long minMillis, long maxMillis) {
            this.reconnectMinMillis = minMillis;
            this.reconnectMaxMillis = maxMillis;
            return this;
        }
        public Builder retry(long minMillis, long maxMillis) {
            this.retryMinMillis = minMillis;
            this.retryMaxMillis = maxMillis;
            return this;
        }
        public Builder retryStatuses(Set<Integer> v) { this.retryStatuses = v; return this; }
        public Builder requestTimeoutMillis(long v) { this.requestTimeoutMillis = v; return this; }
        public Builder enquireLinkMillis(long v) { this.enquireLinkMillis = v; return this; }

        public SimCarrierSettings build() {
            return new SimCarrierSettings(name, host, port, systemId, password, sessions, bindTypes, windowSize, idFormat,
                    idStart, idWidth, weights, enroute, delay, seed, dialect, reconnectMinMillis, reconnectMaxMillis,
                    retryMinMillis, retryMaxMillis, retryStatuses, requestTimeoutMillis, enquireLinkMillis);
        }
    }
}
