package io.dlrgate.reporting.message;

/**
 * A recipient the send path could not send to and files at once as a Hard bounce, never handed to a carrier.
 *
 * @param recipient the number in E.164 when it could be read, else as it was given
 * @param country   its ISO 3166 region, or {@code null}
 * @param cause     {@link #INVALID_NUMBER} or {@link #NO_ROUTE} (stored as {@code final_by})
 * @param reason    why, in words, for the report's error column
 */
public record RefusedNumber(String recipient, String country, String cause, String reason) {

    /** Not a mobile number (unreadable, wrong length, national format without a country). */
    public static final String INVALID_NUMBER = "invalid-number";
    /** A number no configured carrier takes (no prefix matches). */
    public static final String NO_ROUTE = "no-route";

    public RefusedNumber {
        if (!INVALID_NUMBER.equals(cause) && !NO_ROUTE.equals(cause)) {
            throw new IllegalArgumentException("not a cause of a refused number: " + cause);
        }
    }
}
