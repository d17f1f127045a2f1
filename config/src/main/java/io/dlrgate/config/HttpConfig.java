package io.dlrgate.config;

/**
 * The HTTP API and web UI listener.
 *
 * @param apiKey the bearer key the API requires; {@code null} means "generate one at first start and store it"
 */
public record HttpConfig(String host, int port, String apiKey) {

    @Override
    public String toString() {
        // Never print the key.
        return "HttpConfig[host=" + host + ", port=" + port + ", apiKey=" + (apiKey == null ? "(generated)" : "***") + "]";
    }
}
