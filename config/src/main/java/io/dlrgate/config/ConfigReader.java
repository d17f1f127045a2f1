package io.dlrgate.config;

import io.dlrgate.config.ConfigException.Problem;
import io.dlrgate.config.yaml.DidYouMean;
import io.dlrgate.config.yaml.Durations;
import io.dlrgate.config.yaml.Problems;
import io.dlrgate.config.yaml.YamlTree;
import io.dlrgate.config.yaml.YamlTree.Entry;
import io.dlrgate.config.yaml.YamlTree.ListNode;
import io.dlrgate.config.yaml.YamlTree.MapNode;
import io.dlrgate.config.yaml.YamlTree.Node;
import io.dlrgate.config.yaml.YamlTree.Scalar;

import java.math.BigInteger;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads one YAML text plus the environment into a {@link GatewayConfig}, collecting every problem on the way
 * and throwing them together at the end. One instance per load.
 */
final class ConfigReader {

    static final List<String> TOP_KEYS = List.of("smpp", "http", "database", "dispatch", "receipts", "expiry",
            "carriers", "auth", "bounces");
    static final List<String> SMPP_KEYS = List.of("host", "port", "system_id", "max_connections", "bind_timeout",
            "request_expiry", "enquire_link_interval");
    static final List<String> HTTP_KEYS = List.of("host", "port", "api_key", "public_base_url");
    static final List<String> AUTH_KEYS = List.of("users", "metrics", "session_ttl");
    static final List<String> USER_KEYS = List.of("name", "password", "role");
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}");
    static final List<String> DATABASE_KEYS = List.of("url", "user", "password", "embedded_data_dir",
            "embedded_port", "pool_size");
    static final List<String> DISPATCH_KEYS = List.of("submit_timeout", "max_submit_attempts", "batch_size",
            "idle_poll", "max_validity");
    static final List<String> RECEIPTS_KEYS = List.of("batch_size", "max_batch_delay", "max_queue_wait",
            "queue_capacity", "orphan_max_age", "stat_mapping");
    static final List<String> EXPIRY_KEYS = List.of("grace", "sweep_interval", "batch_size", "late_receipts");
    static final List<String> BOUNCES_KEYS = List.of("transient_undeliv_tab", "suppress_hard_bounces",
            "suppression_threshold", "suppression_mode");
    static final List<String> CARRIER_KEYS = List.of("id", "system_id", "password", "bind_types", "max_binds",
            "allowed_ips", "window_size", "max_submit_rate", "prefixes", "default_validity", "receipt_time_zone",
            "submit_id_format", "receipt_id_format", "throttle_status", "stat_mapping", "error_classes",
            "id_reuse_horizon");

    private static final Pattern CARRIER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern PREFIX = Pattern.compile("\\+[0-9]{1,15}");
    private static final Pattern STAT = Pattern.compile("[A-Z0-9_]{1,20}");
    private static final Pattern HOST_NAME = Pattern.compile(
            "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern HEX = Pattern.compile("[+-]?0[xX][0-9a-fA-F]+");

    private final String source;
    private final Map<String, String> env;
    private final Problems problems = new Problems();
    private final List<Problem> envProblems = new ArrayList<>();

    ConfigReader(String source, Map<String, String> env) {
        this.source = source;
        this.env = env == null ? Map.of() : env;
    }

    // ------------------------------------------------------------------ problems

    private void problem(String path, int line, String message) {
        problems.add(path, line, message);
    }

    private void envProblem(String variable, String message) {
        envProblems.add(new Problem(ConfigException.ENVIRONMENT, variable, message, 0, 0));
    }

    /** An environment value, or null when the variable is unset or empty. */
    private String env(String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    // ------------------------------------------------------------------ the whole file

    GatewayConfig read(String yaml) {
        Node root;
        try {
            root = YamlTree.parse(yaml, (path, key, line, firstLine) ->
                    problem(path, line, "duplicate key \"" + key + "\" (first given on line " + firstLine + ")"));
        } catch (YamlTree.SyntaxError e) {
            throw new ConfigException(source, List.of(
                    new Problem(source, "", "malformed YAML: " + e.getMessage(), e.line(), e.column())));
        }
        Section top = new Section(root, "", 1, TOP_KEYS);
        SmppServerConfig smpp = readSmpp(top.section("smpp", SMPP_KEYS));
        HttpConfig http = readHttp(top.section("http", HTTP_KEYS));
        DatabaseConfig database = readDatabase(top.section("database", DATABASE_KEYS));
        DispatchConfig dispatch = readDispatch(top.section("dispatch", DISPATCH_KEYS));
        ReceiptConfig receipts = readReceipts(top.section("receipts", RECEIPTS_KEYS));
        ExpiryConfig expiry = readExpiry(top.section("expiry", EXPIRY_KEYS));
        List<CarrierConfig> carriers = readCarriers(top, dispatch, expiry);
        AuthConfig auth = readAuth(top.section("auth", AUTH_KEYS));
        BouncesConfig bounces = readBounces(top.section("bounces", BOUNCES_KEYS));
        top.checkUnknownKeys();
        crossCheck(smpp, http);

        if (!problems.isEmpty() || !envProblems.isEmpty()) {
            List<Problem> all = new ArrayList<>();
            problems.all().forEach(p -> all.add(new Problem(source, p.keyPath(), p.message(), p.line(), 0)));
            all.sort(Comparator.comparingInt(p -> p.line() == 0 ? Integer.MAX_VALUE : p.line()));
            all.addAll(envProblems);
            throw new ConfigException(source, all);
        }
        return new GatewayConfig(smpp, http, database, dispatch, receipts, expiry, carriers, auth, bounces);
    }

    // ------------------------------------------------------------------ sections

    private SmppServerConfig readSmpp(Section s) {
        String host = s.host("host", "127.0.0.1");
        int port = s.integer("port", 2775, 0, 65535);
        host = envHost("DLRGATE_SMPP_HOST", "smpp.host", host);
        port = envPort("DLRGATE_SMPP_PORT", "smpp.port", port);
        String systemId = s.string("system_id", "dlrgate", false);
        if (systemId != null) {
            checkSystemId(s.path(), "system_id", s.lineOf("system_id"), systemId);
        }
        int maxConnections = s.integer("max_connections", 100, 1, 100_000);
        Duration bindTimeout = s.duration("bind_timeout", Duration.ofSeconds(5));
        Duration requestExpiry = s.duration("request_expiry", Duration.ofSeconds(30));
        Duration enquireLinkInterval = s.duration("enquire_link_interval",
                SmppServerConfig.DEFAULT_ENQUIRE_LINK_INTERVAL, true);
        s.checkUnknownKeys();
        return new SmppServerConfig(host, port, systemId, maxConnections, bindTimeout, requestExpiry,
                enquireLinkInterval);
    }

    private HttpConfig readHttp(Section s) {
        String host = s.host("host", "127.0.0.1");
        int port = s.integer("port", 8080, 0, 65535);
        String apiKey = s.string("api_key", null, false);
        if (apiKey != null && apiKey.isBlank()) {
            problem(s.keyPath("api_key"), s.lineOf("api_key"),
                    "must not be blank (leave it out to have a key generated at first start)");
        }
        host = envHost("DLRGATE_HTTP_HOST", "http.host", host);
        port = envPort("DLRGATE_HTTP_PORT", "http.port", port);
        String envKey = env("DLRGATE_API_KEY");
        if (envKey != null) {
            if (envKey.isBlank()) {
                envProblem("DLRGATE_API_KEY", "must not be blank (overrides http.api_key)");
            } else {
                apiKey = envKey;
            }
        }
        String publicBaseUrl = s.string("public_base_url", HttpConfig.DEFAULT_PUBLIC_BASE_URL, false);
        if (s.has("public_base_url")) {
            String why = checkBaseUrl(publicBaseUrl);
            if (why != null) {
                problem(s.keyPath("public_base_url"), s.lineOf("public_base_url"), why);
                publicBaseUrl = HttpConfig.DEFAULT_PUBLIC_BASE_URL;
            }
            while (publicBaseUrl.endsWith("/")) {
                publicBaseUrl = publicBaseUrl.substring(0, publicBaseUrl.length() - 1);
            }
        }
        s.checkUnknownKeys();
        return new HttpConfig(host, port, apiKey, publicBaseUrl);
    }

    /** Why a public base URL is unusable, or null: http(s), a host, no query or fragment. */
    static String checkBaseUrl(String url) {
        try {
            java.net.URI u = new java.net.URI(url);
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                return "must be an http:// or https:// URL, got \"" + url + "\"";
            }
            if (u.getHost() == null || u.getHost().isEmpty()) {
                return "must name a host, got \"" + url + "\"";
            }
            if (u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
                return "must not have a query, fragment or user info, got \"" + url + "\"";
            }
            return null;
        } catch (java.net.URISyntaxException e) {
            return "not a URL: " + e.getMessage();
        }
    }

    private AuthConfig readAuth(Section s) {
        AuthConfig.MetricsAccess metrics = s.enumValue("metrics", AuthConfig.MetricsAccess.PUBLIC,
                AuthConfig.MetricsAccess.values(), AuthConfig.MetricsAccess::configName);
        Duration ttl = s.duration("session_ttl", AuthConfig.DEFAULT_SESSION_TTL);
        if (ttl.compareTo(Duration.ofMinutes(1)) < 0 || ttl.compareTo(Duration.ofDays(30)) > 0) {
            problem(s.keyPath("session_ttl"), s.lineOf("session_ttl"), "must be between 1m and 30d, got "
                    + Durations.format(ttl));
            ttl = AuthConfig.DEFAULT_SESSION_TTL;
        }
        List<AuthConfig.User> users = new ArrayList<>();
        Node n = s.get("users");
        if (n != null && !(n instanceof ListNode)) {
            problem(s.keyPath("users"), n.line(), "expected a list of users (name, password, role), got " + n.describe());
        } else if (n instanceof ListNode list) {
            Map<String, String> names = new HashMap<>();
            for (int i = 0; i < list.items().size(); i++) {
                Node item = list.items().get(i);
                String path = s.keyPath("users") + "[" + i + "]";
                if (!(item instanceof MapNode)) {
                    problem(path, item.line(), "expected a user (a mapping with name, password, role), got "
                            + item.describe());
                    continue;
                }
                Section u = new Section(item, path, item.line(), USER_KEYS);
                String name = u.string("name", null, true);
                if (name != null && !USER_NAME.matcher(name).matches()) {
                    problem(u.keyPath("name"), u.lineOf("name"), "not a valid user name: \"" + name
                            + "\" (1 to 64 of letters, digits, _ . @ -, starting with a letter or digit)");
                    name = null;
                }
                if (name != null) {
                    String first = names.putIfAbsent(name, path);
                    if (first != null) {
                        problem(u.keyPath("name"), u.lineOf("name"), "duplicate user \"" + name
                                + "\": already defined by " + first);
                    }
                }
                String password = u.string("password", null, true);
                if (password != null && password.length() < 8) {
                    problem(u.keyPath("password"), u.lineOf("password"), "must be at least 8 characters");
                    password = null;
                }
                Role role = u.enumValue("role", null, Role.values(), Role::configName);
                if (!u.has("role")) {
                    problem(u.keyPath("role"), u.line(), "missing required key (viewer, sender or admin)");
                }
                u.checkUnknownKeys();
                if (name != null && password != null && role != null) {
                    users.add(new AuthConfig.User(name, password, role));
                }
            }
        }
        s.checkUnknownKeys();
        return new AuthConfig(users, metrics, ttl);
    }

    private DatabaseConfig readDatabase(Section s) {
        String url = s.string("url", null, false);
        if (url != null) {
            try {
                checkJdbcUrl(url);
            } catch (IllegalArgumentException e) {
                problem(s.keyPath("url"), s.lineOf("url"), e.getMessage());
            }
        }
        String user = s.string("user", "postgres", false);
        if (user != null && user.isBlank()) {
            problem(s.keyPath("user"), s.lineOf("user"), "must not be blank");
        }
        String password = s.string("password", null, false);
        String dir = s.string("embedded_data_dir", "./data/pg", false);
        Path dataDir = Path.of("./data/pg");
        if (dir != null) {
            if (dir.isBlank()) {
                problem(s.keyPath("embedded_data_dir"), s.lineOf("embedded_data_dir"), "must not be blank");
            } else {
                try {
                    dataDir = Path.of(dir);
                } catch (InvalidPathException e) {
                    problem(s.keyPath("embedded_data_dir"), s.lineOf("embedded_data_dir"),
                            "not a valid path: " + e.getReason());
                }
            }
        }
        int embeddedPort = s.integer("embedded_port", 0, 0, 65535);
        int poolSize = s.integer("pool_size", 10, 1, 200);

        String envUrl = env("DLRGATE_DB_URL");
        if (envUrl != null) {
            try {
                checkJdbcUrl(envUrl);
                url = envUrl;
            } catch (IllegalArgumentException e) {
                envProblem("DLRGATE_DB_URL", e.getMessage() + " (overrides database.url)");
            }
        }
        String envUser = env("DLRGATE_DB_USER");
        if (envUser != null) {
            if (envUser.isBlank()) {
                envProblem("DLRGATE_DB_USER", "must not be blank (overrides database.user)");
            } else {
                user = envUser;
            }
        }
        String envPassword = env("DLRGATE_DB_PASSWORD");
        if (envPassword != null) {
            password = envPassword;
        }
        s.checkUnknownKeys();
        return new DatabaseConfig(url, user, password, dataDir, embeddedPort, poolSize);
    }

    private DispatchConfig readDispatch(Section s) {
        Duration submitTimeout = s.duration("submit_timeout", Duration.ofSeconds(10));
        int maxAttempts = s.integer("max_submit_attempts", 3, 1, 100);
        int batchSize = s.integer("batch_size", 500, 1, 100_000);
        Duration idlePoll = s.duration("idle_poll", Duration.ofMillis(200));
        Duration maxValidity = s.duration("max_validity", Duration.ofHours(72));
        if (maxValidity.compareTo(Duration.ofDays(365)) > 0) {
            problem(s.keyPath("max_validity"), s.lineOf("max_validity"),
                    "must be at most 365d, got " + Durations.format(maxValidity));
        }
        s.checkUnknownKeys();
        return new DispatchConfig(submitTimeout, maxAttempts, batchSize, idlePoll, maxValidity);
    }

    private ReceiptConfig readReceipts(Section s) {
        int batchSize = s.integer("batch_size", 500, 1, 100_000);
        Duration maxBatchDelay = s.duration("max_batch_delay", Duration.ofMillis(5));
        Duration maxQueueWait = s.duration("max_queue_wait", Duration.ofSeconds(2));
        int queueCapacity = s.integer("queue_capacity", 100_000, 1, 10_000_000);
        if (s.has("queue_capacity") || s.has("batch_size")) {
            if (queueCapacity < batchSize) {
                String key = s.has("queue_capacity") ? "queue_capacity" : "batch_size";
                problem(s.keyPath(key), s.lineOf(key), "receipts.queue_capacity (" + queueCapacity
                        + ") must be at least receipts.batch_size (" + batchSize + ")");
            }
        }
        Duration orphanMaxAge = s.duration("orphan_max_age", Duration.ofHours(24));
        Map<String, Tab> mapping = new HashMap<>(ReceiptConfig.defaultStatMapping());
        mapping.putAll(statMapping(s, "stat_mapping"));
        s.checkUnknownKeys();
        return new ReceiptConfig(batchSize, maxBatchDelay, maxQueueWait, queueCapacity, orphanMaxAge, mapping);
    }

    private ExpiryConfig readExpiry(Section s) {
        Duration grace = s.duration("grace", ExpiryConfig.DEFAULT_GRACE, true);
        if (grace.compareTo(Duration.ofDays(7)) > 0) {
            problem(s.keyPath("grace"), s.lineOf("grace"), "must be at most 7d, got " + Durations.format(grace));
            grace = ExpiryConfig.DEFAULT_GRACE;
        }
        Duration interval = s.duration("sweep_interval", ExpiryConfig.DEFAULT_SWEEP_INTERVAL);
        if (interval.compareTo(Duration.ofMillis(100)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
            problem(s.keyPath("sweep_interval"), s.lineOf("sweep_interval"),
                    "must be between 100ms and 1h, got " + Durations.format(interval));
            interval = ExpiryConfig.DEFAULT_SWEEP_INTERVAL;
        }
        int batchSize = s.integer("batch_size", ExpiryConfig.DEFAULT_BATCH_SIZE, 1, 100_000);
        ExpiryConfig.LateReceipts late = s.enumValue("late_receipts", ExpiryConfig.LateReceipts.DELIVERED_WINS,
                ExpiryConfig.LateReceipts.values(), ExpiryConfig.LateReceipts::configName);
        s.checkUnknownKeys();
        return new ExpiryConfig(grace, interval, batchSize, late);
    }

    private BouncesConfig readBounces(Section s) {
        BouncesConfig d = BouncesConfig.defaults();
        Tab tab = d.transientUndelivTab();
        String tabText = s.string("transient_undeliv_tab", null, false);
        if (tabText != null) {
            Tab t = Tab.fromSlug(tabText.trim()).orElse(null);
            if (t != Tab.HARD_BOUNCES && t != Tab.SOFT_BOUNCES) {
                problem(s.keyPath("transient_undeliv_tab"), s.lineOf("transient_undeliv_tab"), "unknown value \""
                        + tabText + "\"" + DidYouMean.suggestion(tabText, List.of("hard-bounces", "soft-bounces"))
                        + "; expected one of hard-bounces, soft-bounces");
            } else {
                tab = t;
            }
        }
        boolean suppress = d.suppressHardBounces();
        Node n = s.get("suppress_hard_bounces");
        if (n != null) {
            if (n instanceof Scalar sc && (sc.token() == com.fasterxml.jackson.core.JsonToken.VALUE_TRUE
                    || sc.token() == com.fasterxml.jackson.core.JsonToken.VALUE_FALSE)) {
                suppress = sc.token() == com.fasterxml.jackson.core.JsonToken.VALUE_TRUE;
            } else {
                problem(s.keyPath("suppress_hard_bounces"), n.line(), "expected true or false, got " + n.describe());
            }
        }
        int threshold = s.integer("suppression_threshold", d.suppressionThreshold(), BouncesConfig.MIN_THRESHOLD,
                BouncesConfig.MAX_THRESHOLD);
        BouncesConfig.SuppressionMode mode = s.enumValue("suppression_mode", d.suppressionMode(),
                BouncesConfig.SuppressionMode.values(), BouncesConfig.SuppressionMode::configName);
        s.checkUnknownKeys();
        return new BouncesConfig(tab, suppress, threshold, mode);
    }

    /** {@code carriers[].error_classes}: err value (or {@code type:code}, {@code submit:status}) to permanent/transient. */
    private Map<String, BounceClass> errorClasses(Section s, String key) {
        Node n = s.get(key);
        Map<String, BounceClass> out = new LinkedHashMap<>();
        if (n == null) {
            return out;
        }
        String path = s.keyPath(key);
        if (!(n instanceof MapNode m)) {
            problem(path, n.line(), "expected a mapping of error to class (e.g. \"001\": permanent), got "
                    + n.describe());
            return out;
        }
        Map<String, String> seen = new HashMap<>();
        for (Entry e : m.entries().values()) {
            String entryPath = path + "." + e.key();
            String k;
            try {
                k = ErrorKeys.configKey(e.key());
            } catch (IllegalArgumentException ex) {
                problem(entryPath, e.keyLine(), ex.getMessage());
                continue;
            }
            String before = seen.putIfAbsent(k, e.key());
            if (before != null) {
                problem(entryPath, e.keyLine(), "error " + e.key() + " is already classed (as \"" + before
                        + "\"; leading zeros do not count)");
                continue;
            }
            Node v = e.value();
            BounceClass c = v instanceof Scalar sc && !sc.isNull() ? BounceClass.fromName(sc.text())
                    .filter(x -> x != BounceClass.NONE).orElse(null) : null;
            if (c == null) {
                String text = v instanceof Scalar sc && !sc.isNull() ? "\"" + sc.text() + "\"" : v.describe();
                problem(entryPath, v.line(), "unknown class " + text + (v instanceof Scalar sc2 && !sc2.isNull()
                        ? DidYouMean.suggestion(sc2.text(), List.of("permanent", "transient")) : "")
                        + "; expected permanent or transient");
                continue;
            }
            out.put(k, c);
        }
        return out;
    }

    private Map<String, Tab> statMapping(Section s, String key) {
        Node n = s.get(key);
        Map<String, Tab> out = new LinkedHashMap<>();
        if (n == null) {
            return out;
        }
        String path = s.keyPath(key);
        if (!(n instanceof MapNode m)) {
            problem(path, n.line(), "expected a mapping of receipt stat to tab (e.g. DELIVRD: delivered), got "
                    + n.describe());
            return out;
        }
        Map<String, String> seen = new HashMap<>();
        for (Entry e : m.entries().values()) {
            String stat = e.key().trim().toUpperCase(Locale.ROOT);
            String statPath = path + "." + e.key();
            if (!STAT.matcher(stat).matches()) {
                problem(statPath, e.keyLine(), "not a receipt stat word: \"" + e.key()
                        + "\" (letters, digits and _ only, e.g. DELIVRD)");
                continue;
            }
            String before = seen.putIfAbsent(stat, e.key());
            if (before != null) {
                problem(statPath, e.keyLine(), "stat " + stat + " is already mapped (as \"" + before + "\")");
                continue;
            }
            Node v = e.value();
            if (!(v instanceof Scalar sc) || sc.isNull()) {
                problem(statPath, v.line(), "expected a tab (" + tabSlugs() + "), got " + v.describe());
                continue;
            }
            Tab tab = Tab.fromSlug(sc.text()).orElse(null);
            if (tab == null) {
                problem(statPath, v.line(), "unknown tab \"" + sc.text() + "\"" + DidYouMean.suggestion(sc.text(),
                        Arrays.stream(Tab.values()).map(Tab::slug).toList()) + "; expected one of " + tabSlugs());
                continue;
            }
            out.put(stat, tab);
        }
        return out;
    }

    private static String tabSlugs() {
        return Arrays.stream(Tab.values()).map(Tab::slug).collect(Collectors.joining(", "));
    }

    // ------------------------------------------------------------------ carriers

    private List<CarrierConfig> readCarriers(Section top, DispatchConfig dispatch, ExpiryConfig expiry) {
        Node n = top.get("carriers");
        List<CarrierConfig> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (!(n instanceof ListNode list)) {
            problem("carriers", n.line(), "expected a list of carriers, got " + n.describe());
            return out;
        }
        Map<String, String> ids = new HashMap<>();          // id -> path of first carrier with it
        Map<String, String> systemIds = new HashMap<>();    // system_id -> "carriers[i] (id x)"
        Map<String, String> envNames = new HashMap<>();     // password variable -> id
        Map<String, String> prefixOwners = new HashMap<>(); // prefix -> "carrier x (carriers[i].prefixes[j])"
        for (int i = 0; i < list.items().size(); i++) {
            Node item = list.items().get(i);
            String path = "carriers[" + i + "]";
            if (!(item instanceof MapNode)) {
                problem(path, item.line(), "expected a carrier (a mapping with id, system_id, password, ...), got "
                        + item.describe());
                continue;
            }
            Section s = new Section(item, path, item.line(), CARRIER_KEYS);
            CarrierConfig c = readCarrier(s, dispatch, expiry);
            s.checkUnknownKeys();
            if (c == null) {
                continue;
            }
            if (c.id() != null) {
                String first = ids.putIfAbsent(c.id(), path);
                if (first != null) {
                    problem(s.keyPath("id"), s.lineOf("id"), "duplicate id \"" + c.id() + "\": already used by " + first);
                }
                String var = ConfigLoader.carrierPasswordVariable(c.id());
                String other = envNames.putIfAbsent(var, c.id());
                if (other != null && !other.equals(c.id())) {
                    problem(s.keyPath("id"), s.lineOf("id"), "id \"" + c.id() + "\" and id \"" + other
                            + "\" share the password variable " + var + "; rename one");
                }
            }
            if (c.systemId() != null) {
                String first = systemIds.putIfAbsent(c.systemId(), path + " (id " + c.id() + ")");
                if (first != null) {
                    problem(s.keyPath("system_id"), s.lineOf("system_id"), "duplicate system_id \"" + c.systemId()
                            + "\": already used by " + first);
                }
            }
            Node prefixes = s.get("prefixes");
            for (int j = 0; j < c.prefixes().size(); j++) {
                String prefix = c.prefixes().get(j);
                String where = "carrier " + c.id() + " (" + path + ".prefixes[" + j + "])";
                String first = prefixOwners.putIfAbsent(prefix, where);
                if (first != null) {
                    int line = prefixes instanceof ListNode pl && j < pl.items().size()
                            ? pl.items().get(j).line() : s.lineOf("prefixes");
                    problem(path + ".prefixes[" + j + "]", line, "prefix " + prefix + " is already routed to "
                            + first + "; a prefix may be routed to one carrier only");
                }
            }
            out.add(c);
        }
        // A password variable for no carrier is most likely a typo in an id: say so instead of ignoring it.
        for (String var : env.keySet()) {
            if (var.startsWith("DLRGATE_CARRIER_") && var.endsWith("_PASSWORD") && !envNames.containsKey(var)
                    && var.length() > "DLRGATE_CARRIER__PASSWORD".length()) {
                envProblem(var, "no carrier has an id matching this variable" + DidYouMean.suggestion(var, envNames.keySet())
                        + (envNames.isEmpty() ? "" : "; carrier password variables: "
                        + envNames.keySet().stream().sorted().collect(Collectors.joining(", "))));
            }
        }
        return out;
    }

    private CarrierConfig readCarrier(Section s, DispatchConfig dispatch, ExpiryConfig expiry) {
        String id = s.string("id", null, true);
        if (id != null && !CARRIER_ID.matcher(id).matches()) {
            problem(s.keyPath("id"), s.lineOf("id"), "not a valid carrier id: \"" + id
                    + "\" (1 to 64 of letters, digits, _ . -, starting with a letter or digit)");
            id = null;
        }
        String systemId = s.string("system_id", null, true);
        if (systemId != null && !checkSystemId(s.path(), "system_id", s.lineOf("system_id"), systemId)) {
            systemId = null;
        }
        String passwordVar = id == null ? null : ConfigLoader.carrierPasswordVariable(id);
        String envPassword = passwordVar == null ? null : env(passwordVar);
        String password = s.string("password", null, false);
        if (password != null && password.isEmpty()) {
            problem(s.keyPath("password"), s.lineOf("password"), "must not be empty");
        }
        if (envPassword != null) {
            password = envPassword;
        } else if (!s.has("password")) {
            problem(s.keyPath("password"), s.line(), "missing required key"
                    + (passwordVar == null ? "" : " (or set " + passwordVar + ")"));
        }

        Set<BindType> bindTypes = bindTypes(s);
        int maxBinds = s.integer("max_binds", 4, 1, 1000);
        List<String> allowedIps = new ArrayList<>();
        s.stringList("allowed_ips", (text, path, line) -> {
            try {
                IpAllowList.validateEntry(text);
                allowedIps.add(text.trim());
            } catch (IllegalArgumentException e) {
                problem(path, line, e.getMessage());
            }
        });
        int windowSize = s.integer("window_size", 100, 1, 10_000);
        int maxSubmitRate = s.integer("max_submit_rate", 1000, 1, 1_000_000);
        List<String> prefixes = new ArrayList<>();
        s.stringList("prefixes", (text, path, line) -> {
            String p = text.trim();
            if (!PREFIX.matcher(p).matches()) {
                problem(path, line, "not a number prefix: \"" + text + "\" (write + then 1 to 15 digits, e.g. +44)");
            } else if (prefixes.contains(p)) {
                problem(path, line, "prefix " + p + " is listed twice for this carrier");
            } else {
                prefixes.add(p);
            }
        });
        Duration defaultValidity = s.duration("default_validity", Duration.ofHours(48));
        if (defaultValidity.compareTo(dispatch.maxValidity()) > 0) {
            problem(s.keyPath("default_validity"), s.lineOf("default_validity"), "must not exceed dispatch.max_validity ("
                    + Durations.format(dispatch.maxValidity()) + "), got " + Durations.format(defaultValidity));
        }
        ZoneId zone = ZoneId.of("UTC");
        String zoneText = s.string("receipt_time_zone", "UTC", false);
        if (zoneText != null) {
            try {
                zone = ZoneId.of(zoneText.trim());
            } catch (DateTimeException e) {
                problem(s.keyPath("receipt_time_zone"), s.lineOf("receipt_time_zone"), "unknown time zone \""
                        + zoneText + "\"" + DidYouMean.suggestion(zoneText, ZoneId.getAvailableZoneIds())
                        + " (use a region such as Europe/London, or UTC, or an offset such as +02:00)");
            }
        }
        MessageIdFormat submitFormat = s.enumValue("submit_id_format", MessageIdFormat.STRING, MessageIdFormat.values(),
                f -> f.name().toLowerCase(Locale.ROOT));
        MessageIdFormat receiptFormat = s.enumValue("receipt_id_format", MessageIdFormat.STRING,
                MessageIdFormat.values(), f -> f.name().toLowerCase(Locale.ROOT));
        int throttleStatus = s.integer("throttle_status", 0x58, 1, Integer.MAX_VALUE);
        Map<String, Tab> statMapping = statMapping(s, "stat_mapping");
        Map<String, BounceClass> errorClasses = errorClasses(s, "error_classes");
        // The gateway waits for a carrier's receipt until the validity deadline plus the expiry grace; a horizon
        // shorter than that would orphan receipts it still waits for.
        Duration lastReceiptAwaited = dispatch.maxValidity().plus(expiry.grace());
        Duration idReuseHorizon = s.duration("id_reuse_horizon",
                CarrierConfig.defaultIdReuseHorizon(lastReceiptAwaited), true);
        if (!idReuseHorizon.isZero() && idReuseHorizon.compareTo(lastReceiptAwaited) < 0) {
            problem(s.keyPath("id_reuse_horizon"), s.lineOf("id_reuse_horizon"), "must be 0s (no horizon) or at least "
                    + "dispatch.max_validity + expiry.grace (" + Durations.format(lastReceiptAwaited) + "), got "
                    + Durations.format(idReuseHorizon));
        } else if (idReuseHorizon.compareTo(CarrierConfig.MAX_ID_REUSE_HORIZON) > 0) {
            problem(s.keyPath("id_reuse_horizon"), s.lineOf("id_reuse_horizon"), "must be at most "
                    + Durations.format(CarrierConfig.MAX_ID_REUSE_HORIZON) + ", got " + Durations.format(idReuseHorizon));
        }

        return new CarrierConfig(id, systemId, password, bindTypes, maxBinds, allowedIps, windowSize, maxSubmitRate,
                prefixes, defaultValidity, zone, submitFormat, receiptFormat, throttleStatus, statMapping,
                errorClasses, idReuseHorizon);
    }

    private Set<BindType> bindTypes(Section s) {
        Node n = s.get("bind_types");
        if (n == null) {
            return EnumSet.allOf(BindType.class);
        }
        EnumSet<BindType> out = EnumSet.noneOf(BindType.class);
        List<String> names = Arrays.stream(BindType.values()).map(BindType::configName).toList();
        boolean[] bad = {false};
        s.stringList("bind_types", (text, path, line) -> {
            String t = text.trim().toLowerCase(Locale.ROOT);
            BindType b = Arrays.stream(BindType.values()).filter(x -> x.configName().equals(t)).findFirst().orElse(null);
            if (b == null) {
                bad[0] = true;
                problem(path, line, "unknown bind type \"" + text + "\"" + DidYouMean.suggestion(t, names)
                        + "; expected one of " + String.join(", ", names));
            } else {
                out.add(b);
            }
        });
        if (out.isEmpty()) {
            if (n instanceof ListNode l && l.items().isEmpty()) {
                problem(s.keyPath("bind_types"), n.line(), "must list at least one bind type ("
                        + String.join(", ", names) + ")");
            }
            return EnumSet.allOf(BindType.class);
        }
        return out;
    }

    private boolean checkSystemId(String sectionPath, String key, int line, String systemId) {
        String path = join(sectionPath, key);
        if (systemId.isEmpty()) {
            problem(path, line, "must not be empty");
            return false;
        }
        if (systemId.length() > 15) {
            problem(path, line, "must be at most 15 characters (SMPP limit), got " + systemId.length());
            return false;
        }
        if (!systemId.chars().allMatch(ch -> ch > 0x20 && ch < 0x7F)) {
            problem(path, line, "must be printable ASCII without spaces, got \"" + systemId + "\"");
            return false;
        }
        return true;
    }

    // ------------------------------------------------------------------ cross checks and environment

    private void crossCheck(SmppServerConfig smpp, HttpConfig http) {
        if (smpp.port() != 0 && smpp.port() == http.port() && sameListener(smpp.host(), http.host())) {
            boolean fromEnv = env("DLRGATE_HTTP_PORT") != null || env("DLRGATE_SMPP_PORT") != null;
            if (fromEnv) {
                envProblem(env("DLRGATE_HTTP_PORT") != null ? "DLRGATE_HTTP_PORT" : "DLRGATE_SMPP_PORT",
                        "smpp.port and http.port are both " + smpp.port() + "; they must differ");
            } else {
                problem("http.port", 0, "smpp.port and http.port are both " + smpp.port() + "; they must differ");
            }
        }
    }

    private static boolean sameListener(String a, String b) {
        return a.equals(b) || isWildcard(a) || isWildcard(b);
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    private String envHost(String var, String key, String current) {
        String v = env(var);
        if (v == null) {
            return current;
        }
        try {
            return checkHost(v);
        } catch (IllegalArgumentException e) {
            envProblem(var, e.getMessage() + " (overrides " + key + ")");
            return current;
        }
    }

    private int envPort(String var, String key, int current) {
        String v = env(var);
        if (v == null) {
            return current;
        }
        try {
            return parseInteger(v.trim(), 0, 65535);
        } catch (IllegalArgumentException e) {
            envProblem(var, e.getMessage() + " (overrides " + key + ")");
            return current;
        }
    }

    // ------------------------------------------------------------------ value parsers (messages fit for users)

    static int parseInteger(String text, long min, long max) {
        BigInteger v;
        String t = text.trim();
        if (DECIMAL.matcher(t).matches()) {
            v = new BigInteger(t);
        } else if (HEX.matcher(t).matches()) {
            boolean neg = t.startsWith("-");
            String digits = t.replaceFirst("^[+-]?0[xX]", "");
            v = new BigInteger(digits, 16);
            if (neg) {
                v = v.negate();
            }
        } else {
            throw new IllegalArgumentException("expected an integer, got \"" + text + "\"");
        }
        if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new IllegalArgumentException("must be between " + min + " and " + max + ", got " + t);
        }
        return v.intValueExact();
    }

    static String checkHost(String text) {
        String h = text.trim();
        if (h.isEmpty()) {
            throw new IllegalArgumentException("must not be blank (use 127.0.0.1, 0.0.0.0, :: or a host name)");
        }
        if (IpAllowList.parseAddress(h) != null) {
            return h;
        }
        boolean looksNumeric = h.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
        if (looksNumeric || h.indexOf(':') >= 0 || !HOST_NAME.matcher(h).matches() || h.length() > 253) {
            throw new IllegalArgumentException("not an IP address or host name: \"" + text + "\"");
        }
        return h;
    }

    static void checkJdbcUrl(String url) {
        if (!url.startsWith("jdbc:postgresql:") || url.length() <= "jdbc:postgresql:".length()) {
            // The URL may hold credentials: do not echo it.
            throw new IllegalArgumentException(
                    "must be a PostgreSQL JDBC URL such as jdbc:postgresql://localhost:5432/dlrgate");
        }
    }

    // ------------------------------------------------------------------ one mapping in the file

    interface ItemSink {
        void accept(String text, String path, int line);
    }

    /** A mapping at a key path, with typed getters that report problems and fall back to defaults. */
    final class Section {
        private final MapNode map;
        private final String path;
        private final int line;
        private final List<String> known;

        Section(Node node, String path, int line, List<String> known) {
            this.path = path;
            this.known = known;
            if (node instanceof MapNode m) {
                this.map = m;
                this.line = m.line();
            } else {
                this.map = null;
                this.line = node == null ? line : node.line();
                if (node != null && !(node instanceof Scalar sc && sc.isNull())) {
                    problem(path, node.line(), "expected a mapping of keys (" + String.join(", ", known)
                            + "), got " + node.describe());
                }
            }
        }

        String path() {
            return path;
        }

        int line() {
            return line;
        }

        String keyPath(String key) {
            return join(path, key);
        }

        Section section(String key, List<String> keys) {
            return new Section(get(key), keyPath(key), lineOf(key), keys);
        }

        boolean has(String key) {
            return get(key) != null;
        }

        /** The value at the key; null when absent or written as null. */
        Node get(String key) {
            if (map == null) {
                return null;
            }
            Entry e = map.entries().get(key);
            if (e == null || (e.value() instanceof Scalar sc && sc.isNull())) {
                return null;
            }
            return e.value();
        }

        int lineOf(String key) {
            if (map != null) {
                Entry e = map.entries().get(key);
                if (e != null) {
                    return e.value() instanceof Scalar ? e.value().line() : e.keyLine();
                }
            }
            return line;
        }

        void checkUnknownKeys() {
            if (map == null) {
                return;
            }
            for (Entry e : map.entries().values()) {
                if (e.key().equals("<<")) {
                    problem(keyPath(e.key()), e.keyLine(), "YAML merge keys (<<) are not supported: write the keys out");
                } else if (!known.contains(e.key())) {
                    String hint = DidYouMean.suggestion(e.key(), known);
                    problem(keyPath(e.key()), e.keyLine(), "unknown key" + (hint.isEmpty()
                            ? "; known keys here: " + String.join(", ", known) : hint));
                }
            }
        }

        private Scalar scalar(String key, String expected) {
            Node n = get(key);
            if (n == null) {
                return null;
            }
            if (n instanceof Scalar sc) {
                return sc;
            }
            problem(keyPath(key), n.line(), "expected " + expected + ", got " + n.describe());
            return null;
        }

        String string(String key, String def, boolean required) {
            Node n = get(key);
            if (n == null) {
                if (required) {
                    problem(keyPath(key), line, "missing required key");
                }
                return def;
            }
            Scalar sc = scalar(key, "a string");
            return sc == null ? def : sc.text();
        }

        String host(String key, String def) {
            Scalar sc = scalar(key, "a host (IP address or name)");
            if (sc == null) {
                return def;
            }
            try {
                return checkHost(sc.text());
            } catch (IllegalArgumentException e) {
                problem(keyPath(key), sc.line(), e.getMessage());
                return def;
            }
        }

        int integer(String key, int def, long min, long max) {
            Scalar sc = scalar(key, "an integer");
            if (sc == null) {
                return def;
            }
            switch (sc.token()) {
                case VALUE_NUMBER_FLOAT:
                case VALUE_TRUE:
                case VALUE_FALSE:
                    problem(keyPath(key), sc.line(), "expected an integer, got " + sc.describe());
                    return def;
                default:
                    break;
            }
            try {
                return parseInteger(sc.text(), min, max);
            } catch (IllegalArgumentException e) {
                problem(keyPath(key), sc.line(), e.getMessage());
                return def;
            }
        }

        Duration duration(String key, Duration def) {
            return duration(key, def, false);
        }

        /** A duration; zero is accepted only when {@code zeroAllowed} (negative never is). */
        Duration duration(String key, Duration def, boolean zeroAllowed) {
            Scalar sc = scalar(key, "a duration (e.g. 30s, 10m, 48h, 2d, PT48H)");
            if (sc == null) {
                return def;
            }
            try {
                Duration d = Durations.parse(sc.text());
                if (d.isNegative() || (d.isZero() && !zeroAllowed)) {
                    problem(keyPath(key), sc.line(), "must be a " + (zeroAllowed ? "non-negative" : "positive")
                            + " duration, got " + sc.text());
                    return def;
                }
                return d;
            } catch (IllegalArgumentException e) {
                problem(keyPath(key), sc.line(), e.getMessage());
                return def;
            }
        }

        <E> E enumValue(String key, E def, E[] values, Function<E, String> name) {
            Scalar sc = scalar(key, "one of " + Arrays.stream(values).map(name).collect(Collectors.joining(", ")));
            if (sc == null) {
                return def;
            }
            String t = sc.text().trim().toLowerCase(Locale.ROOT);
            for (E v : values) {
                if (name.apply(v).equals(t)) {
                    return v;
                }
            }
            List<String> names = Arrays.stream(values).map(name).toList();
            problem(keyPath(key), sc.line(), "unknown value \"" + sc.text() + "\"" + DidYouMean.suggestion(t, names)
                    + "; expected one of " + String.join(", ", names));
            return def;
        }

        /** Each item of a list of scalars; a non-list or a non-scalar item is a problem. */
        void stringList(String key, ItemSink sink) {
            Node n = get(key);
            if (n == null) {
                return;
            }
            if (!(n instanceof ListNode l)) {
                problem(keyPath(key), n.line(), "expected a list (e.g. [a, b]), got " + n.describe());
                return;
            }
            for (int i = 0; i < l.items().size(); i++) {
                Node item = l.items().get(i);
                String itemPath = keyPath(key) + "[" + i + "]";
                if (item instanceof Scalar sc && !sc.isNull()) {
                    sink.accept(sc.text(), itemPath, sc.line());
                } else {
                    problem(itemPath, item.line(), "expected a string, got " + item.describe());
                }
            }
        }
    }
}
