package io.dlrgate.config;

import io.dlrgate.config.yaml.Durations;
import io.dlrgate.config.yaml.YamlTree.MapNode;
import io.dlrgate.config.yaml.YamlTree.Node;
import io.dlrgate.config.yaml.YamlTree.Scalar;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Reads a carrier's {@code connect:} block: how the gateway binds out to the carrier's SMSC. */
final class ConnectReader {
    static final List<String> KEYS = List.of("host", "port", "tls", "system_id", "password", "system_type", "bind",
            "sessions", "address_range", "addr_ton", "addr_npi", "reconnect", "enquire_link_interval");
    static final List<String> TLS_KEYS = List.of("trust", "verify_hostname", "cert", "key");
    static final List<String> RECONNECT_KEYS = List.of("min", "max");
    /** SMPP 3.4 field sizes (C-octet strings, the terminating NUL not counted). */
    static final int MAX_SYSTEM_TYPE = 12;
    static final int MAX_PASSWORD = 8;
    static final int MAX_ADDRESS_RANGE = 40;
    /** Longer waits hide an SMSC that is back for too long; shorter than this, a reconnect loop gets tight. */
    static final Duration MAX_RECONNECT = Duration.ofHours(1);
    static final Duration MIN_RECONNECT = Duration.ofMillis(100);
    /** Outbound binds always check their SMSC: 0 (off) is refused, and so is anything below this. */
    static final Duration MIN_ENQUIRE_LINK = Duration.ofMillis(100);

    private final ReadContext ctx;

    ConnectReader(ReadContext ctx) {
        this.ctx = ctx;
    }

    /**
     * @param carrierId          the carrier's id (null when it is invalid): names the password variables
     * @param acceptsInboundBinds whether the carrier also binds in (then the carrier's own password variable is
     *                           the inbound one, and the outbound password has a variable of its own)
     */
    ConnectConfig read(ConfigSection s, String carrierId, boolean acceptsInboundBinds) {
        String host = s.has("host") ? s.host("host", null) : s.string("host", null, true);
        int port = s.has("port") ? s.integer("port", 2775, 1, 65535) : missing(s, "port", 2775);
        ConnectConfig.Tls tls = tls(s);
        String systemId = s.string("system_id", null, true);
        if (systemId != null && !ctx.checkSystemId(s.path(), "system_id", s.lineOf("system_id"), systemId)) {
            systemId = null;
        }
        String password = password(s, carrierId, acceptsInboundBinds);
        String systemType = bounded(s, "system_type", MAX_SYSTEM_TYPE);
        String addressRange = bounded(s, "address_range", MAX_ADDRESS_RANGE);
        int addrTon = s.integer("addr_ton", 0, 0, 255); // one octet each
        int addrNpi = s.integer("addr_npi", 0, 0, 255);
        ConnectConfig.Bind bind = s.enumValue("bind", ConnectConfig.Bind.TRANSCEIVER, ConnectConfig.Bind.values(),
                ConnectConfig.Bind::configName);
        int sessions = s.integer("sessions", 1, 1, ConnectConfig.MAX_SESSIONS);
        ConfigSection r = s.section("reconnect", RECONNECT_KEYS);
        Duration min = limited(r, "min", ConnectConfig.DEFAULT_RECONNECT_MIN);
        Duration max = limited(r, "max", ConnectConfig.DEFAULT_RECONNECT_MAX);
        if (min.compareTo(max) > 0) {
            ctx.problem(r.keyPath("min"), r.lineOf("min"), "must not exceed reconnect.max (" + Durations.format(max)
                    + "), got " + Durations.format(min));
        }
        r.checkUnknownKeys();
        Duration enquireLink = enquireLink(s);
        s.checkUnknownKeys();
        return new ConnectConfig(host, port, tls, systemId, password, systemType, bind, sessions, addressRange, addrTon,
                addrNpi, min,
                max, enquireLink);
    }

    /**
     * An outbound bind must be checked: an SMSC that died behind a NAT or a firewall leaves the TCP connection open,
     * nothing says it is gone, and the submits in the window wait for ever. So 0 (off) is refused.
     */
    private Duration enquireLink(ConfigSection s) {
        Duration d = s.duration("enquire_link_interval", SmppServerConfig.DEFAULT_ENQUIRE_LINK_INTERVAL, true);
        if (d.compareTo(MIN_ENQUIRE_LINK) < 0) {
            ctx.problem(s.keyPath("enquire_link_interval"), s.lineOf("enquire_link_interval"), "must be at least "
                    + Durations.format(MIN_ENQUIRE_LINK) + ", got " + Durations.format(d) + ": an outbound bind is "
                    + "known to be alive only by its enquire_link answers (to check rarely, give a long interval "
                    + "such as 5m)");
            return SmppServerConfig.DEFAULT_ENQUIRE_LINK_INTERVAL;
        }
        return d;
    }

    private int missing(ConfigSection s, String key, int def) {
        ctx.problem(s.keyPath(key), s.line(), "missing required key");
        return def;
    }

    /** {@code tls: false | true | {trust: pem-file, verify_hostname: true}}. */
    private ConnectConfig.Tls tls(ConfigSection s) {
        Node n = s.get("tls");
        if (n == null) {
            return null;
        }
        if (n instanceof Scalar sc && (sc.token() == com.fasterxml.jackson.core.JsonToken.VALUE_TRUE
                || sc.token() == com.fasterxml.jackson.core.JsonToken.VALUE_FALSE)) {
            return sc.token() == com.fasterxml.jackson.core.JsonToken.VALUE_TRUE ? new ConnectConfig.Tls(null, true) : null;
        }
        if (!(n instanceof MapNode)) {
            ctx.problem(s.keyPath("tls"), n.line(), "expected true, false or a mapping {trust: pem-file, "
                    + "verify_hostname: true}, got " + n.describe());
            return null;
        }
        ConfigSection t = s.section("tls", TLS_KEYS);
        Path trust = null;
        String trustText = t.string("trust", null, false);
        if (trustText != null) {
            try {
                trust = Path.of(trustText.trim());
                if (!Files.isRegularFile(trust) || !Files.isReadable(trust)) {
                    ctx.problem(t.keyPath("trust"), t.lineOf("trust"), "cannot read the PEM file \"" + trustText
                            + "\" (no such file, or not readable)");
                }
            } catch (InvalidPathException e) {
                ctx.problem(t.keyPath("trust"), t.lineOf("trust"), "not a valid file path: " + e.getReason());
            }
        }
        boolean verify = t.bool("verify_hostname", true);
        // a client certificate (mutual TLS): both files or neither
        TlsFiles certificate = t.has("cert") || t.has("key") ? new TlsFilesReader(ctx).read(t) : null;
        t.checkUnknownKeys();
        return new ConnectConfig.Tls(trust, verify, certificate);
    }

    /**
     * The outbound password, from the file or an environment variable (which wins):
     * {@code DLRGATE_CARRIER_<ID>_CONNECT_PASSWORD}, or for a carrier that only binds out also the carrier's
     * {@code DLRGATE_CARRIER_<ID>_PASSWORD}.
     */
    private String password(ConfigSection s, String carrierId, boolean acceptsInboundBinds) {
        String connectVar = carrierId == null ? null : ConfigLoader.carrierConnectPasswordVariable(carrierId);
        String env = connectVar == null ? null : ctx.env(connectVar);
        String carrierVar = carrierId == null ? null : ConfigLoader.carrierPasswordVariable(carrierId);
        if (env == null && !acceptsInboundBinds && carrierVar != null) {
            env = ctx.env(carrierVar);
        }
        String password = s.string("password", null, false);
        if (password != null && password.isEmpty()) {
            ctx.problem(s.keyPath("password"), s.lineOf("password"), "must not be empty");
        }
        if (env != null) {
            checkLength(s, env, "from " + (ctx.env(connectVar) != null ? connectVar : carrierVar));
            return env;
        }
        if (password != null) {
            checkLength(s, password, null);
        }
        if (!s.has("password")) {
            String vars = connectVar == null ? "" : " (or set " + connectVar
                    + (acceptsInboundBinds ? "" : " or " + carrierVar) + ")";
            ctx.problem(s.keyPath("password"), s.line(), "missing required key" + vars);
        }
        return password;
    }

    /** SMPP 3.4's password field is 9 octets with its NUL: a longer one would be cut or refused by the SMSC. */
    private void checkLength(ConfigSection s, String password, String source) {
        if (password.length() > MAX_PASSWORD) {
            ctx.problem(s.keyPath("password"), s.lineOf("password"),
                    "must be at most " + MAX_PASSWORD + " characters (SMPP 3.4 limit), got " + password.length()
                    + (source == null ? "" : " (" + source + ")"));
        }
    }

    private String bounded(ConfigSection s, String key, int maxLength) {
        String v = s.string(key, "", false);
        if (v != null && v.length() > maxLength) {
            ctx.problem(s.keyPath(key), s.lineOf(key), "must be at most " + maxLength + " characters (SMPP limit), got "
                    + v.length());
            return "";
        }
        return v == null ? "" : v;
    }

    private Duration limited(ConfigSection r, String key, Duration def) {
        Duration d = r.duration(key, def);
        if (d.compareTo(MIN_RECONNECT) < 0 || d.compareTo(MAX_RECONNECT) > 0) {
            ctx.problem(r.keyPath(key), r.lineOf(key), "must be between " + Durations.format(MIN_RECONNECT) + " and "
                    + Durations.format(MAX_RECONNECT) + ", got " + Durations.format(d));
            return def;
        }
        return d;
    }
}
