package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.fails;
import static io.dlrgate.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code database.read_url} and its credentials: read as written, defaults, overrides, each mistake named. */
class ReadReplicaSectionTest {

    private static final String PRIMARY = "database:\n  url: jdbc:postgresql://db1:5432/dlrgate\n"
            + "  user: gw\n  password: pw1\n  pool_size: 20\n";

    @Test
    void noReadUrlMeansReportsReadThePrimary() {
        assertNull(load(PRIMARY).database().replica());
        assertNull(load("").database().replica());
    }

    @Test
    void theReplicaLogsInAsThePrimaryWithHalfItsPool() {
        DatabaseConfig.ReadReplica r = load(PRIMARY + "  read_url: jdbc:postgresql://db2:5432/dlrgate\n")
                .database().replica();
        assertEquals(new DatabaseConfig.ReadReplica("jdbc:postgresql://db2:5432/dlrgate", "gw", "pw1", 10), r);
    }

    @Test
    void ownCredentialsAndASmallPoolStillGetFour() {
        DatabaseConfig.ReadReplica r = load("database:\n  url: jdbc:postgresql://db1/x\n  pool_size: 3\n"
                + "  read_url: jdbc:postgresql://db2/x\n  read_user: reports\n  read_password: pw2\n")
                .database().replica();
        assertEquals(new DatabaseConfig.ReadReplica("jdbc:postgresql://db2/x", "reports", "pw2", 4), r);
    }

    @Test
    void environmentOverridesEachKey() {
        DatabaseConfig.ReadReplica r = ConfigLoader.fromYaml(PRIMARY + "  read_url: jdbc:postgresql://db2/x\n",
                ConfigAssertions.SOURCE, Map.of("DLRGATE_DB_READ_URL", "jdbc:postgresql://db3/x",
                        "DLRGATE_DB_READ_USER", "ro", "DLRGATE_DB_READ_PASSWORD", "pw3")).database().replica();
        assertEquals(new DatabaseConfig.ReadReplica("jdbc:postgresql://db3/x", "ro", "pw3", 10), r);
    }

    @Test
    void theVariableAloneConfiguresAReplica() {
        DatabaseConfig.ReadReplica r = ConfigLoader.fromYaml(PRIMARY, ConfigAssertions.SOURCE,
                Map.of("DLRGATE_DB_READ_URL", "jdbc:postgresql://db3/x")).database().replica();
        assertEquals("jdbc:postgresql://db3/x", r.url());
    }

    @Test
    void notAJdbcUrlIsRefusedWithoutEchoingIt() {
        ConfigException e = fails(PRIMARY + "  read_url: postgres://u:hunter2@db2/x\n");
        assertProblem(e, "database.read_url", "must be a PostgreSQL JDBC URL");
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void notAJdbcUrlInTheVariableIsRefused() {
        ConfigException e = fails(PRIMARY, Map.of("DLRGATE_DB_READ_URL", "mysql://u:hunter2@h/db"));
        assertProblem(e, "DLRGATE_DB_READ_URL", "must be a PostgreSQL JDBC URL", "overrides database.read_url");
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void blankReadUser() {
        assertProblem(fails(PRIMARY + "  read_url: jdbc:postgresql://db2/x\n  read_user: ' '\n"),
                "database.read_user", "must not be blank");
        assertProblem(fails(PRIMARY + "  read_url: jdbc:postgresql://db2/x\n", Map.of("DLRGATE_DB_READ_USER", " ")),
                "DLRGATE_DB_READ_USER", "must not be blank");
    }

    @Test
    void credentialsWithoutAReadUrlAreAForgottenUrl() {
        assertProblem(fails(PRIMARY + "  read_user: reports\n"), "database.read_user", "needs database.read_url");
        assertProblem(fails(PRIMARY + "  read_password: pw2\n"), "database.read_password",
                "needs database.read_url");
    }

    @Test
    void theEmbeddedDatabaseHasNoReplica() {
        assertProblem(fails("database:\n  read_url: jdbc:postgresql://db2/x\n"), "database.read_url",
                "needs database.url");
        assertProblem(fails("", Map.of("DLRGATE_DB_READ_URL", "jdbc:postgresql://db2/x")), "DLRGATE_DB_READ_URL",
                "needs database.url");
    }

    @Test
    void aMisspeltKeyIsNamed() {
        assertProblem(fails(PRIMARY + "  read_ulr: jdbc:postgresql://db2/x\n"), "database.read_ulr",
                "did you mean read_url?");
    }

    @Test
    void toStringHidesTheReplicasUrlAndPassword() {
        String s = load(PRIMARY + "  read_url: jdbc:postgresql://db2/x?password=hunter2\n  read_password: pw2\n")
                .database().toString();
        assertFalse(s.contains("hunter2") || s.contains("pw2") || s.contains("db2"), s);
    }
}
