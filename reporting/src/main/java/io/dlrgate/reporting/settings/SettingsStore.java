package io.dlrgate.reporting.settings;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/** Account settings and values the gateway keeps for itself (such as a generated API key), by key. */
public final class SettingsStore {

    private final DataSource ds;

    public SettingsStore(DataSource ds) {
        this.ds = ds;
    }

    public Optional<String> get(String key) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select value from settings where key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    public void put(String key, String value) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into settings (key, value) values (?, ?) "
                     + "on conflict (key) do update set value = excluded.value, updated_at = now()")) {
            ps.setString(1, key);
            ps.setString(2, value);
            ps.executeUpdate();
        }
    }

    /**
     * Stores {@code value} unless the key already has one, and returns the value that holds. Two processes
     * starting at once agree on one value.
     */
    public String putIfAbsent(String key, String value) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into settings (key, value) values (?, ?) "
                     + "on conflict (key) do nothing")) {
            ps.setString(1, key);
            ps.setString(2, value);
            ps.executeUpdate();
        }
        return get(key).orElseThrow();
    }
}
