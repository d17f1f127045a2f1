package io.dlrgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file that configures everything but carriers is refused at the carriers key, unless allowed. */
class NoCarriersTest {

    @TempDir
    Path dir;

    @Test
    void aFileWithoutCarriersIsRefusedAtTheCarriersKey() throws Exception {
        for (String text : new String[] {"smpp: {port: 2775}\n", "smpp: {port: 2775}\ncarriers: []\n"}) {
            Path file = dir.resolve("dlrgate.yaml");
            Files.writeString(file, text);
            ConfigException e = assertThrows(ConfigException.class,
                    () -> ConfigLoader.load(file, Map.of(), false));
            assertEquals("carriers", e.keyPath(), text);
            assertTrue(e.problem().startsWith("no carrier is configured"), e.problem());
            assertEquals(file + ": carriers: " + e.problem(), e.getMessage());
            assertEquals(2775, ConfigLoader.load(file, Map.of(), true).smpp().port());
        }
    }

    @Test
    void theFileNamedByTheEnvironmentIsCheckedToo() throws Exception {
        Path file = dir.resolve("env.yaml");
        Files.writeString(file, "smpp: {port: 2775}\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.resolve(null, Map.of("DLRGATE_CONFIG", file.toString()), false));
        assertEquals("carriers", e.keyPath());
    }
}
