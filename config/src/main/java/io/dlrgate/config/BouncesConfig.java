package io.dlrgate.config;

import java.util.Locale;
import java.util.Objects;

/**
 * Bounce classification and hard-bounce suppression ({@code bounces} section).
 *
 * <p>The four suppression values are the <em>defaults</em> of account settings: the settings table (edited through
 * {@code PUT /api/v1/settings}) wins once a value is stored there.
 *
 * @param transientUndelivTab  the tab of a failure receipt (UNDELIV, REJECTD) whose error is classed transient:
 *                             {@link Tab#HARD_BOUNCES} (default) or {@link Tab#SOFT_BOUNCES}. Either way it never
 *                             counts toward suppression.
 * @param suppressHardBounces  "Suppress SMS contacts that have hard bounced (recommended)": on by default
 * @param suppressionThreshold permanent hard bounces that suppress a number (1..100, default 3)
 * @param suppressionMode      whether the bounces must be consecutive (a delivery resets the count) or not
 * @param countInvalidNumbers  whether a contact filed at the send as a Hard bounce because it is not a mobile number
 *                             ({@code invalid-number}) or no carrier takes it ({@code no-route}) counts toward
 *                             suppression like a permanent bounce from a carrier: off by default
 */
public record BouncesConfig(Tab transientUndelivTab, boolean suppressHardBounces, int suppressionThreshold,
                            SuppressionMode suppressionMode, boolean countInvalidNumbers) {

    public static final int DEFAULT_THRESHOLD = 3;
    public static final int MIN_THRESHOLD = 1;
    public static final int MAX_THRESHOLD = 100;

    public BouncesConfig {
        Objects.requireNonNull(transientUndelivTab, "transientUndelivTab");
        Objects.requireNonNull(suppressionMode, "suppressionMode");
        if (transientUndelivTab != Tab.HARD_BOUNCES && transientUndelivTab != Tab.SOFT_BOUNCES) {
            throw new IllegalArgumentException("transientUndelivTab must be hard-bounces or soft-bounces");
        }
        if (suppressionThreshold < MIN_THRESHOLD || suppressionThreshold > MAX_THRESHOLD) {
            throw new IllegalArgumentException("suppressionThreshold must be 1..100");
        }
    }

    /** Invalid numbers not counted toward suppression (the default). */
    public BouncesConfig(Tab transientUndelivTab, boolean suppressHardBounces, int suppressionThreshold,
                         SuppressionMode suppressionMode) {
        this(transientUndelivTab, suppressHardBounces, suppressionThreshold, suppressionMode, false);
    }

    /**
     * Every key at its default: transient UNDELIV stays a hard bounce; suppression on, 3, consecutive; invalid
     * numbers do not count.
     */
    public static BouncesConfig defaults() {
        return new BouncesConfig(Tab.HARD_BOUNCES, true, DEFAULT_THRESHOLD, SuppressionMode.CONSECUTIVE, false);
    }

    /** {@code bounces.suppression_mode}. */
    public enum SuppressionMode {
        /** The permanent hard bounces must follow each other: a delivery to the number resets the count. */
        CONSECUTIVE,
        /** Every permanent hard bounce counts, deliveries in between or not. */
        TOTAL;

        /** As written in the file and the API: {@code consecutive}, {@code total}. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static java.util.Optional<SuppressionMode> fromName(String name) {
            if (name == null) {
                return java.util.Optional.empty();
            }
            String n = name.trim().toLowerCase(Locale.ROOT);
            for (SuppressionMode m : values()) {
                if (m.configName().equals(n)) {
                    return java.util.Optional.of(m);
                }
            }
            return java.util.Optional.empty();
        }
    }
}
