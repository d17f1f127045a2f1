package io.dlrgate.simulator.outcome;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Integer weights over stats, kept in the order given. A draw is {@code random.nextInt(total)} mapped onto
 * the cumulative weights in that order; this is the whole contract, so anyone can recount a seeded run.
 */
public final class OutcomeWeights {
    private final Map<Stat, Integer> weights;
    private final Stat[] stats;
    private final int[] cumulative;
    private final int total;

    public OutcomeWeights(Map<Stat, Integer> weights) {
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("weights must name at least one stat");
        }
        LinkedHashMap<Stat, Integer> copy = new LinkedHashMap<>();
        int sum = 0;
        for (Map.Entry<Stat, Integer> e : weights.entrySet()) {
            int w = e.getValue();
            if (w < 0) {
                throw new IllegalArgumentException("weight of " + e.getKey() + " must be >= 0, got " + w);
            }
            if (w > 0) {
                copy.put(e.getKey(), w);
                sum = Math.addExact(sum, w);
            }
        }
        if (sum == 0) {
            throw new IllegalArgumentException("weights must not all be zero");
        }
        this.weights = Collections.unmodifiableMap(copy);
        this.stats = copy.keySet().toArray(new Stat[0]);
        this.cumulative = new int[stats.length];
        int acc = 0;
        for (int i = 0; i < stats.length; i++) {
            acc += copy.get(stats[i]);
            cumulative[i] = acc;
        }
        this.total = sum;
    }

    /** Everything delivered. */
    public static OutcomeWeights allDelivered() {
        return new OutcomeWeights(Map.of(Stat.DELIVRD, 1));
    }

    /** Parses {@code "DELIVRD=80,UNDELIV=10,EXPIRED=5"}. */
    public static OutcomeWeights parse(String text) {
        LinkedHashMap<Stat, Integer> map = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("weight '" + p + "' must be STAT=NUMBER, e.g. DELIVRD=80");
            }
            Stat stat = Stat.parse(p.substring(0, eq));
            int w;
            try {
                w = Integer.parseInt(p.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("weight of " + stat + " must be a whole number, got '"
                        + p.substring(eq + 1).trim() + "'");
            }
            if (map.put(stat, w) != null) {
                throw new IllegalArgumentException("stat " + stat + " is given twice in weights '" + text + "'");
            }
        }
        return new OutcomeWeights(map);
    }

    /** Maps a value in {@code [0, total)} to its stat. */
    public Stat statFor(int value) {
        if (value < 0 || value >= total) {
            throw new IllegalArgumentException("value " + value + " outside [0," + total + ")");
        }
        for (int i = 0; i < cumulative.length; i++) {
            if (value < cumulative[i]) {
                return stats[i];
            }
        }
        throw new AssertionError("unreachable");
    }

    public Stat draw(Random random) {
        return statFor(random.nextInt(total));
    }

    public int total() {
        return total;
    }

    public Map<Stat, Integer> asMap() {
        return weights;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        weights.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return sb.toString();
    }
}
