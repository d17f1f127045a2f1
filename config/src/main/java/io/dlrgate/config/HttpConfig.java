package io.dlrgate.config;

/**
 * The HTTP API and web UI listener.
 *
 * @param apiKey        the bearer key the API requires; {@code null} means "generate one at first start and store it"
 * @param publicBaseUrl where recipients reach the gateway's short links ({@code /l/{code}}), without a trailing slash
 */
public record HttpConfig(String host, int port, String apiKey, String publicBaseUrl) {

    public static final String DEFAULT_PUBLIC_BASE_URL = "http://127.0.0.1:8080";

    public HttpConfig(String host, int port, String apiKey) {
        this(host, port, apiKey, DEFAULT_PUBLIC_BASE_URL);
    }

    @Override
    public String toString() {
        // Never print the key.
        return "HttpConfig[host=" + host + ", port=" + port + ", apiKey=" + (apiKey == null ? "(generated)" : "***")
                + ", publicBaseUrl=" + publicBaseUrl + "]";
    }
}
