package io.dlrgate.gateway.events;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dlrgate.config.DatabaseConfig;
import io.dlrgate.gateway.testing.TcpProxy;
import io.dlrgate.reporting.db.Database;
import io.dlrgate.reporting.notify.EventChannel;
import io.dlrgate.reporting.notify.EventListener;
import io.dlrgate.reporting.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The live-events listener stopped while it reconnects to a database that is slow to answer: the connection that
 * reconnect opens after the stop is closed, not left listening. (Here rather than in reporting because the proxy
 * that makes the database slow is a gateway test helper.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventListenerStopTest {

    @Test
    void aReconnectThatEndsAfterTheStopLeavesNoListeningBackend() throws Exception {
        try (TestDatabase store = TestDatabase.create();
             TcpProxy proxy = TcpProxy.inFrontOf(store.url());
             Database viaProxy = Database.open(new DatabaseConfig(proxy.jdbcUrl(store.url()), null, null,
                     Path.of("unused"), 0, 2))) {
            String listening = "select count(*) from pg_stat_activity where datname = '" + store.name()
                    + "' and application_name = '" + EventListener.APPLICATION_NAME + "'";
            AtomicInteger missed = new AtomicInteger();
            EventListener listener = EventListener.start(viaProxy, EventChannel.withNewOrigin(),
                    new EventListener.Receiver() {
                        @Override
                        public void received(String message) {
                        }

                        @Override
                        public void missed() {
                            missed.incrementAndGet();
                        }
                    });
            await().atMost(Duration.ofSeconds(10)).until(() -> store.count(listening) == 1);

            proxy.stall(); // the listening connection drops; the reconnect's login gets no answer
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.heldConnections() == 1);
            listener.close(); // gives up waiting for the thread, which is still in the reconnect
            proxy.release(); // the reconnect's login and LISTEN now succeed, after the stop

            await().atMost(Duration.ofSeconds(20)).until(() -> proxy.openConnections() == 0
                    && store.count(listening) == 0);
            assertEquals(0, missed.get(), "no resync told after the stop");
        }
    }
}
