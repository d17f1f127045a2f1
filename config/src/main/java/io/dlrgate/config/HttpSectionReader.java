package io.dlrgate.config;

import java.time.Duration;
import java.util.List;

/** Reads {@code http}: the HTTP API and web UI listener, API key and public base URL, with env overrides. */
final class HttpSectionReader {
    static final List<String> KEYS = List.of("host", "port", "api_key", "public_base_url", "idle_timeout",
            "request_header_timeout", "max_connections", "tls");

    private final ReadContext ctx;

    HttpSectionReader(ReadContext ctx) {
        this.ctx = ctx;
    }

    HttpConfig read(ConfigSection s) {
        String host = s.host("host", "127.0.0.1");
        int port = s.integer("port", 8080, 0, 65535);
        String apiKey = s.string("api_key", null, false);
        if (apiKey != null && apiKey.isBlank()) {
            ctx.problem(s.keyPath("api_key"), s.lineOf("api_key"),
                    "must not be blank (leave it out to have a key generated at first start)");
        }
        host = ctx.envHost("DLRGATE_HTTP_HOST", "http.host", host);
        port = ctx.envPort("DLRGATE_HTTP_PORT", "http.port", port);
        String envKey = ctx.env("DLRGATE_API_KEY");
        if (envKey != null) {
            if (envKey.isBlank()) {
                ctx.envProblem("DLRGATE_API_KEY", "must not be blank (overrides http.api_key)");
            } else {
                apiKey = envKey;
            }
        }
        String publicBaseUrl = s.string("public_base_url", HttpConfig.DEFAULT_PUBLIC_BASE_URL, false);
        if (s.has("public_base_url")) {
            String why = ConfigValues.checkBaseUrl(publicBaseUrl);
            if (why != null) {
                ctx.problem(s.keyPath("public_base_url"), s.lineOf("public_base_url"), why);
                publicBaseUrl = HttpConfig.DEFAULT_PUBLIC_BASE_URL;
            }
            while (publicBaseUrl.endsWith("/")) {
                publicBaseUrl = publicBaseUrl.substring(0, publicBaseUrl.length() - 1);
            }
        }
        Duration idleTimeout = s.duration("idle_timeout", HttpConfig.DEFAULT_IDLE_TIMEOUT);
        Duration headerTimeout = s.duration("request_header_timeout", HttpConfig.DEFAULT_REQUEST_HEADER_TIMEOUT);
        int maxConnections = s.integer("max_connections", HttpConfig.DEFAULT_MAX_CONNECTIONS, 1, 1_000_000);
        TlsFiles tls = s.has("tls") ? new TlsFilesReader(ctx).read(s.section("tls", TlsFilesReader.KEYS)) : null;
        s.checkUnknownKeys();
        return new HttpConfig(host, port, apiKey, publicBaseUrl, idleTimeout, headerTimeout, maxConnections, tls);
    }
}
