package io.dlrgate.simulator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One file per kind of error under src/test/resources/scenarios/invalid/, each starting with
 * {@code # expect: TEXT}: loading it must fail, and one problem line must name the file and contain TEXT
 * (which names the key path).
 */
class ScenarioFileErrorsTest {
    static final Path DIR = Path.of("src/test/resources/scenarios/invalid");

    static Stream<String> files() throws Exception {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("files")
    void eachBrokenFileIsRefusedWithItsKeyPath(String name) throws Exception {
        Path file = DIR.resolve(name);
        String first = Files.readAllLines(file).get(0);
        assertTrue(first.startsWith("# expect: "), name + " must start with '# expect: '");
        String expected = first.substring("# expect: ".length());
        ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.load(file));
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith(name + ": ") && p.contains(expected)),
                "expected a problem containing '" + expected + "', got:\n" + String.join("\n", e.problems()));
        assertTrue(e.problems().size() == e.problems().stream().distinct().count(),
                "each problem once:\n" + String.join("\n", e.problems()));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.fromYaml("""
                carriers:
                  - {id: a, password: much-too-long, window: 0}
                rules:
                  - outcome: DELIVERED
                """, "many.yaml", null));
        List<String> p = e.problems();
        assertTrue(p.size() >= 3, String.join("\n", p));
        assertTrue(p.contains("many.yaml: carriers[0].window: must be between 1 and 10000, got 0 (line 2)"),
                String.join("\n", p));
    }

    @Test
    void aReplyNeedsTextOfOneSmsAndKnownKeys() {
        ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.fromYaml("""
                carriers:
                  - {id: a, password: pw, prefixes: ["+44"]}
                rules:
                  - {outcome: DELIVRD, reply: {after: 1s}}
                  - {outcome: DELIVRD, reply: {text: "%s"}}
                  - {outcome: DELIVRD, reply: {text: STOP, later: 1s}}
                  - {outcome: DELIVRD, reply: STOP}
                """.formatted("x".repeat(161)), "replies.yaml", null));
        String all = String.join("\n", e.problems());
        assertTrue(all.contains("rules[0].reply.text") && all.contains("is required"), all);
        assertTrue(all.contains("rules[1].reply.text") && all.contains("must be 1 to 160 characters, got 161"), all);
        assertTrue(all.contains("rules[2].reply") && all.contains("later"), all);
        assertTrue(all.contains("rules[3].reply") && all.contains("must be a mapping"), all);
    }

    @Test
    void problemsNameTheirLineAndComeOnce() {
        ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.fromYaml("""
                name: lines
                carriers:
                  - id: a
                    password: pw
                    prefixes: ["44"]
                    sesions: 2
                sends:
                  - campaign: C
                    content: hi
                    contacts: ["07700900001"]
                rules:
                  - outcome: DELIVRD
                  - outcome: DELIVERED
                """, "lines.yaml", null));
        List<String> p = e.problems();
        String all = String.join("\n", p);
        assertTrue(p.stream().anyMatch(l -> l.startsWith("lines.yaml: carriers[0].prefixes: '44' must be '+'")
                && l.endsWith(" (line 5)")), all);
        assertTrue(p.stream().anyMatch(l -> l.startsWith("lines.yaml: carriers[0].sesions: unknown key (did you mean "
                + "sessions?)") && l.endsWith(" (line 6)")), all);
        assertTrue(p.stream().anyMatch(l -> l.startsWith("lines.yaml: sends[0].contacts: '07700900001' must be an "
                + "international number") && l.endsWith(" (line 10)")), all);
        assertTrue(p.stream().anyMatch(l -> l.startsWith("lines.yaml: rules[1].outcome: ") && l.endsWith(" (line 13)")),
                all);
        assertTrue(p.stream().allMatch(l -> l.matches(".* \\(line \\d+\\)")), all);
        assertTrue(p.size() == p.stream().distinct().count(), "each problem once:\n" + all);
    }

    @Test
    void smscKeysNameTheirLine() {
        ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.fromYaml("""
                role: smsc
                carriers:
                  - id: a
                    password: pw
                    max_binds: 0
                    faults:
                      refuse_binds: {status: 0}
                      late_answers: {share: 2, delay: 1s}
                      drop_connection: {after_submits: 0}
                """, "smsc.yaml", null));
        List<String> p = e.problems();
        String all = String.join("\n", p);
        assertTrue(p.contains("smsc.yaml: carriers[0].max_binds: must be between 1 and 256, got 0 (line 5)"), all);
        assertTrue(p.contains("smsc.yaml: carriers[0].faults.refuse_binds.status: must be between 1 and 4294967295, "
                + "got 0 (line 7)"), all);
        assertTrue(p.stream().anyMatch(l -> l.startsWith("smsc.yaml: carriers[0].faults.late_answers.share: must be a "
                + "share between 0 and 1") && l.endsWith(" (line 8)")), all);
        assertTrue(p.contains("smsc.yaml: carriers[0].faults.drop_connection.after_submits: must be between 1 and "
                + "100000000, got 0 (line 9)"), all);
    }

    @Test
    void theRoleIsReadAndDefaultsToCarrier() {
        String carriers = "carriers: [{id: a, password: pw}]\n";
        assertEquals(Scenario.Role.CARRIER, ScenarioLoader.fromYaml(carriers, "c.yaml", null).role());
        assertEquals(Scenario.Role.SMSC, ScenarioLoader.fromYaml("role: smsc\n" + carriers, "s.yaml", null).role());
    }

    @Test
    void aSyntaxErrorIsOneLineWithItsPlace() throws Exception {
        ScenarioException e = assertThrows(ScenarioException.class,
                () -> ScenarioLoader.load(DIR.resolve("bad-yaml.yaml")));
        assertEquals(1, e.problems().size(), String.join("\n", e.problems()));
        String p = e.problems().get(0);
        assertTrue(p.startsWith("bad-yaml.yaml: not valid YAML: ") && !p.contains("\n") && p.contains("(line "),
                p);
    }

    @Test
    void aKeyGivenTwiceIsAProblemNamingBothLines() {
        ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.fromYaml("""
                carriers:
                  - id: a
                    password: pw
                    password: other
                rules:
                  - outcome: DELIVRD
                """, "twice.yaml", null));
        assertTrue(e.problems().contains(
                "twice.yaml: carriers[0].password: duplicate key \"password\" (first given on line 3) (line 4)"),
                String.join("\n", e.problems()));
    }

    @Test
    void theBundledScenariosAreValid() throws Exception {
        try (Stream<Path> s = Files.list(ScenarioGateway.BUNDLED)) {
            for (Path p : s.toList()) {
                Scenario sc = ScenarioLoader.load(p);
                assertTrue(!sc.carriers().isEmpty() && !sc.sends().isEmpty(), p.toString());
            }
        }
    }
}
