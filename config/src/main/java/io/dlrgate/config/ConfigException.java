package io.dlrgate.config;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The configuration cannot be used. Carries every problem found (not only the first), each naming where it
 * comes from (the file, or {@code environment}), the key path ({@code carriers[1].window_size}, or the
 * environment variable's name) and what is wrong. The message lists one problem per line, each reading like
 * {@code dlrgate.yaml: carriers[1].window_size: must be between 1 and 10000, got 0 (line 14)}.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Where environment problems say they come from. */
    public static final String ENVIRONMENT = "environment";

    /**
     * One thing wrong with the configuration.
     *
     * @param source  the file name (as given), or {@link ConfigException#ENVIRONMENT}
     * @param keyPath {@code carriers[1].window_size}, an environment variable's name, or empty for the whole file
     * @param message what is wrong, e.g. {@code must be between 1 and 10000, got 0}
     * @param line    1-based line in the file, 0 when not known (environment, missing keys in an empty file)
     * @param column  1-based column, 0 when not known (given only for malformed YAML)
     */
    public record Problem(String source, String keyPath, String message, int line, int column) {
        public Problem {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(keyPath, "keyPath");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(source).append(": ");
            if (!keyPath.isEmpty()) {
                sb.append(keyPath).append(": ");
            }
            sb.append(message);
            if (line > 0) {
                sb.append(" (line ").append(line);
                if (column > 0) {
                    sb.append(", column ").append(column);
                }
                sb.append(')');
            }
            return sb.toString();
        }
    }

    private final String source;
    private final List<Problem> problems;

    public ConfigException(String source, List<Problem> problems) {
        super(format(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    /** A single problem, with no line information. */
    public ConfigException(String source, String keyPath, String message) {
        this(source, List.of(new Problem(source, keyPath, message, 0, 0)));
    }

    private static String format(List<Problem> problems) {
        return problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
    }

    /** The configuration file (its name as given) that was being loaded. */
    public String source() {
        return source;
    }

    /** Every problem found, in file order, then environment problems, then cross-checks. */
    public List<Problem> problems() {
        return problems;
    }

    /** The key path of the first problem. */
    public String keyPath() {
        return problems.get(0).keyPath();
    }

    /** What is wrong, for the first problem (without source, key path or line). */
    public String problem() {
        return problems.get(0).message();
    }

    /** The problem at this key path, if any. */
    public java.util.Optional<Problem> problemAt(String keyPath) {
        return problems.stream().filter(p -> p.keyPath().equals(keyPath)).findFirst();
    }
}
