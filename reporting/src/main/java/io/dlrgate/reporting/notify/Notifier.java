package io.dlrgate.reporting.notify;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * Sends live events to the other gateway instances: {@code pg_notify} on {@link EventChannel#NAME}, on a pooled
 * connection. Several messages go in one statement and one transaction: one round trip, and PostgreSQL delivers
 * them together after the commit, in the array's order (a volatile function in the select list is evaluated after
 * the sort). Blocking: call it from a thread of its own, never an event loop.
 */
public final class Notifier {

    private final DataSource ds;
    private final EventChannel channel;

    public Notifier(DataSource ds, EventChannel channel) {
        this.ds = ds;
        this.channel = channel;
    }

    /**
     * Publishes the messages, each at most {@link EventChannel#MAX_MESSAGE_BYTES}. Within one call the messages must
     * differ: PostgreSQL delivers identical payloads of one transaction once.
     */
    public void publish(List<String> messages) throws SQLException {
        if (messages.isEmpty()) {
            return;
        }
        String[] payloads = messages.stream().map(channel::frame).toArray(String[]::new);
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select pg_notify(?, p) from unnest(?::text[]) with ordinality as u(p, n) order by n")) {
            Array array = c.createArrayOf("text", payloads);
            ps.setString(1, EventChannel.NAME);
            ps.setArray(2, array);
            ps.executeQuery().close();
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }
}
