package io.dlrgate.reporting.report;

import io.dlrgate.config.Tab;

/**
 * The class of a message's error, derived from how it became final and its tab, so a reader can tell a number
 * the carrier refused from a phone that was off for days:
 * {@code rejected} (the carrier refused the submit), {@code timeout} (no submit answer), {@code expired}
 * (validity ran out, by receipt or by the gateway), {@code permanent} (hard bounce by receipt),
 * {@code deleted} (deleted by the network). {@code null} for Delivered and Pending.
 */
public final class ErrorClass {

    private ErrorClass() {
    }

    public static String of(Tab tab, String finalBy, String error) {
        if (tab == null || tab == Tab.DELIVERED || tab == Tab.PENDING) {
            return null;
        }
        if ("submit".equals(finalBy)) {
            return error != null && error.contains("timed out") ? "timeout" : "rejected";
        }
        return switch (tab) {
            case SOFT_BOUNCES -> "expired";
            case HARD_BOUNCES -> "permanent";
            case DELETED -> "deleted";
            default -> null;
        };
    }
}
