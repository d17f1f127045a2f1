package io.dlrgate.gateway.retention;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway keeps the partitions on its clock: a month later it has made that month's partitions and sends into
 * them, and retention then drops the months older than {@code retention.messages} as tables, counted on /metrics.
 */
class RetentionEndToEndTest {

    private static final String YAML = """
            retention:
              messages: 400d
              partitions_ahead: 1
            carriers:
              - id: alpha
                system_id: alpha
                password: alpha-pw
                prefixes: ["+44"]
            """;

    private final YearMonth now = YearMonth.now(ZoneOffset.UTC);
    private final MutableClock clock = new MutableClock(Instant.now());
    private GatewayHarness gw;

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void fifteenMonthsLaterSendsGoToTheNewMonthAndTheOldMonthIsDropped() throws Exception {
        gw = GatewayHarness.start(YAML, "", clock);
        long first = gw.sendSingle("+447700900001", "first", null);
        assertEquals(1, gw.count("select count(*) from " + name("messages", now) + " where id = " + first));

        YearMonth later = now.plusMonths(15);
        clock.set(later.atDay(2).atStartOfDay().toInstant(ZoneOffset.UTC));
        // No carrier is bound: the message waits in the queue until the expiry sweeper, on the same clock, ends it;
        // until then its month is kept whatever the retention says (PartitionStoreTest).
        await().atMost(Duration.ofSeconds(60)).until(() ->
                gw.count("select count(*) from messages where id = " + first + " and tab = 'pending'") == 0);
        gw.gateway().partitions().runOnce();

        assertEquals(0, gw.count("select count(*) from pg_class where relname = '" + name("messages", now) + "'"),
                "this month ended more than 400 days before the clock: dropped as a table");
        assertEquals(0, gw.count("select count(*) from messages where id = " + first));
        assertEquals(1, gw.count("select count(*) from pg_class where relname = '" + name("messages", later.plusMonths(1))
                + "'"), "one month ahead");
        long second = gw.sendSingle("+447700900002", "second", null);
        assertEquals(1, gw.count("select count(*) from " + name("messages", later) + " where id = " + second),
                "the sequence moved into the new month's block");
        String metrics = gw.get("/metrics").body();
        assertTrue(metrics.contains("dlrgate_partitions_dropped_total{table=\"messages\"} 1.0"), metrics);
        assertTrue(metrics.contains("dlrgate_partitions_dropped_total{table=\"receipts\"} 1.0"), metrics);

        // A run at the old clock again (an instance whose clock is behind) changes nothing.
        String partitions = "select count(*) from partitions";
        long before = gw.count(partitions);
        clock.set(Instant.now().minus(Duration.ofDays(1)));
        gw.gateway().partitions().runOnce();
        assertEquals(before, gw.count(partitions), "no partition made or dropped");
        long third = gw.sendSingle("+447700900003", "third", null);
        assertTrue(third > second, "the sequence never moves back");
    }

    private static String name(String table, YearMonth m) {
        return table + "_" + m.format(DateTimeFormatter.ofPattern("yyyy_MM"));
    }
}
