package io.dlrgate.reporting.suppression;

import io.dlrgate.config.BouncesConfig;
import io.dlrgate.config.BouncesConfig.SuppressionMode;
import io.dlrgate.reporting.db.StoreErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The account's hard-bounce suppression settings, kept in the {@code settings} table: "Suppress SMS contacts that
 * have hard bounced (recommended)" ({@value #ENABLED_KEY}), the threshold ({@value #THRESHOLD_KEY}), the mode
 * ({@value #MODE_KEY}) and whether numbers filed at the send as invalid or unroutable count
 * ({@value #COUNT_INVALID_KEY}). A key not stored (or stored unreadable) takes its default from the {@code bounces} config.
 * The group committer reads them inside its own transaction, so a change applies from the next batch on, in every
 * gateway process sharing the store.
 */
public final class SuppressionSettings {

    public static final String ENABLED_KEY = "suppress_hard_bounces";
    public static final String THRESHOLD_KEY = "suppression_threshold";
    public static final String MODE_KEY = "suppression_mode";
    public static final String COUNT_INVALID_KEY = "count_invalid_numbers";

    /**
     * The settings in force.
     *
     * @param countInvalidNumbers whether a contact filed at the send as a Hard bounce with cause
     *                            {@code invalid-number} or {@code no-route} counts as a permanent bounce
     */
    public record Values(boolean enabled, int threshold, SuppressionMode mode, boolean countInvalidNumbers) {
        public Values {
            Objects.requireNonNull(mode, "mode");
            if (threshold < BouncesConfig.MIN_THRESHOLD || threshold > BouncesConfig.MAX_THRESHOLD) {
                throw new IllegalArgumentException("threshold must be between " + BouncesConfig.MIN_THRESHOLD
                        + " and " + BouncesConfig.MAX_THRESHOLD + ", got " + threshold);
            }
        }

        /** Invalid numbers not counted (the default). */
        public Values(boolean enabled, int threshold, SuppressionMode mode) {
            this(enabled, threshold, mode, false);
        }

        /**
         * Whether a failed message counts toward its number's suppression, as a report row says it: only a Hard
         * bounce whose error is permanent counts (as the group commit counts it); one filed at the send as
         * {@code invalid-number} or {@code no-route} only while {@link #countInvalidNumbers} is on (read now, not
         * when it was filed). {@code null} for a message that has not failed (no class, no cause).
         *
         * @param errorClass {@code messages.error_class}: permanent, transient or null
         * @param cause      the report's failure cause ({@code receipt}, {@code invalid-number}, ...) or null
         */
        public Boolean countsTowardSuppression(io.dlrgate.config.Tab tab, String errorClass, String cause) {
            if (errorClass == null && cause == null) {
                return null;
            }
            if (tab != io.dlrgate.config.Tab.HARD_BOUNCES || !"permanent".equals(errorClass)) {
                return false;
            }
            boolean filedAtSend = io.dlrgate.reporting.message.RefusedNumber.INVALID_NUMBER.equals(cause)
                    || io.dlrgate.reporting.message.RefusedNumber.NO_ROUTE.equals(cause);
            return !filedAtSend || countInvalidNumbers;
        }

        /**
         * The rule in force in one sentence, for the reader who wonders why a failure (an UNDELIV receipt, say)
         * did not suppress its number: only permanent bounces count, transient ones never do.
         */
        public String rule() {
            String never = "transient failures (phone off, busy, network trouble: most UNDELIV receipts) never count"
                    + (countInvalidNumbers ? "; invalid and unroutable numbers (filed at the send) do." : ", nor do "
                    + "invalid or unroutable numbers.");
            if (!enabled) {
                return "Numbers are not suppressed automatically (the setting is off); " + never;
            }
            String bounces = threshold == 1 ? "permanent (hard) bounce" : "permanent (hard) bounces";
            return mode == SuppressionMode.CONSECUTIVE
                    ? "A number is suppressed after " + threshold + " consecutive " + bounces
                            + " (a delivery starts the count again); " + never
                    : "A number is suppressed after " + threshold + " " + bounces + " in total; " + never;
        }
    }

    private final DataSource ds;
    private final BouncesConfig defaults;

    public SuppressionSettings(DataSource ds, BouncesConfig defaults) {
        this.ds = ds;
        this.defaults = defaults == null ? BouncesConfig.defaults() : defaults;
    }

    public Values get() throws SQLException {
        try (Connection c = ds.getConnection()) {
            return read(c, defaults);
        }
    }

    /**
     * Changes the given values (null leaves one as it is) in one transaction and returns what is now in force.
     *
     * @throws IllegalArgumentException when the threshold is outside 1..100
     */
    public Values update(Boolean enabled, Integer threshold, SuppressionMode mode) throws SQLException {
        return update(enabled, threshold, mode, null);
    }

    /** As {@link #update(Boolean, Integer, SuppressionMode)}, and whether invalid numbers count (null: as is). */
    public Values update(Boolean enabled, Integer threshold, SuppressionMode mode, Boolean countInvalidNumbers)
            throws SQLException {
        if (threshold != null && (threshold < BouncesConfig.MIN_THRESHOLD || threshold > BouncesConfig.MAX_THRESHOLD)) {
            throw new IllegalArgumentException("must be between " + BouncesConfig.MIN_THRESHOLD + " and "
                    + BouncesConfig.MAX_THRESHOLD + ", got " + threshold);
        }
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("insert into settings (key, value) values (?, ?) "
                    + "on conflict (key) do update set value = excluded.value, updated_at = now()")) {
                if (enabled != null) {
                    ps.setString(1, ENABLED_KEY);
                    ps.setString(2, enabled.toString());
                    ps.addBatch();
                }
                if (threshold != null) {
                    ps.setString(1, THRESHOLD_KEY);
                    ps.setString(2, threshold.toString());
                    ps.addBatch();
                }
                if (mode != null) {
                    ps.setString(1, MODE_KEY);
                    ps.setString(2, mode.configName());
                    ps.addBatch();
                }
                if (countInvalidNumbers != null) {
                    ps.setString(1, COUNT_INVALID_KEY);
                    ps.setString(2, countInvalidNumbers.toString());
                    ps.addBatch();
                }
                ps.executeBatch();
                Values v = read(c, defaults);
                c.commit();
                return v;
            } catch (SQLException | RuntimeException e) {
                StoreErrors.rollBackAfter(c, e);
                throw e;
            }
        }
    }

    /** The settings in force, read on the caller's connection (and in its transaction). */
    public static Values read(Connection c, BouncesConfig defaults) throws SQLException {
        Map<String, String> stored = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select key, value from settings where key in (?, ?, ?, ?)")) {
            ps.setString(1, ENABLED_KEY);
            ps.setString(2, THRESHOLD_KEY);
            ps.setString(3, MODE_KEY);
            ps.setString(4, COUNT_INVALID_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        boolean enabled = bool(stored.get(ENABLED_KEY), defaults.suppressHardBounces());
        boolean countInvalid = bool(stored.get(COUNT_INVALID_KEY), defaults.countInvalidNumbers());
        int threshold = defaults.suppressionThreshold();
        try {
            String t = stored.get(THRESHOLD_KEY);
            if (t != null) {
                int v = Integer.parseInt(t.trim());
                if (v >= BouncesConfig.MIN_THRESHOLD && v <= BouncesConfig.MAX_THRESHOLD) {
                    threshold = v;
                }
            }
        } catch (NumberFormatException ignored) {
            // unreadable: the default holds
        }
        SuppressionMode mode = SuppressionMode.fromName(stored.get(MODE_KEY)).orElse(defaults.suppressionMode());
        return new Values(enabled, threshold, mode, countInvalid);
    }

    /** A stored true or false; anything else (unreadable) leaves the default. */
    private static boolean bool(String stored, boolean dflt) {
        return "true".equalsIgnoreCase(stored) || "false".equalsIgnoreCase(stored) ? Boolean.parseBoolean(stored) : dflt;
    }
}
