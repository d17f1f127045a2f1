package io.dlrgate.config;

import java.time.Duration;

/**
 * The HTTP API and web UI listener.
 *
 * @param apiKey               the bearer key the API requires; {@code null} means "generate one at first start and
 *                             store it"
 * @param publicBaseUrl        where recipients reach the gateway's short links ({@code /l/{code}}), without a
 *                             trailing slash
 * @param idleTimeout          a connection that neither sends nor receives for this long is closed (live event
 *                             streams are exempt: they send a heartbeat instead)
 * @param requestHeaderTimeout a client must send a request's full head within this long of starting it (or of
 *                             connecting), else the connection is closed
 * @param maxConnections       open HTTP connections beyond this are closed at accept
 * @param tls                  when set, the listener on {@code port} speaks HTTPS only, with this certificate; null
 *                             for plain HTTP
 */
public record HttpConfig(String host, int port, String apiKey, String publicBaseUrl, Duration idleTimeout,
                         Duration requestHeaderTimeout, int maxConnections, TlsFiles tls) {

    public static final String DEFAULT_PUBLIC_BASE_URL = "http://127.0.0.1:8080";
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REQUEST_HEADER_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_CONNECTIONS = 1_000;

    /** Plain HTTP. */
    public HttpConfig(String host, int port, String apiKey, String publicBaseUrl, Duration idleTimeout,
                      Duration requestHeaderTimeout, int maxConnections) {
        this(host, port, apiKey, publicBaseUrl, idleTimeout, requestHeaderTimeout, maxConnections, null);
    }

    public HttpConfig(String host, int port, String apiKey, String publicBaseUrl) {
        this(host, port, apiKey, publicBaseUrl, DEFAULT_IDLE_TIMEOUT, DEFAULT_REQUEST_HEADER_TIMEOUT,
                DEFAULT_MAX_CONNECTIONS);
    }

    /** The same listener speaking HTTPS with these files (or plain HTTP, for null). */
    public HttpConfig withTls(TlsFiles tls) {
        return new HttpConfig(host, port, apiKey, publicBaseUrl, idleTimeout, requestHeaderTimeout, maxConnections,
                tls);
    }

    public HttpConfig(String host, int port, String apiKey) {
        this(host, port, apiKey, DEFAULT_PUBLIC_BASE_URL);
    }

    /** True when recipients and users reach the gateway over HTTPS (a TLS-terminating proxy in front). */
    public boolean publicBaseUrlIsHttps() {
        return publicBaseUrl != null && publicBaseUrl.regionMatches(true, 0, "https://", 0, 8);
    }

    @Override
    public String toString() {
        // Never print the key.
        return "HttpConfig[host=" + host + ", port=" + port + ", apiKey=" + (apiKey == null ? "(generated)" : "***")
                + ", publicBaseUrl=" + publicBaseUrl + ", idleTimeout=" + idleTimeout + ", requestHeaderTimeout="
                + requestHeaderTimeout + ", maxConnections=" + maxConnections + ", tls=" + tls + "]";
    }
}
