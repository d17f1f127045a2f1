package io.dlrgate.config;

import java.util.Locale;
import java.util.Optional;

/**
 * What kind of failure a message's error is: {@link #PERMANENT} (the number is wrong or dead: counts toward
 * suppression), {@link #TRANSIENT} (the phone or the network may take it later: never counts), {@link #NONE}
 * (not a failure). Stored in {@code messages.error_class} as {@link #dbName()} (null for NONE).
 */
public enum BounceClass {
    PERMANENT,
    TRANSIENT,
    NONE;

    /** As written in config files, the store and the API: {@code permanent}, {@code transient}, {@code none}. */
    public String dbName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<BounceClass> fromName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (BounceClass c : values()) {
            if (c.dbName().equals(n)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
