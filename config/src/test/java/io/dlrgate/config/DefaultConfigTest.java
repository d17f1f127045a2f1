package io.dlrgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped dlrgate.yaml loads, is valid, and says what the documentation says it does. */
class DefaultConfigTest {

    @Test
    void shippedDefaultLoadsWithThreeDemoCarriers() {
        GatewayConfig c = ConfigLoader.loadDefault(Map.of());
        assertEquals(List.of("alpha", "beta", "gamma"), c.carriers().stream().map(CarrierConfig::id).toList());
        assertEquals(List.of("+44"), c.carrier("alpha").orElseThrow().prefixes());
        assertEquals(List.of("+33"), c.carrier("beta").orElseThrow().prefixes());
        assertEquals(List.of("+1"), c.carrier("gamma").orElseThrow().prefixes());
        assertEquals("alpha-pw", c.carrierBySystemId("alpha").orElseThrow().password());
        assertEquals("beta-pw", c.carrierBySystemId("beta").orElseThrow().password());
        assertEquals("gamma-pw", c.carrierBySystemId("gamma").orElseThrow().password());
    }

    @Test
    void shippedDefaultMatchesTheBuiltInDefaults() {
        // Every value the file writes out must be what the loader would use had the key been left out,
        // so that the comments in the file and docs/reference/configuration.md never lie.
        GatewayConfig shipped = ConfigLoader.loadDefault(Map.of());
        GatewayConfig builtIn = ConfigLoader.fromYaml("carriers:\n"
                + "  - {id: alpha, system_id: alpha, password: alpha-pw, prefixes: [\"+44\"]}\n"
                + "  - {id: beta, system_id: beta, password: beta-pw, prefixes: [\"+33\"]}\n"
                + "  - {id: gamma, system_id: gamma, password: gamma-pw, prefixes: [\"+1\"]}\n",
                "built-in", Map.of());
        assertEquals(builtIn, shipped);
    }

    @Test
    void builtInDefaults() {
        GatewayConfig c = ConfigLoader.fromYaml("", "empty.yaml", Map.of());
        assertEquals(new SmppServerConfig("127.0.0.1", 2775, "dlrgate", 100, Duration.ofSeconds(5),
                Duration.ofSeconds(30)), c.smpp());
        assertEquals("127.0.0.1", c.http().host());
        assertEquals(8080, c.http().port());
        assertNull(c.http().apiKey());
        assertNull(c.database().url());
        assertTrue(c.database().embedded());
        assertEquals("postgres", c.database().user());
        assertNull(c.database().password());
        assertEquals(Path.of("./data/pg"), c.database().embeddedDataDir());
        assertEquals(0, c.database().embeddedPort());
        assertEquals(10, c.database().poolSize());
        assertEquals(new DispatchConfig(Duration.ofSeconds(10), Duration.ofSeconds(10), 3, 10, 500, Duration.ofMillis(200), Duration.ofHours(72)),
                c.dispatch());
        assertEquals(new ReceiptConfig(500, Duration.ofMillis(5), Duration.ofSeconds(2), 100_000, Duration.ofHours(24),
                ReceiptConfig.defaultStatMapping()), c.receipts());
        assertEquals(new ExpiryConfig(Duration.ofMinutes(5), Duration.ofSeconds(10), 20_000,
                ExpiryConfig.LateReceipts.DELIVERED_WINS), c.expiry());
        assertEquals(ExpiryConfig.defaults(), c.expiry());
        assertTrue(c.carriers().isEmpty());
    }

    @Test
    void carrierDefaults() {
        CarrierConfig a = ConfigAssertions.load("carriers:\n" + ConfigAssertions.carrier("alpha")).carriers().get(0);
        assertEquals(EnumSet.allOf(BindType.class), a.bindTypes());
        assertEquals(4, a.maxBinds());
        assertEquals(List.of(), a.allowedIps());
        assertTrue(a.ipAllowList().allowsAll());
        assertEquals(100, a.windowSize());
        assertEquals(1000, a.maxSubmitRate());
        assertEquals(List.of(), a.prefixes());
        assertEquals(Duration.ofHours(48), a.defaultValidity());
        assertEquals(ZoneId.of("UTC"), a.receiptTimeZone());
        assertEquals(MessageIdFormat.STRING, a.submitIdFormat());
        assertEquals(MessageIdFormat.STRING, a.receiptIdFormat());
        assertEquals(0x58, a.throttleStatus());
        assertEquals(Map.of(), a.statMapping());
    }

    @Test
    void resolvePrecedenceOptionThenEnvThenDefault(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path fromOption = dir.resolve("option.yaml");
        Path fromEnv = dir.resolve("env.yaml");
        java.nio.file.Files.writeString(fromOption, "smpp: {port: 1111}\n");
        java.nio.file.Files.writeString(fromEnv, "smpp: {port: 2222}\n");
        Map<String, String> env = Map.of("DLRGATE_CONFIG", fromEnv.toString());
        assertEquals(1111, ConfigLoader.resolve(fromOption.toString(), env).smpp().port());
        assertEquals(2222, ConfigLoader.resolve(null, env).smpp().port());
        assertEquals(2222, ConfigLoader.resolve("  ", env).smpp().port());
        assertEquals(2775, ConfigLoader.resolve(null, Map.of()).smpp().port());
        assertEquals(3, ConfigLoader.resolve(null, Map.of()).carriers().size());
    }

    @Test
    void missingFileNamesTheFile(@org.junit.jupiter.api.io.TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> ConfigLoader.resolve(null, Map.of("DLRGATE_CONFIG", missing.toString())));
        assertEquals(missing.toString(), e.source());
        assertEquals(missing + ": cannot read the configuration file: no such file", e.getMessage());
    }

    @Test
    void secretsAreNotPrinted() {
        GatewayConfig c = ConfigLoader.fromYaml("http: {api_key: topsecretkey}\n"
                + "database: {url: 'jdbc:postgresql://h/db?password=dbsecret', password: dbsecret}\n"
                + "carriers:\n" + ConfigAssertions.carrier("alpha"), "x.yaml", Map.of());
        String s = c.toString();
        assertFalse(s.contains("topsecretkey"), s);
        assertFalse(s.contains("dbsecret"), s);
        assertFalse(s.contains("alpha-pw"), s);
    }
}
