package io.dlrgate.config;

/**
 * The HTTP API and web UI listener.
 *
 * @param apiKey the bearer key the API requires; {@code null} means "generate one at first start and store it"
 */
public record HttpConfig(String host, int port, String apiKey) {
}
