package io.dlrgate.reporting.suppression;

import io.dlrgate.config.BouncesConfig;
import io.dlrgate.config.BouncesConfig.SuppressionMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Counts permanent hard bounces per number and suppresses a number when it reaches the threshold, on the
 * group-commit writer's connection and in its transaction: the count, the suppression and the bounce that caused
 * them are stored together or not at all.
 *
 * <p>Counting is right however many receipts for one number arrive at once: a batch's events are applied in order,
 * in its transaction; between the group-commit lanes of a process and across processes every change is an upsert
 * or update of the number's {@code bounce_counts} row, which PostgreSQL serialises on the row lock (an increment
 * reads the latest committed count, never a stale one). Rows are locked in number order so two writers never
 * deadlock on them.
 *
 * <p>Both counts are kept whatever the mode: {@code consecutive} (reset by a delivery) and {@code total}. Counting
 * goes on while the account setting is off; only the suppression is skipped, and the next permanent bounce after
 * it is turned back on suppresses a number already at or past the threshold.
 */
public final class BounceCounter {

    /** The actor recorded as {@code created_by} of suppressions the gateway makes itself. */
    public static final String CREATED_BY = "gateway";

    private final BouncesConfig defaults;

    public BounceCounter(BouncesConfig defaults) {
        this.defaults = defaults == null ? BouncesConfig.defaults() : defaults;
    }

    /** Applies the events; returns the numbers this call put on the suppressed list. */
    public List<String> apply(Connection c, List<BounceEvent> events, Instant now) throws SQLException {
        List<String> suppressed = new ArrayList<>();
        if (events.isEmpty()) {
            return suppressed;
        }
        Map<String, List<BounceEvent>> byNumber = new TreeMap<>();
        Set<String> bounced = new HashSet<>();
        for (BounceEvent e : events) {
            if (e.number() == null) {
                continue;
            }
            byNumber.computeIfAbsent(e.number(), k -> new ArrayList<>()).add(e);
            if (e.bounce()) {
                bounced.add(e.number());
            }
        }
        // A delivery matters only to a number with a consecutive count: one unlocked probe finds those (nearly
        // always none), so a batch of deliveries costs one index lookup per number and no row locks.
        Set<String> toReset = new HashSet<>();
        List<String> deliveredOnly = new ArrayList<>();
        for (String n : byNumber.keySet()) {
            if (!bounced.contains(n)) {
                deliveredOnly.add(n);
            }
        }
        if (!deliveredOnly.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "select number from bounce_counts where number = any(?) and consecutive > 0")) {
                ps.setArray(1, c.createArrayOf("text", deliveredOnly.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        toReset.add(rs.getString(1));
                    }
                }
            }
        }
        if (bounced.isEmpty() && toReset.isEmpty()) {
            return suppressed;
        }
        SuppressionSettings.Values settings = bounced.isEmpty() ? null : SuppressionSettings.read(c, defaults);
        Timestamp at = Timestamp.from(now);
        try (PreparedStatement bounce = c.prepareStatement("insert into bounce_counts as b (number, consecutive, "
                + "total, last_error, last_carrier, updated_at) values (?, 1, 1, ?, ?, ?) on conflict (number) do update "
                + "set consecutive = b.consecutive + 1, total = b.total + 1, last_error = excluded.last_error, "
                + "last_carrier = excluded.last_carrier, updated_at = excluded.updated_at "
                + "returning consecutive, total");
             PreparedStatement reset = c.prepareStatement("update bounce_counts set consecutive = 0, updated_at = ? "
                     + "where number = ? and consecutive <> 0");
             PreparedStatement suppress = c.prepareStatement("insert into suppressions (number, reason, created_at, "
                     + "created_by) values (?, ?, ?, ?) on conflict (number) do nothing")) {
            for (Map.Entry<String, List<BounceEvent>> entry : byNumber.entrySet()) {
                String number = entry.getKey();
                if (!bounced.contains(number) && !toReset.contains(number)) {
                    continue;
                }
                for (BounceEvent e : entry.getValue()) {
                    if (!e.bounce()) {
                        reset.setTimestamp(1, at);
                        reset.setString(2, number);
                        reset.executeUpdate();
                        continue;
                    }
                    bounce.setString(1, number);
                    bounce.setString(2, e.error());
                    bounce.setString(3, e.carrierId());
                    bounce.setTimestamp(4, at);
                    int consecutive;
                    int total;
                    try (ResultSet rs = bounce.executeQuery()) {
                        rs.next();
                        consecutive = rs.getInt(1);
                        total = rs.getInt(2);
                    }
                    String reason = suppressionReason(settings, consecutive, total, e);
                    if (reason != null) {
                        suppress.setString(1, number);
                        suppress.setString(2, reason);
                        suppress.setTimestamp(3, at);
                        suppress.setString(4, CREATED_BY);
                        if (suppress.executeUpdate() == 1) {
                            suppressed.add(number);
                        }
                    }
                }
            }
        }
        return suppressed;
    }

    /**
     * Whether a number whose counts just reached {@code consecutive} and {@code total} with the permanent bounce
     * {@code last} goes on the suppressed list: the suppression's reason, or null (the setting is off, or the count
     * the mode counts is below the threshold). A number already past the threshold (counted while the setting was
     * off) is suppressed by its next bounce.
     */
    static String suppressionReason(SuppressionSettings.Values settings, int consecutive, int total,
                                    BounceEvent last) {
        int count = settings.mode() == SuppressionMode.CONSECUTIVE ? consecutive : total;
        return settings.enabled() && count >= settings.threshold() ? reason(count, settings.mode(), last) : null;
    }

    /**
     * {@code 3 consecutive permanent hard bounces, last err 001 on carrier acme}; a bounce filed at the send (no
     * carrier took it): {@code ..., last invalid-number at the send}.
     */
    static String reason(int count, SuppressionMode mode, BounceEvent last) {
        return count + (mode == SuppressionMode.CONSECUTIVE ? " consecutive" : "") + " permanent hard bounce"
                + (count == 1 ? "" : "s") + ", last " + (last.error() == null ? "without an error code" : last.error())
                + (last.carrierId() == null ? " at the send" : " on carrier " + last.carrierId());
    }

    /** Lifting a suppression starts the number's counts afresh (else its next bounce would suppress it again). */
    public static void forget(Connection c, String number) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from bounce_counts where number = ?")) {
            ps.setString(1, number);
            ps.executeUpdate();
        }
    }
}
