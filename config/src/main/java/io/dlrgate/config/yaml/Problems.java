package io.dlrgate.config.yaml;

import java.util.ArrayList;
import java.util.List;

/**
 * Every problem a YAML reader finds, collected rather than thrown, so that the user sees all of them at once
 * instead of fixing one per run. Each names the key path, what is wrong and, when known, the line.
 */
public final class Problems {

    /**
     * One thing wrong.
     *
     * @param keyPath {@code carriers[1].window_size}, or empty for the whole file
     * @param message what is wrong, e.g. {@code must be between 1 and 10000, got 0}
     * @param line    1-based line in the file, 0 when not known
     */
    public record Found(String keyPath, String message, int line) {
    }

    private final List<Found> found = new ArrayList<>();

    public void add(String keyPath, int line, String message) {
        found.add(new Found(keyPath, message, line));
    }

    public boolean isEmpty() {
        return found.isEmpty();
    }

    /** In the order found. */
    public List<Found> all() {
        return List.copyOf(found);
    }
}
