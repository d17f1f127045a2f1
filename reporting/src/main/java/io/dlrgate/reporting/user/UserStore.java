package io.dlrgate.reporting.user;

import io.dlrgate.config.Role;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Users kept in the store (table {@code users}), beside the config's {@code auth.users}: a name, a role and a
 * {@link PasswordHash}; the password itself is never stored. Every method does JDBC, and {@link #check} a slow
 * hash: never call them on an event loop.
 */
public final class UserStore {

    private final DataSource ds;
    private final Clock clock;

    public UserStore(DataSource ds, Clock clock) {
        this.ds = ds;
        this.clock = clock;
    }

    /** Adds the user, or gives an existing one this role and a new password. */
    public void put(String name, Role role, String password) throws SQLException {
        String hash = PasswordHash.of(password);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into users (name, password_hash, role, created_at) values (?, ?, ?, ?) "
                        + "on conflict (name) do update set password_hash = excluded.password_hash, role = excluded.role")) {
            ps.setString(1, name);
            ps.setString(2, hash);
            ps.setString(3, role.configName());
            ps.setTimestamp(4, Timestamp.from(clock.instant()));
            ps.executeUpdate();
        }
    }

    /** The user's role when the password is theirs; empty for a wrong password or an unknown name. */
    public Optional<Role> check(String name, String password) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select password_hash, role from users where name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    PasswordHash.checkAgainstNothing(password);
                    return Optional.empty();
                }
                return PasswordHash.matches(password, rs.getString(1)) ? Role.fromName(rs.getString(2)) : Optional.empty();
            }
        }
    }

    /** The role of a stored user, for a session made by an earlier login; empty when the user is gone. */
    public Optional<Role> role(String name) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select role from users where name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Role.fromName(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** How many users the store holds. */
    public long count() throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("select count(*) from users");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
