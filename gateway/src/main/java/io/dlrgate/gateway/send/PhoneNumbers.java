package io.dlrgate.gateway.send;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * Normalises what people type as a recipient into E.164 and names its country.
 *
 * <p>Numbers must carry their country code ({@code +44 7700 900123}, {@code 0044...} or {@code 447700900123}):
 * the gateway has no home country to guess from. A number must be possible for its country (right length);
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
        if (input == null || input.isBlank()) {
            throw new IllegalArgumentException("is empty");
        }
        String s = SEPARATORS.matcher(input.trim()).replaceAll("");
        if (s.startsWith("00")) {
            s = "+" + s.substring(2);
        } else if (!s.startsWith("+")) {
            s = "+" + s;
        }
        if (!s.substring(1).chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + input + "' is not a phone number (digits with a country code)");
        }
        PhoneNumber n;
        try {
            n = UTIL.parse(s, "ZZ");
        } catch (NumberParseException e) {
            throw new IllegalArgumentException("'" + input + "' is not a phone number: " + e.getMessage());
        }
        if (!UTIL.isPossibleNumber(n)) {
            throw new IllegalArgumentException("'" + input + "' has the wrong length for country code +"
                    + n.getCountryCode());
        }
        String e164 = UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164);
        String region = UTIL.getRegionCodeForNumber(n);
        if (region == null || "ZZ".equals(region)) {
            region = UTIL.getRegionCodeForCountryCode(n.getCountryCode());
        }
        return new Normalised(e164, "ZZ".equals(region) ? null : region);
    }
}
