package io.dlrgate.gateway.app;

import io.dlrgate.reporting.settings.SettingsStore;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.Base64;

/**
 * The API key: the configured one, or else one generated at first start and kept in the store so that it
 * stays the same across restarts.
 */
final class ApiKeys {

    static final String SETTING = "api_key";

    /** A resolved key, and whether this start created it (then it is printed once for the operator). */
    record Resolved(String key, boolean generated, boolean configured) {
    }

    private ApiKeys() {
    }

    static Resolved resolve(String configured, SettingsStore settings) throws SQLException {
        if (configured != null && !configured.isBlank()) {
            return new Resolved(configured, false, true);
        }
        String existing = settings.get(SETTING).orElse(null);
        if (existing != null) {
            return new Resolved(existing, false, false);
        }
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String fresh = "dlr_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String kept = settings.putIfAbsent(SETTING, fresh);
        return new Resolved(kept, kept.equals(fresh), false);
    }
}
