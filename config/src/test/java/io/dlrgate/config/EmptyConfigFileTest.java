package io.dlrgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An empty file (truncated, or the wrong mount) is refused before a gateway starts with nothing to do. */
class EmptyConfigFileTest {

    @TempDir
    Path dir;

    ConfigException refused(String text) throws Exception {
        Path file = dir.resolve("dlrgate.yaml");
        Files.writeString(file, text);
        return assertThrows(ConfigException.class, () -> ConfigLoader.resolve(file.toString(), Map.of(), false));
    }

    @Test
    void emptyBlankAndCommentOnlyFilesAreRefusedAsEmpty() throws Exception {
        for (String text : new String[] {"", "  \n\n\t\n", "# dlrgate\n\n  # carriers: none yet\n", "---\n"}) {
            ConfigException e = refused(text);
            assertEquals("", e.keyPath(), text);
            assertTrue(e.problem().startsWith("the configuration file is empty"), e.problem());
            assertTrue(e.problem().contains("--allow-no-carriers"), e.problem());
        }
    }

    @Test
    void theFlagLetsAnEmptyFileThrough() throws Exception {
        Path file = dir.resolve("empty.yaml");
        Files.writeString(file, "");
        assertEquals(0, ConfigLoader.resolve(file.toString(), Map.of(), true).carriers().size());
    }
}
