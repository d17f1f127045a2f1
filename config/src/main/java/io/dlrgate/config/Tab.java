package io.dlrgate.config;

import java.util.Arrays;
import java.util.Optional;

/**
 * The five report tabs every message lands in. It lives in the config module because the stat-to-tab mapping
 * is configuration; the reporting module builds on it.
 */
public enum Tab {
    DELIVERED("delivered", true),
    PENDING("pending", false),
    SOFT_BOUNCES("soft-bounces", true),
    HARD_BOUNCES("hard-bounces", true),
    DELETED("deleted", true);

    private final String slug;
    private final boolean fin;

    Tab(String slug, boolean fin) {
        this.slug = slug;
        this.fin = fin;
    }

    /** The name used in URLs, config files and JSON: {@code soft-bounces}. */
    public String slug() {
        return slug;
    }

    /** Whether a message in this tab has reached a final state. Only Pending is not final. */
    public boolean isFinal() {
        return fin;
    }

    public static Optional<Tab> fromSlug(String s) {
        if (s == null) {
            return Optional.empty();
        }
        String norm = s.trim().toLowerCase().replace('_', '-');
        return Arrays.stream(values()).filter(t -> t.slug.equals(norm)).findFirst();
    }
}
