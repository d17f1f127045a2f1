package io.dlrgate.reporting.counters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dlrgate.reporting.campaign.CampaignStore;
import io.dlrgate.reporting.message.MessageStore;
import io.dlrgate.reporting.message.NewMessage;
import io.dlrgate.reporting.message.Source;
import io.dlrgate.reporting.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SQL text ReportCounters lends to other queries, run on a real PostgreSQL. */
class ReportCountersTest {

    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    TestDatabase db;

    @BeforeEach
    void up() {
        db = TestDatabase.create();
    }

    @AfterEach
    void down() {
        db.close();
    }

    @Test
    void sentAndDeliveredAreReadForTheCampaignUnderTheCallersAlias() throws Exception {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        MessageStore messages = new MessageStore(db.database().dataSource(), clock);
        long campaign = new CampaignStore(db.database().dataSource(), messages, clock)
                .create("aliased", "hi", "test", false).id();
        for (int i = 0; i < 2; i++) {
            messages.insert(new NewMessage(campaign, null, Source.CAMPAIGN, "+44770090000" + i, "GB", "hi", "a",
                    NOW.plus(Duration.ofDays(2))));
        }

        try (Connection c = db.database().connection();
             PreparedStatement ps = c.prepareStatement("select " + ReportCounters.sentAndDeliveredOf("camp")
                     + " from campaigns camp where camp.id = ?")) {
            ps.setLong(1, campaign);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(2, rs.getLong("sent"));
                assertEquals(0, rs.getLong("delivered"));
            }
        }
    }

    @Test
    void refusesAnAliasThatIsNotAPlainNameOrIsTheCountersOwn() {
        assertThrows(IllegalArgumentException.class, () -> ReportCounters.sentAndDeliveredOf("k"));
        assertThrows(IllegalArgumentException.class, () -> ReportCounters.sentAndDeliveredOf("c.id) or (1"));
    }
}
