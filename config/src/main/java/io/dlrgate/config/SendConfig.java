package io.dlrgate.config;

/**
 * How the send path reads recipients, and who messages are from when a send does not say.
 *
 * @param defaultCountry ISO 3166 region ("GB") that numbers written in national format ({@code 07700 900123}) are
 *                       read in when a send request names none; {@code null}: such numbers are invalid
 * @param defaultSender  the sender of a single send or campaign that names none
 */
public record SendConfig(String defaultCountry, SenderId defaultSender) {

    public SendConfig {
        defaultSender = defaultSender == null ? SenderId.parse(SenderId.BUILT_IN_DEFAULT) : defaultSender;
    }

    public static SendConfig defaults() {
        return new SendConfig(null, null);
    }
}
