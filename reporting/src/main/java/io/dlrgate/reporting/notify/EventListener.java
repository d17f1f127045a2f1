package io.dlrgate.reporting.notify;

import io.dlrgate.reporting.db.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the other instances' live events: {@code LISTEN} on {@link EventChannel#NAME} over a connection of its own,
 * read by a thread of its own ({@code getNotifications} with a timeout). PostgreSQL delivers a notification only to
 * sessions listening when it was committed: when the connection drops (a database restart, a failover, an
 * administrator's {@code pg_terminate_backend}), what was sent until the new one listens is lost. So after every
 * reconnect the receiver is told {@link Receiver#missed()}, once listening again, and its clients reload the state
 * from the store. A connection quiet for {@link #CHECK_EVERY_MILLIS} is checked with a round trip, so a dead peer
 * that sent no reset is noticed too.
 *
 * <p>The listener's thread alone owns its connection and closes it when it ends: {@link #close()} only signals it.
 * A reconnect can be in {@code listen()} for a long time (a connect timeout, then the socket timeout for the
 * startup and {@code LISTEN}), longer than {@code close()} waits; had {@code close()} closed the connection
 * itself, the one that reconnect opened after it would never be closed, and its LISTEN backend would stay.
 */
public final class EventListener implements AutoCloseable {

    /** What the listener hands on; called on the listener's thread, so it must not block for long. */
    public interface Receiver {
        /** A message another instance published. */
        void received(String message);

        /** Notifications may have been lost (the connection dropped and was opened again): reload. */
        void missed();
    }

    /** The listening session's {@code application_name} in {@code pg_stat_activity}. */
    public static final String APPLICATION_NAME = "dlrgate-events";
    private static final Logger log = LoggerFactory.getLogger(EventListener.class);
    static final int POLL_MILLIS = 500;
    static final long CHECK_EVERY_MILLIS = 5_000;
    private static final long FIRST_RETRY_MILLIS = 100;
    private static final long LAST_RETRY_MILLIS = 5_000;

    /** Opens the dedicated connection (each reconnect opens a new one). */
    private final Database db;
    private final EventChannel channel;
    private final Receiver receiver;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection connection;

    private EventListener(Database db, EventChannel channel, Receiver receiver) {
        this.db = db;
        this.channel = channel;
        this.receiver = receiver;
        this.thread = new Thread(this::run, "dlrgate-event-listener");
        thread.setDaemon(true);
    }

    /**
     * Listens before it returns (an event committed after this call reaches the receiver), then reads on a thread
     * of its own. Fails when the database refuses the first connection.
     */
    public static EventListener start(Database db, EventChannel channel, Receiver receiver) throws SQLException {
        EventListener l = new EventListener(db, channel, receiver);
        l.connection = l.listen();
        l.thread.start();
        return l;
    }

    private Connection listen() throws SQLException {
        Connection c = db.dedicatedConnection(APPLICATION_NAME);
        try (Statement st = c.createStatement()) {
            st.execute("LISTEN " + EventChannel.NAME);
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void run() {
        try {
            while (running) {
                try {
                    read(connection);
                } catch (SQLException e) {
                    if (!running) {
                        return;
                    }
                    log.warn("live events: the listening connection failed ({}); reconnecting, then clients reload",
                            e.getMessage());
                    closeQuietly(connection);
                    connection = reconnect();
                    if (connection == null) {
                        return; // closed meanwhile
                    }
                    log.info("live events: listening again");
                    hand(receiver::missed);
                }
            }
        } finally {
            closeQuietly(connection); // this thread's alone: close() may have given up waiting long ago
            connection = null;
        }
    }

    /** Hands on notifications until the connection fails (throws) or the listener closes (returns). */
    private void read(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        long lastHeard = System.nanoTime();
        while (running) {
            PGNotification[] got = pg.getNotifications(POLL_MILLIS);
            if (got != null && got.length > 0) {
                lastHeard = System.nanoTime();
                for (PGNotification n : got) {
                    String message = channel.unframe(n.getParameter());
                    if (message != null) {
                        hand(() -> receiver.received(message));
                    }
                }
            } else if (System.nanoTime() - lastHeard > CHECK_EVERY_MILLIS * 1_000_000) {
                try (Statement st = c.createStatement()) {
                    st.setQueryTimeout(5);
                    st.execute("select 1");
                }
                lastHeard = System.nanoTime();
            }
        }
    }

    /** A receiver's failure is its own: the listener goes on. */
    private static void hand(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("live events: the receiver failed: {}", e.toString());
        }
    }

    /** A new listening connection, retried with a growing pause; null when closed meanwhile. */
    private Connection reconnect() {
        long pause = FIRST_RETRY_MILLIS;
        while (running) {
            try {
                Connection c = listen();
                if (!running) { // closed while it connected: nobody is left to read or close it
                    closeQuietly(c);
                    return null;
                }
                return c;
            } catch (SQLException e) {
                log.debug("live events: reconnect failed: {}", e.getMessage());
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                return null;
            }
            pause = Math.min(pause * 2, LAST_RETRY_MILLIS);
        }
        return null;
    }

    /**
     * Tells the thread to stop (it closes its connection as it ends) and waits a little for it: a read ends within
     * {@link #POLL_MILLIS}, a pause between reconnects at once (interrupted); a reconnect under way ends when its
     * connect or socket timeout does, after this returns.
     */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2 * POLL_MILLIS + 1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // already broken: nothing to release
            }
        }
    }
}
