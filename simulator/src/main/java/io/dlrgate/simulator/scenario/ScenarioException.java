package io.dlrgate.simulator.scenario;

import java.util.List;

/** A scenario file that cannot be used: every problem found, each naming the file and the key path. */
public final class ScenarioException extends RuntimeException {
    private final List<String> problems;

    public ScenarioException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem: {@code FILE: KEY.PATH: what is wrong}. */
    public List<String> problems() {
        return problems;
    }
}
