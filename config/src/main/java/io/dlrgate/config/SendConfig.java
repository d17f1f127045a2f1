package io.dlrgate.config;

/**
 * How the send path reads recipients.
 *
 * @param defaultCountry ISO 3166 region ("GB") that numbers written in national format ({@code 07700 900123}) are
 *                       read in when a send request names none; {@code null}: such numbers are invalid
 */
public record SendConfig(String defaultCountry) {

    public static SendConfig defaults() {
        return new SendConfig(null);
    }
}
