package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.carrier;
import static io.dlrgate.config.ConfigAssertions.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BadEnvValueTest {

    @Test
    void portThatIsNotANumberNamesTheVariable() {
        ConfigException e = fails("", Map.of("DLRGATE_SMPP_PORT", "27x5"));
        assertEquals("environment: DLRGATE_SMPP_PORT: expected an integer, got \"27x5\" (overrides smpp.port)",
                e.getMessage());
        ConfigException.Problem p = e.problems().get(0);
        assertEquals(ConfigException.ENVIRONMENT, p.source());
        assertEquals("DLRGATE_SMPP_PORT", p.keyPath());
    }

    @Test
    void portOutOfRange() {
        assertProblem(fails("", Map.of("DLRGATE_HTTP_PORT", "70000")), "DLRGATE_HTTP_PORT",
                "must be between 0 and 65535, got 70000", "overrides http.port");
    }

    @Test
    void badHost() {
        assertProblem(fails("", Map.of("DLRGATE_SMPP_HOST", "not a host")), "DLRGATE_SMPP_HOST",
                "not an IP address or host name");
        assertProblem(fails("", Map.of("DLRGATE_HTTP_HOST", "300.1.1.1")), "DLRGATE_HTTP_HOST",
                "not an IP address or host name");
    }

    @Test
    void notAPostgresUrlAndTheUrlIsNotEchoed() {
        ConfigException e = fails("", Map.of("DLRGATE_DB_URL", "mysql://u:hunter2@h/db"));
        assertProblem(e, "DLRGATE_DB_URL", "must be a PostgreSQL JDBC URL", "overrides database.url");
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void blankUser() {
        assertProblem(fails("", Map.of("DLRGATE_DB_USER", "   ")), "DLRGATE_DB_USER", "must not be blank");
    }

    @Test
    void passwordVariableForNoCarrierIsATypo() {
        ConfigException e = fails("carriers:\n" + carrier("alpha"), Map.of("DLRGATE_CARRIER_ALHPA_PASSWORD", "x"));
        assertProblem(e, "DLRGATE_CARRIER_ALHPA_PASSWORD", "no carrier has an id matching this variable",
                "did you mean DLRGATE_CARRIER_ALPHA_PASSWORD?");
    }

    @Test
    void samePortForBothListenersThroughTheEnvironment() {
        assertProblem(fails("smpp: {port: 9000}\n", Map.of("DLRGATE_HTTP_PORT", "9000")), "DLRGATE_HTTP_PORT",
                "smpp.port and http.port are both 9000");
    }

    @Test
    void fileAndEnvironmentProblemsAreReportedTogether() {
        ConfigException e = fails("smpp: {port: -5}\n", Map.of("DLRGATE_HTTP_PORT", "eighty"));
        assertEquals(List.of("smpp.port", "DLRGATE_HTTP_PORT"),
                e.problems().stream().map(ConfigException.Problem::keyPath).toList());
        assertEquals("dlrgate.yaml", e.source());
    }
}
