package io.dlrgate.config;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a user of the HTTP API and web UI may do. Each role includes the ones before it: a {@code viewer} reads
 * reports, a {@code sender} also sends, an {@code admin} also changes settings and suppressions.
 */
public enum Role {
    VIEWER("viewer"),
    SENDER("sender"),
    ADMIN("admin");

    private final String configName;

    Role(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** Whether this role may do what {@code needed} may do. */
    public boolean includes(Role needed) {
        return ordinal() >= needed.ordinal();
    }

    public static Optional<Role> fromName(String s) {
        return Arrays.stream(values()).filter(r -> r.configName.equals(s)).findFirst();
    }
}
