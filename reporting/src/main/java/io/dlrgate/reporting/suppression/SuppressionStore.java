package io.dlrgate.reporting.suppression;

import io.dlrgate.reporting.db.StoreErrors;
import io.dlrgate.reporting.webhooks.Outbox;
import io.dlrgate.reporting.webhooks.WebhookEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;

/** The suppressed list: numbers that are not sent to. */
public final class SuppressionStore {

    private final DataSource ds;
    private final Clock clock;
    private final Outbox outbox;

    public SuppressionStore(DataSource ds, Clock clock) {
        this(ds, clock, new Outbox());
    }

    /** @param outbox where {@code number.suppressed} events of numbers added by hand go */
    public SuppressionStore(DataSource ds, Clock clock, Outbox outbox) {
        this.ds = ds;
        this.clock = clock;
        this.outbox = outbox;
    }

    /** Which of these E.164 numbers are suppressed; one query whatever the list size. */
    public Set<String> suppressedAmong(Collection<String> numbers) throws SQLException {
        if (numbers.isEmpty()) {
            return new HashSet<>();
        }
        try (Connection c = ds.getConnection()) {
            return suppressedAmong(c, numbers);
        }
    }

    /** The same on the caller's connection, inside its transaction (a send that queues what is not suppressed). */
    public static Set<String> suppressedAmong(Connection c, Collection<String> numbers) throws SQLException {
        Set<String> out = new HashSet<>();
        if (numbers.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("select number from suppressions where number = any(?)")) {
            ps.setArray(1, c.createArrayOf("text", numbers.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Told about suppressions added and lifted through this store (metrics); must be quick, never throw. */
    public interface Listener {
        void added();

        void lifted();
    }

    private volatile Listener listener;

    public void setListener(Listener listener) {
        this.listener = listener;
    }

    /** Adds a number; returns false when it was already suppressed. */
    public boolean add(String number, String reason, String by) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into suppressions (number, reason, created_at, "
                     + "created_by) values (?,?,?,?) on conflict (number) do nothing")) {
            Instant now = clock.instant();
            c.setAutoCommit(false);
            boolean added;
            try {
                ps.setString(1, number);
                ps.setString(2, reason);
                ps.setTimestamp(3, Timestamp.from(now));
                ps.setString(4, by);
                added = ps.executeUpdate() == 1;
                if (added) {
                    outbox.write(c, List.of(WebhookEvent.suppressed(number, reason, now)));
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                StoreErrors.rollBackAfter(c, e);
                throw e;
            }
            Listener l = listener;
            if (added && l != null) {
                l.added();
            }
            return added;
        }
    }

    /**
     * Lifts a suppression; returns false when the number was not suppressed. The number's hard-bounce counts are
     * forgotten in the same transaction, so it is suppressed again only after reaching the threshold anew.
     */
    public boolean remove(String number) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("delete from suppressions where number = ?")) {
                ps.setString(1, number);
                boolean removed = ps.executeUpdate() == 1;
                if (removed) {
                    BounceCounter.forget(c, number);
                }
                c.commit();
                Listener l = listener;
                if (removed && l != null) {
                    l.lifted();
                }
                return removed;
            } catch (SQLException | RuntimeException e) {
                StoreErrors.rollBackAfter(c, e);
                throw e;
            }
        }
    }
}
