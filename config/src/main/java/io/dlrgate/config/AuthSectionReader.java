package io.dlrgate.config;

import io.dlrgate.config.yaml.Durations;
import io.dlrgate.config.yaml.YamlTree.ListNode;
import io.dlrgate.config.yaml.YamlTree.MapNode;
import io.dlrgate.config.yaml.YamlTree.Node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads {@code auth}: users and roles, who may read {@code /metrics}, login sessions. */
final class AuthSectionReader {
    static final List<String> KEYS = List.of("users", "metrics", "session_ttl", "session_idle_timeout",
            "max_sessions_per_user", "max_sessions", "login_failures");
    static final List<String> USER_KEYS = List.of("name", "password", "role");
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}");

    private final ReadContext ctx;

    AuthSectionReader(ReadContext ctx) {
        this.ctx = ctx;
    }

    AuthConfig read(ConfigSection s) {
        AuthConfig.MetricsAccess metrics = s.enumValue("metrics", AuthConfig.MetricsAccess.PUBLIC,
                AuthConfig.MetricsAccess.values(), AuthConfig.MetricsAccess::configName);
        Duration ttl = s.duration("session_ttl", AuthConfig.DEFAULT_SESSION_TTL);
        if (ttl.compareTo(Duration.ofMinutes(1)) < 0 || ttl.compareTo(Duration.ofDays(30)) > 0) {
            ctx.problem(s.keyPath("session_ttl"), s.lineOf("session_ttl"), "must be between 1m and 30d, got "
                    + Durations.format(ttl));
            ttl = AuthConfig.DEFAULT_SESSION_TTL;
        }
        Duration idle = s.duration("session_idle_timeout", AuthConfig.DEFAULT_SESSION_IDLE_TIMEOUT);
        if (idle.compareTo(Duration.ofMinutes(1)) < 0 || idle.compareTo(ttl) > 0) {
            ctx.problem(s.keyPath("session_idle_timeout"), s.lineOf("session_idle_timeout"), "must be between 1m and "
                    + "auth.session_ttl (" + Durations.format(ttl) + "), got " + Durations.format(idle));
            idle = idle.compareTo(ttl) > 0 ? ttl : AuthConfig.DEFAULT_SESSION_IDLE_TIMEOUT;
        }
        int perUser = s.integer("max_sessions_per_user", AuthConfig.DEFAULT_MAX_SESSIONS_PER_USER, 1, 1000);
        int maxSessions = s.integer("max_sessions", AuthConfig.DEFAULT_MAX_SESSIONS, 1, 1_000_000);
        FailureLimits loginFailures = new FailureLimitsReader(ctx).read(s.section("login_failures",
                FailureLimitsReader.KEYS));
        List<AuthConfig.User> users = users(s);
        s.checkUnknownKeys();
        return new AuthConfig(users, metrics, ttl, idle, perUser, maxSessions, loginFailures);
    }

    /** {@code users}: each a mapping of name, password and role; names are unique. */
    private List<AuthConfig.User> users(ConfigSection s) {
        List<AuthConfig.User> users = new ArrayList<>();
        Node n = s.get("users");
        if (n != null && !(n instanceof ListNode)) {
            ctx.problem(s.keyPath("users"), n.line(), "expected a list of users (name, password, role), got " + n.describe());
        } else if (n instanceof ListNode list) {
            Map<String, String> names = new HashMap<>();
            for (int i = 0; i < list.items().size(); i++) {
                Node item = list.items().get(i);
                String path = s.keyPath("users") + "[" + i + "]";
                if (!(item instanceof MapNode)) {
                    ctx.problem(path, item.line(), "expected a user (a mapping with name, password, role), got "
                            + item.describe());
                    continue;
                }
                AuthConfig.User user = user(item, path, names);
                if (user != null) {
                    users.add(user);
                }
            }
        }
        return users;
    }

    /** One user; null when unusable. {@code names}: user name to the path of the user that has it. */
    private AuthConfig.User user(Node item, String path, Map<String, String> names) {
        ConfigSection u = new ConfigSection(ctx, item, path, item.line(), USER_KEYS);
        String name = u.string("name", null, true);
        if (name != null && !USER_NAME.matcher(name).matches()) {
            ctx.problem(u.keyPath("name"), u.lineOf("name"), "not a valid user name: \"" + name
                    + "\" (1 to 64 of letters, digits, _ . @ -, starting with a letter or digit)");
            name = null;
        }
        if (name != null) {
            String first = names.putIfAbsent(name, path);
            if (first != null) {
                ctx.problem(u.keyPath("name"), u.lineOf("name"), "duplicate user \"" + name
                        + "\": already defined by " + first);
            }
        }
        String password = u.string("password", null, true);
        if (password != null && password.length() < 8) {
            ctx.problem(u.keyPath("password"), u.lineOf("password"), "must be at least 8 characters");
            password = null;
        }
        Role role = u.enumValue("role", null, Role.values(), Role::configName);
        if (!u.has("role")) {
            ctx.problem(u.keyPath("role"), u.line(), "missing required key (viewer, sender or admin)");
        }
        u.checkUnknownKeys();
        if (name != null && password != null && role != null) {
            return new AuthConfig.User(name, password, role);
        }
        return null;
    }
}
