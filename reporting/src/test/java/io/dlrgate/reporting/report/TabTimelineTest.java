package io.dlrgate.reporting.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.Tab;
import io.dlrgate.reporting.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The campaign timeline against a real PostgreSQL, with messages queued and finalized at known times. */
class TabTimelineTest {

    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    TestDatabase db;
    long campaign;

    @BeforeEach
    void up() throws Exception {
        db = TestDatabase.create();
        try (Connection c = db.database().connection();
             PreparedStatement ps = c.prepareStatement("insert into campaigns (name, content, created_by, created_at, "
                     + "last_modified_by, last_modified_at) values ('t', 'hi', 'ana', now(), 'ana', now()) returning id")) {
            var rs = ps.executeQuery();
            rs.next();
            campaign = rs.getLong(1);
        }
        message(5, "delivered", 30);
        message(10, "hard-bounces", 70);
        message(65, "pending", null);
        message(20, "soft-bounces", 150);
        message(20, "deleted", 600); // after the span (another instance's clock): falls in the last bucket
    }

    @AfterEach
    void down() {
        db.close();
    }

    void message(int queuedAfter, String tab, Integer finalAfter) throws Exception {
        try (Connection c = db.database().connection();
             PreparedStatement ps = c.prepareStatement("insert into messages (campaign_id, source, recipient, content, "
                     + "carrier_id, tab, created_at, final_at, validity_deadline) values (?, 'campaign', '+447700900001', "
                     + "'hi', 'acme', ?, ?, ?, ?)")) {
            ps.setLong(1, campaign);
            ps.setString(2, tab);
            ps.setTimestamp(3, Timestamp.from(T0.plusSeconds(queuedAfter)));
            ps.setTimestamp(4, finalAfter == null ? null : Timestamp.from(T0.plusSeconds(finalAfter)));
            ps.setTimestamp(5, Timestamp.from(T0.plus(Duration.ofDays(2))));
            ps.executeUpdate();
        }
    }

    @Test
    void eachBucketHoldsTheTabsAtItsEnd() throws Exception {
        TabTimeline t = new ReportQueries(db.database().dataSource()).timeline(campaign, T0, Duration.ofMinutes(1), 3);

        assertEquals(List.of(T0.plusSeconds(60), T0.plusSeconds(120), T0.plusSeconds(180)),
                t.buckets().stream().map(TabTimeline.Bucket::end).toList());
        assertEquals(counts(1, 3, 0, 0, 0), t.buckets().get(0).counts());
        assertEquals(counts(1, 3, 0, 1, 0), t.buckets().get(1).counts());
        assertEquals(counts(1, 1, 1, 1, 1), t.buckets().get(2).counts(), "the last bucket: the tabs' counts now");
    }

    @Test
    void bucketsAreBounded() {
        assertEquals(Duration.ofSeconds(1), TimelineBuckets.auto(Duration.ofSeconds(40)));
        assertEquals(Duration.ofMinutes(5), TimelineBuckets.auto(Duration.ofHours(3)));
        assertEquals(Duration.ofHours(2), TimelineBuckets.auto(Duration.ofDays(3)));
        assertTrue(TimelineBuckets.count(Duration.ofDays(3000), TimelineBuckets.auto(Duration.ofDays(3000)))
                <= TimelineBuckets.AUTO);
        assertEquals(1, TimelineBuckets.count(Duration.ZERO, Duration.ofMinutes(1)));
        assertEquals(3, TimelineBuckets.count(Duration.ofSeconds(121), Duration.ofMinutes(1)));
        assertTrue(TimelineBuckets.refusal(Duration.ofDays(3), Duration.ofMinutes(9)).isEmpty());
        assertEquals("PT1S makes 259200 buckets over the 259200 s since the first send; at most 500: use PT8M39S "
                + "or wider, or leave it out", TimelineBuckets.refusal(Duration.ofDays(3), Duration.ofSeconds(1))
                .orElseThrow());
        assertTrue(TimelineBuckets.refusal(Duration.ofDays(3), Duration.ofSeconds(518)).isPresent());
        assertTrue(TimelineBuckets.refusal(Duration.ofDays(3), Duration.ofSeconds(519)).isEmpty(), "the width named");
        assertEquals("must be at least PT1S", TimelineBuckets.refusal(Duration.ofMinutes(1), Duration.ofMillis(100))
                .orElseThrow());
    }

    static Map<Tab, Long> counts(long delivered, long pending, long soft, long hard, long deleted) {
        return Map.of(Tab.DELIVERED, delivered, Tab.PENDING, pending, Tab.SOFT_BOUNCES, soft, Tab.HARD_BOUNCES, hard,
                Tab.DELETED, deleted);
    }
}
