package io.dlrgate.reporting.state;

import io.dlrgate.config.CarrierConfig;
import io.dlrgate.config.ReceiptConfig;
import io.dlrgate.config.Tab;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The stat-word-to-tab mapping of one carrier: the global mapping with that carrier's overrides laid over it.
 * Pure and immutable.
 *
 * <p>Stat words are compared after {@link #normalise(String) normalisation} (trimmed, upper case), both in the
 * mapping and when looking one up, so {@code delivrd} and {@code DELIVRD } are the same word. A word the mapping
 * does not list maps to nothing: {@link #tabFor(String)} returns empty and the message stays where it is (a Pending
 * message stays Pending). An unknown word is never guessed into a failure; the caller counts it.
 */
public final class StatMapping {

    private final Map<String, Tab> tabs;

    private StatMapping(Map<String, Tab> tabs) {
        this.tabs = Map.copyOf(tabs);
    }

    /** The mapping shipped by default ({@link ReceiptConfig#defaultStatMapping()}), without overrides. */
    public static StatMapping defaults() {
        return of(ReceiptConfig.defaultStatMapping());
    }

    /** A mapping of exactly these entries (keys normalised). */
    public static StatMapping of(Map<String, Tab> mapping) {
        return new StatMapping(normaliseKeys(mapping, "mapping"));
    }

    /** The global mapping with a carrier's overrides laid over it: an override replaces the global entry. */
    public static StatMapping merged(Map<String, Tab> global, Map<String, Tab> carrierOverrides) {
        Map<String, Tab> merged = new HashMap<>(normaliseKeys(global, "global mapping"));
        merged.putAll(normaliseKeys(carrierOverrides, "carrier overrides"));
        return new StatMapping(merged);
    }

    /** The mapping for one carrier: {@link ReceiptConfig#statMapping()} merged with {@link CarrierConfig#statMapping()}. */
    public static StatMapping forCarrier(ReceiptConfig receipts, CarrierConfig carrier) {
        return merged(receipts.statMapping(), carrier.statMapping());
    }

    /** This mapping with overrides laid over it. */
    public StatMapping withOverrides(Map<String, Tab> overrides) {
        return merged(tabs, overrides);
    }

    /**
     * The tab a stat word maps to; empty for a word the mapping does not list, and for null or blank.
     */
    public Optional<Tab> tabFor(String stat) {
        String key = normalise(stat);
        return key == null ? Optional.empty() : Optional.ofNullable(tabs.get(key));
    }

    /** Whether the word is listed (after normalisation). */
    public boolean isKnown(String stat) {
        return tabFor(stat).isPresent();
    }

    /** The entries, keys normalised; unmodifiable. */
    public Map<String, Tab> asMap() {
        return tabs;
    }

    /**
     * The form in which stat words are compared and stored: trimmed, upper case (root locale); null for null or
     * blank.
     */
    public static String normalise(String stat) {
        if (stat == null) {
            return null;
        }
        String s = stat.strip();
        return s.isEmpty() ? null : s.toUpperCase(Locale.ROOT);
    }

    private static Map<String, Tab> normaliseKeys(Map<String, Tab> in, String what) {
        Objects.requireNonNull(in, what);
        Map<String, Tab> out = new HashMap<>();
        for (Map.Entry<String, Tab> e : in.entrySet()) {
            String key = normalise(e.getKey());
            if (key == null) {
                throw new IllegalArgumentException(what + ": blank stat word");
            }
            Tab tab = Objects.requireNonNull(e.getValue(), () -> what + ": no tab for stat " + key);
            Tab before = out.put(key, tab);
            if (before != null && before != tab) {
                throw new IllegalArgumentException(what + ": stat " + key + " is mapped to both "
                        + before.slug() + " and " + tab.slug() + " (keys differ only in case or spaces)");
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StatMapping other && tabs.equals(other.tabs);
    }

    @Override
    public int hashCode() {
        return tabs.hashCode();
    }

    @Override
    public String toString() {
        return "StatMapping" + new java.util.TreeMap<>(tabs);
    }
}
