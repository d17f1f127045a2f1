package io.dlrgate.gateway.send;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * Normalises what people type as a recipient into E.164 and names its country.
 *
 * <p>Numbers carry their country code ({@code +44 7700 900123}, {@code 0044...} or {@code 447700900123}), or are
 * written in national format ({@code 07700 900123}) and read in a default country given with the send (or
 * {@code send.default_country}); with a default country, a number without {@code +} or {@code 00} is read as that
 * country's. A number must be possible for its country (right length);
 * full validity against numbering plans is not required, since QA use test ranges that plans call unassigned.
 */
public final class PhoneNumbers {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    /** Compiled once: campaign sends normalise tens of thousands of numbers per request. */
    private static final java.util.regex.Pattern SEPARATORS = java.util.regex.Pattern.compile("[\\s\\-().]");

    private PhoneNumbers() {
    }

    /** A normalised number and its ISO 3166 region ("GB"), or "001" style non-geographic, or null. */
    public record Normalised(String e164, String country) {
    }

    /** @throws IllegalArgumentException with a message fit for a 400 answer */
    public static Normalised normalise(String input) {
        return normalise(input, null);
    }

    /**
     * @param defaultCountry ISO 3166 region a national-format number ({@code 07700 900123}) is read in; {@code null}:
     *                       every number must carry its country code
     * @throws IllegalArgumentException with a message in plain words, fit for a 400 answer or a report's error
     */
    public static Normalised normalise(String input, String defaultCountry) {
        if (input == null || input.isBlank()) {
            throw new IllegalArgumentException("is empty");
        }
        String s = SEPARATORS.matcher(input.trim()).replaceAll("");
        boolean national = s.startsWith("0") && !s.startsWith("00");
        if (s.startsWith("00")) {
            s = "+" + s.substring(2);
        } else if (national && defaultCountry == null) {
            throw new IllegalArgumentException("'" + input + "' is in national format (it starts with 0) and no "
                    + "country was given: write it with its country code (+44 7700 900123) or send a defaultCountry");
        } else if (!s.startsWith("+") && defaultCountry == null) {
            s = "+" + s;
        }
        String digits = s.startsWith("+") ? s.substring(1) : s;
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + input + "' is not a phone number (digits with a country code)");
        }
        String region = s.startsWith("+") ? "ZZ" : defaultCountry;
        PhoneNumber n;
        try {
            n = UTIL.parse(s, region);
        } catch (NumberParseException e) {
            throw new IllegalArgumentException("'" + input + "' is not a phone number"
                    + ("ZZ".equals(region) ? "" : " of country " + region) + ": " + e.getMessage());
        }
        if (!UTIL.isPossibleNumber(n)) {
            throw new IllegalArgumentException("'" + input + "' has the wrong length for country code +"
                    + n.getCountryCode());
        }
        String e164 = UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164);
        String country = UTIL.getRegionCodeForNumber(n);
        if (country == null || "ZZ".equals(country)) {
            country = UTIL.getRegionCodeForCountryCode(n.getCountryCode());
        }
        return new Normalised(e164, "ZZ".equals(country) ? null : country);
    }

    /** Whether {@code region} is an ISO 3166 code with a telephone numbering plan ("GB"). */
    public static boolean isCountry(String region) {
        return UTIL.getSupportedRegions().contains(region);
    }
}
