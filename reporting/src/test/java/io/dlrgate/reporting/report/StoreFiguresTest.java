package io.dlrgate.reporting.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.Tab;
import io.dlrgate.reporting.counters.ReportCounters.CarrierTab;
import io.dlrgate.reporting.message.MessageStore;
import io.dlrgate.reporting.message.NewMessage;
import io.dlrgate.reporting.message.Source;
import io.dlrgate.reporting.testing.KeptConnection;
import io.dlrgate.reporting.testing.TestDatabase;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gauges' store-wide figures against a real PostgreSQL, and the connection they give back. */
class StoreFiguresTest {

    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    TestDatabase db;
    MessageStore messages;

    @BeforeEach
    void up() throws Exception {
        db = TestDatabase.create();
        messages = new MessageStore(db.database().dataSource(), Clock.fixed(NOW, ZoneOffset.UTC));
        for (String carrier : new String[] {"a", "a", "b"}) {
            messages.insert(new NewMessage(null, null, Source.API, "+447700900001", "GB", "hi", carrier,
                    NOW.plus(Duration.ofDays(2))));
        }
    }

    @AfterEach
    void down() {
        db.close();
    }

    @Test
    void countsMessagesPerCarrierAndTabAndWhatWaitsPerCarrier() throws Exception {
        StoreFigures.Figures f = new StoreFigures(db.database().dataSource()).read();

        assertEquals(Map.of(new CarrierTab("a", Tab.PENDING), 2L, new CarrierTab("b", Tab.PENDING), 1L),
                f.messagesPerCarrierAndTab(), "single sends count too, in their carrier");
        assertEquals(Map.of("a", 2L, "b", 1L), f.queuedByCarrier());
    }

    @Test
    void givesItsConnectionBackReadWriteWithAutocommit() throws Exception {
        try (KeptConnection kept = new KeptConnection(db.database().dataSource())) {
            new StoreFigures(kept.dataSource()).read();

            assertFalse(kept.connection().isReadOnly());
            assertTrue(kept.connection().getAutoCommit());
            try (Statement st = kept.connection().createStatement()) {
                assertEquals(3, st.executeUpdate("update messages set country = 'IE'"), "the next borrower writes");
            }
        }
    }
}
