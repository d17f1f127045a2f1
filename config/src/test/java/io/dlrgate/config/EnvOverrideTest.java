package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.carrier;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvOverrideTest {

    private static final String YAML = "smpp: {host: 127.0.0.1, port: 2775}\n"
            + "http: {host: 127.0.0.1, port: 8080, api_key: file-key}\n"
            + "database: {url: 'jdbc:postgresql://file/db', user: fileuser, password: filepw}\n"
            + "carriers:\n" + carrier("alpha") + carrier("my-carrier.eu");

    private static GatewayConfig load(Map<String, String> env) {
        return ConfigLoader.fromYaml(YAML, "dlrgate.yaml", env);
    }

    @Test
    void withoutEnvironmentTheFileHolds() {
        GatewayConfig c = load(Map.of());
        assertEquals(2775, c.smpp().port());
        assertEquals("file-key", c.http().apiKey());
        assertEquals("jdbc:postgresql://file/db", c.database().url());
        assertEquals("alpha-secret", c.carrier("alpha").orElseThrow().password());
    }

    @Test
    void everyOverrideWinsOverTheFile() {
        Map<String, String> env = new HashMap<>();
        env.put("DLRGATE_DB_URL", "jdbc:postgresql://envhost:5433/dlr");
        env.put("DLRGATE_DB_USER", "envuser");
        env.put("DLRGATE_DB_PASSWORD", "envpw");
        env.put("DLRGATE_SMPP_PORT", "12775");
        env.put("DLRGATE_SMPP_HOST", "0.0.0.0");
        env.put("DLRGATE_HTTP_PORT", "18080");
        env.put("DLRGATE_HTTP_HOST", "::");
        env.put("DLRGATE_API_KEY", "env-key");
        env.put("DLRGATE_CARRIER_ALPHA_PASSWORD", "alpha-from-env");
        env.put("DLRGATE_CARRIER_MY_CARRIER_EU_PASSWORD", "mc-from-env");
        GatewayConfig c = load(env);
        assertEquals("jdbc:postgresql://envhost:5433/dlr", c.database().url());
        assertEquals("envuser", c.database().user());
        assertEquals("envpw", c.database().password());
        assertEquals(12775, c.smpp().port());
        assertEquals("0.0.0.0", c.smpp().host());
        assertEquals(18080, c.http().port());
        assertEquals("::", c.http().host());
        assertEquals("env-key", c.http().apiKey());
        assertEquals("alpha-from-env", c.carrier("alpha").orElseThrow().password());
        assertEquals("mc-from-env", c.carrier("my-carrier.eu").orElseThrow().password());
    }

    @Test
    void dbUrlFromTheEnvironmentTurnsTheEmbeddedDatabaseOff() {
        GatewayConfig c = ConfigLoader.fromYaml("", "x.yaml", Map.of("DLRGATE_DB_URL", "jdbc:postgresql://h/db"));
        assertFalse(c.database().embedded());
    }

    @Test
    void emptyVariablesOverrideNothing() {
        GatewayConfig c = load(Map.of("DLRGATE_SMPP_PORT", "", "DLRGATE_DB_URL", "", "DLRGATE_API_KEY", ""));
        assertEquals(2775, c.smpp().port());
        assertEquals("jdbc:postgresql://file/db", c.database().url());
        assertEquals("file-key", c.http().apiKey());
    }

    @Test
    void unrelatedVariablesAreIgnored() {
        GatewayConfig c = load(Map.of("PATH", "/usr/bin", "DLRGATE_TEST_DB_URL", "whatever", "DLRGATE_CONFIG", "x"));
        assertEquals(2775, c.smpp().port());
    }

    @Test
    void hexPortIsRead() {
        assertEquals(0x1000, load(Map.of("DLRGATE_SMPP_PORT", " 0x1000 ")).smpp().port());
    }

    @Test
    void passwordVariableName() {
        assertEquals("DLRGATE_CARRIER_ALPHA_PASSWORD", ConfigLoader.carrierPasswordVariable("alpha"));
        assertEquals("DLRGATE_CARRIER_MY_CARRIER_EU_PASSWORD", ConfigLoader.carrierPasswordVariable("my-carrier.eu"));
        assertEquals("DLRGATE_CARRIER_B2_PASSWORD", ConfigLoader.carrierPasswordVariable("b2"));
    }

    @Test
    void nullEnvironmentIsEmpty() {
        assertNull(ConfigLoader.fromYaml("", "x.yaml", null).http().apiKey());
    }
}
