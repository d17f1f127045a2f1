package io.dlrgate.reporting.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Where report reads go without a replica and with one that is unreachable from the start (a closed loopback port):
 * always the primary, said so in the freshness; with a "replica" whose pool is all in use; and what a request that
 * read from a replica going away says. The reads from a live replica are tested against a real one in the gateway's
 * ReportsFromReplicaTest; these need no real replica: another database of the same server stands in for it (it is
 * not in recovery, so its lag reads 0).
 */
class ReportReadsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC);

    @AutoClose
    static final TestDatabase db = TestDatabase.create();

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

    @Test
    void aReplicaPoolAllInUseIsBusyNotDown() throws Exception {
        DatabaseConfig.ReadReplica other = new DatabaseConfig.ReadReplica(TestDatabase.adminUrl(), "postgres", null, 2);
        try (ReportReads reads = ReportReads.open(db.database().dataSource(), other, CLOCK)) {
            reads.probe();
            assertEquals(ReportReads.Source.REPLICA, reads.freshness().source());
            String replica = currentDatabase(reads);
            assertNotEquals(db.name(), replica, "the stand-in replica is another database");

            // Two long exports hold the whole replica pool.
            try (Connection export1 = reads.getConnection(); Connection export2 = reads.getConnection()) {
                assertEquals(replica, currentDatabase(export1));
                assertEquals(replica, currentDatabase(export2));

                assertEquals(db.name(), currentDatabase(reads), "the primary answered the read the pool could not");
                assertEquals(ReportReads.Source.REPLICA, reads.freshness().source(), "busy is not down");
                assertEquals(1, reads.busyReads());
                assertEquals(0, reads.fallbacks(), "nothing fell back from a replica that answers");

                reads.probe();
                assertEquals(ReportReads.Source.REPLICA, reads.freshness().source(),
                        "the probe has its own connection: the exports do not make it fail");
            }
            assertEquals(replica, currentDatabase(reads), "once an export is done, reads are back on the replica");
        }
    }

    @Test
    void aRequestWhoseFirstReadsCameFromTheReplicaSaysReplicaAfterItWentAway() throws Exception {
        try (TestDatabase standIn = TestDatabase.create()) {
            DatabaseConfig.ReadReplica other = new DatabaseConfig.ReadReplica(standIn.url(), "postgres", null, 2);
            try (ReportReads reads = ReportReads.open(db.database().dataSource(), other, CLOCK)) {
                reads.probe();
                try (ReportReads.Request request = reads.request()) {
                    assertEquals(standIn.name(), currentDatabase(reads), "the first query read the replica");
                    admit(standIn.name(), false);
                    assertEquals(db.name(), currentDatabase(reads), "the next one fell back to the primary");
                    assertEquals(ReportReads.Source.REPLICA, reads.freshness().source(),
                            "part of the response came from the replica: it may be as far behind as the replica");
                }
                assertEquals(ReportReads.Source.PRIMARY_FALLBACK, reads.freshness().source(), "now: on the primary");
            } finally {
                admit(standIn.name(), true);
            }
        }
    }

    /** Lets connections into {@code database}, or refuses them and ends those open (a replica going away). */
    private static void admit(String database, boolean allowed) throws Exception {
        try (Connection c = java.sql.DriverManager.getConnection(TestDatabase.adminUrl());
             Statement s = c.createStatement()) {
            s.execute("alter database " + database + " allow_connections " + allowed);
            if (!allowed) {
                // The timeout makes it wait until they are gone, not just signalled.
                s.execute("select pg_terminate_backend(pid, 5000) from pg_stat_activity where datname = '"
                        + database + "'");
            }
        }
    }

    private static String currentDatabase(ReportReads reads) throws Exception {
        try (Connection c = reads.getConnection()) {
            return currentDatabase(c);
        }
    }

    private static String currentDatabase(Connection c) throws Exception {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select current_database() || case when pg_is_in_recovery() "
                     + "then ' (replica)' else '' end")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
