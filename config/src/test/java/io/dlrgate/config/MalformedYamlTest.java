package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MalformedYamlTest {

    @Test
    void mappingValueWhereNoneIsAllowedGivesLineAndColumn() {
        ConfigException e = fails("smpp:\n  port: 2775\n  host: a: b\n");
        ConfigException.Problem p = e.problems().get(0);
        assertEquals(1, e.problems().size());
        assertEquals("", p.keyPath());
        assertEquals(3, p.line());
        assertEquals(10, p.column());
        assertEquals("dlrgate.yaml: malformed YAML: mapping values are not allowed here (line 3, column 10)",
                e.getMessage());
    }

    @Test
    void unclosedFlowSequence() {
        ConfigException e = fails("carriers:\n  - id: alpha\n    prefixes: [\"+44\"\n");
        ConfigException.Problem p = e.problems().get(0);
        assertTrue(p.message().startsWith("malformed YAML: "), p.message());
        assertTrue(p.line() >= 3, "line " + p.line());
        assertTrue(e.getMessage().startsWith("dlrgate.yaml: malformed YAML: "), e.getMessage());
        assertTrue(!p.message().contains("in 'reader'"), "parser noise left in: " + p.message());
    }

    @Test
    void badIndentation() {
        ConfigException e = fails("smpp:\n  port: 2775\n host: x\n");
        assertEquals(3, e.problems().get(0).line());
        assertTrue(e.problem().startsWith("malformed YAML"), e.problem());
    }

    @Test
    void tabIndentation() {
        ConfigException e = fails("smpp:\n\tport: 2775\n");
        assertEquals(2, e.problems().get(0).line());
    }

    @Test
    void topLevelListIsNotAConfiguration() {
        ConfigException e = fails("- a\n- b\n");
        assertEquals("", e.keyPath());
        assertTrue(e.problem().contains("expected a mapping"), e.problem());
    }

    @Test
    void secondDocumentIsRefusedRatherThanIgnored() {
        ConfigException e = fails("smpp: {port: 1}\n---\nsmpp: {port: 2}\n");
        assertTrue(e.problem().contains("more than one YAML document"), e.problem());
        assertEquals(3, e.problems().get(0).line());
    }

    @Test
    void aliasesAreRefusedRatherThanReadAsText() {
        ConfigException e = fails("carriers:\n  - {id: a, system_id: a, password: p, window_size: &w 7}\n"
                + "  - {id: b, system_id: b, password: p, window_size: *w}\n");
        assertEquals("", e.keyPath());
        assertTrue(e.problem().contains("aliases (*w) are not supported"), e.problem());
        assertEquals(3, e.problems().get(0).line());
    }

    @Test
    void mergeKeysAreNamedAsSuch() {
        ConfigException e = fails("carriers:\n  - &c {id: a, system_id: a, password: p}\n"
                + "  - <<: *c\n    id: b\n");
        assertTrue(e.getMessage().contains("not supported"), e.getMessage());
    }
}
