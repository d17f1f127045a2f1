package io.dlrgate.config.yaml;

import java.util.Collection;
import java.util.Locale;

/**
 * The one "did you mean" of every YAML reader (the gateway's configuration and the simulator's scenarios): the
 * closest known word to a misspelt one, by edit distance, so that a typo gets a hint instead of only a refusal.
 */
public final class DidYouMean {

    private DidYouMean() {
    }

    /**
     * The candidate closest to {@code wrong} (case-insensitive, {@code -} and {@code _} alike), when at most
     * {@code maxDistance} edits away; null when none is that close.
     */
    public static String closest(String wrong, Collection<String> candidates, int maxDistance) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String w = wrong.toLowerCase(Locale.ROOT);
        for (String c : candidates) {
            int d = distance(w, c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best != null && bestDistance <= maxDistance ? best : null;
    }

    /**
     * {@code " (did you mean x?)"} when a candidate is close enough (two edits, or a third of the word's length
     * for long words), else empty.
     */
    public static String suggestion(String wrong, Collection<String> candidates) {
        String best = closest(wrong, candidates, Math.max(2, wrong.length() / 3));
        return best == null ? "" : " (did you mean " + best + "?)";
    }

    /** Levenshtein distance, treating {@code -} and {@code _} as the same. */
    static int distance(String a, String b) {
        a = a.replace('-', '_');
        b = b.replace('-', '_');
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
