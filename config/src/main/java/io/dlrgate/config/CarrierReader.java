package io.dlrgate.config;

import io.dlrgate.config.yaml.DidYouMean;
import io.dlrgate.config.yaml.Durations;
import io.dlrgate.config.yaml.YamlTree.Entry;
import io.dlrgate.config.yaml.YamlTree.ListNode;
import io.dlrgate.config.yaml.YamlTree.MapNode;
import io.dlrgate.config.yaml.YamlTree.Node;
import io.dlrgate.config.yaml.YamlTree.Scalar;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one entry of {@code carriers}: credentials, binds (in, and out through {@code connect}), limits, routing,
 * validity and receipt handling.
 */
final class CarrierReader {
    static final List<String> KEYS = List.of("id", "system_id", "password", "bind_types", "max_binds",
            "allowed_ips", "window_size", "max_submit_rate", "prefixes", "default_validity", "receipt_time_zone",
            "submit_id_format", "receipt_id_format", "throttle_status", "stat_mapping", "error_classes",
            "id_reuse_horizon", "connect", "senders", "source_ton", "source_npi", "long_messages", "udh_reference");
    /** Keys that only limit binds carriers open to the gateway. */
    static final List<String> INBOUND_ONLY_KEYS = List.of("bind_types", "max_binds", "allowed_ips");
    private static final Pattern CARRIER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern PREFIX = Pattern.compile("\\+[0-9]{1,15}");
    /** SMPP 3.4 section 5.2.6: the numbering plan indicators it defines. */
    private static final List<Integer> NPIS = List.of(0, 1, 3, 4, 6, 8, 9, 10, 14, 18);

    private final ReadContext ctx;
    private final StatMappingReader statMappings;
    private final ConnectReader connects;

    CarrierReader(ReadContext ctx) {
        this.ctx = ctx;
        this.statMappings = new StatMappingReader(ctx);
        this.connects = new ConnectReader(ctx);
    }

    CarrierConfig read(ConfigSection s, DispatchConfig dispatch, ExpiryConfig expiry) {
        String id = s.string("id", null, true);
        if (id != null && !CARRIER_ID.matcher(id).matches()) {
            ctx.problem(s.keyPath("id"), s.lineOf("id"), "not a valid carrier id: \"" + id
                    + "\" (1 to 64 of letters, digits, _ . -, starting with a letter or digit)");
            id = null;
        }
        // A carrier the gateway binds out to needs no credentials for binds coming in; one that binds in does.
        boolean bindsOut = s.has("connect");
        boolean bindsIn = !bindsOut || s.has("system_id");
        String systemId = s.string("system_id", null, !bindsOut);
        if (systemId != null && !ctx.checkSystemId(s.path(), "system_id", s.lineOf("system_id"), systemId)) {
            systemId = null;
        }
        String password = null;
        if (bindsIn) {
            password = password(s, id);
        } else if (s.has("password")) {
            ctx.problem(s.keyPath("password"), s.lineOf("password"), "a password for binds coming in needs a "
                    + "system_id too (the password the gateway binds out with goes under connect)");
        }
        if (!bindsIn) {
            // Limits of binds coming in, on a carrier no bind can come in from: silently ignored, they would
            // mislead whoever reads the file into thinking the carrier is limited.
            for (String key : INBOUND_ONLY_KEYS) {
                if (s.has(key)) {
                    ctx.problem(s.keyPath(key), s.lineOf(key), "only for binds coming in (needs system_id); the "
                            + "binds the gateway makes are set under connect (bind, sessions)");
                }
            }
        }
        ConnectConfig connect = bindsOut ? connects.read(s.section("connect", ConnectReader.KEYS), id, bindsIn) : null;
        Set<BindType> bindTypes = bindTypes(s);
        int maxBinds = s.integer("max_binds", 4, 1, 1000);
        List<String> allowedIps = allowedIps(s);
        int windowSize = s.integer("window_size", 100, 1, 10_000);
        int maxSubmitRate = s.integer("max_submit_rate", 1000, 1, 1_000_000);
        List<String> prefixes = prefixes(s);
        Duration defaultValidity = s.duration("default_validity", Duration.ofHours(48));
        if (defaultValidity.compareTo(dispatch.maxValidity()) > 0) {
            ctx.problem(s.keyPath("default_validity"), s.lineOf("default_validity"), "must not exceed dispatch.max_validity ("
                    + Durations.format(dispatch.maxValidity()) + "), got " + Durations.format(defaultValidity));
        }
        ZoneId zone = receiptZone(s);
        MessageIdFormat submitFormat = s.enumValue("submit_id_format", MessageIdFormat.STRING, MessageIdFormat.values(),
                f -> f.name().toLowerCase(Locale.ROOT));
        MessageIdFormat receiptFormat = s.enumValue("receipt_id_format", MessageIdFormat.STRING,
                MessageIdFormat.values(), f -> f.name().toLowerCase(Locale.ROOT));
        int throttleStatus = s.integer("throttle_status", 0x58, 1, Integer.MAX_VALUE);
        Map<String, Tab> statMapping = statMappings.read(s, "stat_mapping");
        Map<String, BounceClass> errorClasses = errorClasses(s, "error_classes");
        Duration idReuseHorizon = idReuseHorizon(s, dispatch, expiry);
        return new CarrierConfig(id, systemId, password, bindTypes, maxBinds, allowedIps, windowSize, maxSubmitRate,
                prefixes, defaultValidity, zone, submitFormat, receiptFormat, throttleStatus, statMapping,
                errorClasses, idReuseHorizon, connect, senders(s), longMessages(s));
    }

    /** {@code long_messages} and {@code udh_reference}: how content over one short message goes out. */
    private LongMessages longMessages(ConfigSection s) {
        LongMessages.Mode mode = s.enumValue("long_messages", LongMessages.Mode.UDH, LongMessages.Mode.values(),
                LongMessages.Mode::configName);
        int bits = 8;
        if (s.has("udh_reference")) {
            int given = s.integer("udh_reference", 8, 0, Integer.MAX_VALUE);
            if (given != 8 && given != 16) {
                ctx.problem(s.keyPath("udh_reference"), s.lineOf("udh_reference"),
                        "must be 8 or 16 (bits of the concatenation reference), got " + given);
            } else {
                bits = given;
            }
            if (mode != LongMessages.Mode.UDH) {
                // A reference width with no UDH to put it in would mislead whoever reads the file.
                ctx.problem(s.keyPath("udh_reference"), s.lineOf("udh_reference"),
                        "only applies with long_messages: udh (this carrier has long_messages: " + mode.configName()
                                + ")");
            }
        }
        return new LongMessages(mode, bits);
    }

    /** The password, from the file or from the carrier's environment variable (which wins). */
    private String password(ConfigSection s, String id) {
        String passwordVar = id == null ? null : ConfigLoader.carrierPasswordVariable(id);
        String envPassword = passwordVar == null ? null : ctx.env(passwordVar);
        String password = s.string("password", null, false);
        if (password != null && password.isEmpty()) {
            ctx.problem(s.keyPath("password"), s.lineOf("password"), "must not be empty");
        }
        if (envPassword != null) {
            password = envPassword;
        } else if (!s.has("password")) {
            ctx.problem(s.keyPath("password"), s.line(), "missing required key"
                    + (passwordVar == null ? "" : " (or set " + passwordVar + ")"));
        }
        return password;
    }

    private List<String> allowedIps(ConfigSection s) {
        List<String> allowedIps = new ArrayList<>();
        s.stringList("allowed_ips", (text, path, line) -> {
            try {
                IpAllowList.validateEntry(text);
                allowedIps.add(text.trim());
            } catch (IllegalArgumentException e) {
                ctx.problem(path, line, e.getMessage());
            }
        });
        return allowedIps;
    }

    /** {@code senders}, {@code source_ton}, {@code source_npi}: which senders, addressed how. */
    private CarrierSenders senders(ConfigSection s) {
        List<String> allowed = new ArrayList<>();
        s.stringList("senders", (text, path, line) -> {
            try {
                SenderId sender = SenderId.parse(text);
                if (allowed.contains(sender.text())) {
                    ctx.problem(path, line, "sender \"" + text + "\" is listed twice for this carrier");
                } else {
                    allowed.add(sender.text());
                }
            } catch (IllegalArgumentException e) {
                ctx.problem(path, line, "not a sender: " + e.getMessage());
            }
        });
        Integer ton = s.has("source_ton") ? s.integer("source_ton", 0, 0, 6) : null;
        Integer npi = null;
        if (s.has("source_npi")) {
            npi = s.integer("source_npi", 0, 0, 255);
            if (!NPIS.contains(npi)) {
                ctx.problem(s.keyPath("source_npi"), s.lineOf("source_npi"), "not a numbering plan SMPP 3.4 defines: "
                        + npi + "; expected one of " + NPIS + " (0 unknown, 1 ISDN/E.164, 9 private, ...)");
                npi = null;
            }
        }
        return new CarrierSenders(allowed, ton, npi);
    }

    private List<String> prefixes(ConfigSection s) {
        List<String> prefixes = new ArrayList<>();
        s.stringList("prefixes", (text, path, line) -> {
            String p = text.trim();
            if (!PREFIX.matcher(p).matches()) {
                ctx.problem(path, line, "not a number prefix: \"" + text + "\" (write + then 1 to 15 digits, e.g. +44)");
            } else if (prefixes.contains(p)) {
                ctx.problem(path, line, "prefix " + p + " is listed twice for this carrier");
            } else {
                prefixes.add(p);
            }
        });
        return prefixes;
    }

    private ZoneId receiptZone(ConfigSection s) {
        ZoneId zone = ZoneId.of("UTC");
        String zoneText = s.string("receipt_time_zone", "UTC", false);
        if (zoneText != null) {
            try {
                zone = ZoneId.of(zoneText.trim());
            } catch (DateTimeException e) {
                ctx.problem(s.keyPath("receipt_time_zone"), s.lineOf("receipt_time_zone"), "unknown time zone \""
                        + zoneText + "\"" + DidYouMean.suggestion(zoneText, ZoneId.getAvailableZoneIds())
                        + " (use a region such as Europe/London, or UTC, or an offset such as +02:00)");
            }
        }
        return zone;
    }

    private Duration idReuseHorizon(ConfigSection s, DispatchConfig dispatch, ExpiryConfig expiry) {
        // The gateway waits for a carrier's receipt until the validity deadline plus the expiry grace; a horizon
        // shorter than that would orphan receipts it still waits for.
        Duration lastReceiptAwaited = dispatch.maxValidity().plus(expiry.grace());
        Duration idReuseHorizon = s.duration("id_reuse_horizon",
                CarrierConfig.defaultIdReuseHorizon(lastReceiptAwaited), true);
        if (!idReuseHorizon.isZero() && idReuseHorizon.compareTo(lastReceiptAwaited) < 0) {
            ctx.problem(s.keyPath("id_reuse_horizon"), s.lineOf("id_reuse_horizon"), "must be 0s (no horizon) or at least "
                    + "dispatch.max_validity + expiry.grace (" + Durations.format(lastReceiptAwaited) + "), got "
                    + Durations.format(idReuseHorizon));
        } else if (idReuseHorizon.compareTo(CarrierConfig.MAX_ID_REUSE_HORIZON) > 0) {
            ctx.problem(s.keyPath("id_reuse_horizon"), s.lineOf("id_reuse_horizon"), "must be at most "
                    + Durations.format(CarrierConfig.MAX_ID_REUSE_HORIZON) + ", got " + Durations.format(idReuseHorizon));
        }
        return idReuseHorizon;
    }

    private Set<BindType> bindTypes(ConfigSection s) {
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
                ctx.problem(path, line, "unknown bind type \"" + text + "\"" + DidYouMean.suggestion(t, names)
                        + "; expected one of " + String.join(", ", names));
            } else {
                out.add(b);
            }
        });
        if (out.isEmpty()) {
            if (n instanceof ListNode l && l.items().isEmpty()) {
                ctx.problem(s.keyPath("bind_types"), n.line(), "must list at least one bind type ("
                        + String.join(", ", names) + ")");
            }
            return EnumSet.allOf(BindType.class);
        }
        return out;
    }

    /** {@code carriers[].error_classes}: err value (or {@code type:code}, {@code submit:status}) to permanent/transient. */
    private Map<String, BounceClass> errorClasses(ConfigSection s, String key) {
        Node n = s.get(key);
        Map<String, BounceClass> out = new LinkedHashMap<>();
        if (n == null) {
            return out;
        }
        String path = s.keyPath(key);
        if (!(n instanceof MapNode m)) {
            ctx.problem(path, n.line(), "expected a mapping of error to class (e.g. \"001\": permanent), got "
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
                ctx.problem(entryPath, e.keyLine(), ex.getMessage());
                continue;
            }
            String before = seen.putIfAbsent(k, e.key());
            if (before != null) {
                ctx.problem(entryPath, e.keyLine(), "error " + e.key() + " is already classed (as \"" + before
                        + "\"; leading zeros do not count)");
                continue;
            }
            Node v = e.value();
            BounceClass c = v instanceof Scalar sc && !sc.isNull() ? BounceClass.fromName(sc.text())
                    .filter(x -> x != BounceClass.NONE).orElse(null) : null;
            if (c == null) {
                String text = v instanceof Scalar sc && !sc.isNull() ? "\"" + sc.text() + "\"" : v.describe();
                ctx.problem(entryPath, v.line(), "unknown class " + text + (v instanceof Scalar sc2 && !sc2.isNull()
                        ? DidYouMean.suggestion(sc2.text(), List.of("permanent", "transient")) : "")
                        + "; expected permanent or transient");
                continue;
            }
            out.put(k, c);
        }
        return out;
    }
}
