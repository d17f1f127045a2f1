package io.dlrgate.reporting.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.dlrgate.config.DatabaseConfig;
import io.dlrgate.reporting.testing.TestDatabase;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Where report reads go without a replica and with one that is unreachable from the start (a closed loopback port):
 * always the primary, said so in the freshness. The reads from a live replica are tested against a real one in the
 * gateway's ReportsFromReplicaTest.
 */
class ReportReadsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC);

    static TestDatabase db;

    @BeforeAll
    static void up() {
        db = TestDatabase.create();
    }

    @AfterAll
    static void down() {
        db.close();
    }

    @Test
    void withoutAReplicaReportsReadThePrimaryAndAreCurrent() throws Exception {
        try (ReportReads reads = ReportReads.open(db.database().dataSource(), null, CLOCK).start()) {
            assertEquals(db.name(), currentDatabase(reads));
            assertSame(ReportReads.ON_PRIMARY, reads.freshness());
            assertEquals(0, reads.fallbacks(), "no replica: nothing to fall back from");
            assertFalse(reads.hasReplica());
        }
    }

    @Test
    void aReplicaDownFromTheStartLeavesReportsOnThePrimary() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        DatabaseConfig.ReadReplica away = new DatabaseConfig.ReadReplica(
                "jdbc:postgresql://127.0.0.1:" + closedPort + "/" + db.name(), "postgres", null, 2);
        try (ReportReads reads = ReportReads.open(db.database().dataSource(), away, CLOCK)) {
            reads.probe();
            assertEquals(ReportReads.Source.PRIMARY_FALLBACK, reads.freshness().source());
            assertEquals(Duration.ZERO, reads.freshness().lag());

            assertEquals(db.name(), currentDatabase(reads), "the primary answered");
            assertEquals(db.name(), currentDatabase(reads));
            assertEquals(2, reads.fallbacks());
            assertEquals(ReportReads.Source.PRIMARY_FALLBACK, reads.freshness().source());
        }
    }

    private static String currentDatabase(ReportReads reads) throws Exception {
        try (Connection c = reads.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select current_database() || case when pg_is_in_recovery() "
                     + "then ' (replica)' else '' end")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
