package io.dlrgate.config;

import java.time.Duration;
import java.util.List;

/** Reads {@code smpp}: the gateway's SMPP server (listener, system_id, limits, timers), with env overrides. */
final class SmppSectionReader {
    static final List<String> KEYS = List.of("host", "port", "system_id", "max_connections", "bind_timeout",
            "request_expiry", "enquire_link_interval", "max_unbound_connections", "max_unbound_per_address",
            "bind_failures", "tls");
    static final List<String> TLS_KEYS = List.of("port", "cert", "key", "client_auth", "client_ca");

    private final ReadContext ctx;

    SmppSectionReader(ReadContext ctx) {
        this.ctx = ctx;
    }

    SmppServerConfig read(ConfigSection s) {
        String host = s.host("host", "127.0.0.1");
        int port = s.integer("port", 2775, 0, 65535);
        host = ctx.envHost("DLRGATE_SMPP_HOST", "smpp.host", host);
        port = ctx.envPort("DLRGATE_SMPP_PORT", "smpp.port", port);
        String systemId = s.string("system_id", "dlrgate", false);
        if (systemId != null) {
            ctx.checkSystemId(s.path(), "system_id", s.lineOf("system_id"), systemId);
        }
        int maxConnections = s.integer("max_connections", 100, 1, 100_000);
        Duration bindTimeout = s.duration("bind_timeout", Duration.ofSeconds(5));
        Duration requestExpiry = s.duration("request_expiry", Duration.ofSeconds(30));
        Duration enquireLinkInterval = s.duration("enquire_link_interval",
                SmppServerConfig.DEFAULT_ENQUIRE_LINK_INTERVAL, true);
        int maxUnbound = s.integer("max_unbound_connections", SmppServerConfig.DEFAULT_MAX_UNBOUND_CONNECTIONS, 1,
                100_000);
        int maxUnboundPerAddress = s.integer("max_unbound_per_address",
                SmppServerConfig.DEFAULT_MAX_UNBOUND_PER_ADDRESS, 1, 100_000);
        if (maxUnboundPerAddress > maxUnbound) {
            ctx.problem(s.keyPath("max_unbound_per_address"), s.lineOf("max_unbound_per_address"),
                    "must not exceed smpp.max_unbound_connections (" + maxUnbound + "), got " + maxUnboundPerAddress);
        }
        FailureLimits bindFailures = new FailureLimitsReader(ctx).read(s.section("bind_failures",
                FailureLimitsReader.KEYS));
        SmppTlsConfig tls = tls(s, port);
        s.checkUnknownKeys();
        return new SmppServerConfig(host, port, systemId, maxConnections, bindTimeout, requestExpiry,
                enquireLinkInterval, maxUnbound, maxUnboundPerAddress, bindFailures, tls);
    }

    /** {@code smpp.tls}, or null when absent. */
    private SmppTlsConfig tls(ConfigSection smpp, int plainPort) {
        if (!smpp.has("tls")) {
            return null;
        }
        ConfigSection s = smpp.section("tls", TLS_KEYS);
        int port = s.integer("port", SmppTlsConfig.DEFAULT_PORT, 0, 65535);
        port = ctx.envPort(ConfigLoader.ENV_SMPP_TLS_PORT, "smpp.tls.port", port);
        if (port != 0 && port == plainPort) {
            ctx.problem(s.keyPath("port"), s.lineOf("port"), "must differ from smpp.port (" + plainPort
                    + "): the plain and the TLS listener each need a port of their own");
        }
        TlsFiles files = new TlsFilesReader(ctx).read(s);
        SmppTlsConfig.ClientAuth auth = s.enumValue("client_auth", SmppTlsConfig.ClientAuth.NONE,
                SmppTlsConfig.ClientAuth.values(), SmppTlsConfig.ClientAuth::configName);
        java.nio.file.Path ca = null;
        if (auth == SmppTlsConfig.ClientAuth.NONE && s.has("client_ca")) {
            ctx.problem(s.keyPath("client_ca"), s.lineOf("client_ca"), "only with client_auth: optional or required");
        } else if (auth != SmppTlsConfig.ClientAuth.NONE) {
            if (s.has("client_ca")) {
                ca = new TlsFilesReader(ctx).file(s, "client_ca", "CA certificates carriers' certificates come from");
            } else {
                ctx.problem(s.keyPath("client_ca"), s.line(), "missing: client_auth: " + auth.configName()
                        + " needs the PEM file of the CA(s) that carriers' certificates come from");
            }
        }
        s.checkUnknownKeys();
        return files == null ? null : new SmppTlsConfig(port, files, auth, ca);
    }
}
