package io.dlrgate.reporting.report;

import io.dlrgate.config.Tab;

/**
 * Why a message failed, as the reports show it next to its error class. The reports use ONE vocabulary for a
 * failed message, in two fields:
 * <ul>
 *   <li>{@code errorClass} (CSV {@code error_class}): the class stored with the failure, {@code messages.error_class}
 *       decided by the bounce classification in the transaction that made the message fail
 *       ({@link io.dlrgate.reporting.bounce.BounceClassifier}): {@code permanent} (wrong or dead number: counts
 *       toward suppression) or {@code transient} (phone off, busy, validity ran out, network trouble: never counts);
 *       {@code null} while the message has not failed. The same value as {@code errorClass} of
 *       {@code GET /api/v1/messages/{id}}.</li>
 *   <li>{@code cause} (CSV {@code cause}), this class: who or what made it fail: {@code submit-rejected} (the carrier
 *       refused the submit_sm with an error status), {@code submit-timeout} (no submit_sm_resp came, the gateway
 *       gave up after its attempts), {@code submit-failed} (the gateway gave up otherwise: throttled on every
 *       attempt, content it cannot encode),
 *       {@code gateway-expiry} (the gateway's own validity expiry: no receipt before the deadline plus grace),
 *       {@code receipt} (the carrier's receipt: EXPIRED, UNDELIV, REJECTD, DELETED, ...); {@code null} for Delivered
 *       and Pending; {@code invalid-number} (not a mobile number) and {@code no-route} (no carrier takes it), filed
 *       at once by the send path.</li>
 * </ul>
 */
public final class FailureCause {

    public static final String SUBMIT_REJECTED = "submit-rejected";
    public static final String SUBMIT_TIMEOUT = "submit-timeout";
    public static final String SUBMIT_FAILED = "submit-failed";
    public static final String GATEWAY_EXPIRY = "gateway-expiry";
    public static final String RECEIPT = "receipt";
    /** Filed at the send: not a mobile number (stored as {@code final_by}). */
    public static final String INVALID_NUMBER = io.dlrgate.reporting.message.RefusedNumber.INVALID_NUMBER;
    /** Filed at the send: no configured carrier takes the number (stored as {@code final_by}). */
    public static final String NO_ROUTE = io.dlrgate.reporting.message.RefusedNumber.NO_ROUTE;

    private FailureCause() {
    }

    /**
     * @param tab     the message's tab
     * @param finalBy {@code messages.final_by}: receipt, submit or expiry
     * @param submitStatus {@code messages.submit_status}: the carrier's refusal, null when no answer was refused
     * @param error   {@code messages.error} (a submit that timed out says so)
     */
    public static String of(Tab tab, String finalBy, Integer submitStatus, String error) {
        if (tab == null || tab == Tab.DELIVERED || tab == Tab.PENDING || finalBy == null) {
            return null;
        }
        return switch (finalBy) {
            case "submit" -> submitStatus != null && submitStatus != 0 ? SUBMIT_REJECTED
                    : error != null && error.contains("timed out") ? SUBMIT_TIMEOUT : SUBMIT_FAILED;
            case "expiry" -> GATEWAY_EXPIRY;
            case INVALID_NUMBER -> INVALID_NUMBER;
            case NO_ROUTE -> NO_ROUTE;
            default -> RECEIPT;
        };
    }
}
