package io.dlrgate.simulator.scenario;

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
        assertTrue(p.contains("many.yaml: carriers[0].window: must be between 1 and 10000, got 0"), String.join("\n", p));
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
