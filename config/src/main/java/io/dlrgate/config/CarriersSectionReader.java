package io.dlrgate.config;

import io.dlrgate.config.yaml.DidYouMean;
import io.dlrgate.config.yaml.YamlTree.ListNode;
import io.dlrgate.config.yaml.YamlTree.MapNode;
import io.dlrgate.config.yaml.YamlTree.Node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads {@code carriers}: the list, and what must hold across carriers (unique ids, system_ids, password
 * variables and prefixes; no password variable for a carrier that does not exist).
 */
final class CarriersSectionReader {

    private final ReadContext ctx;
    private final CarrierReader carrier;
    private final Map<String, String> ids = new HashMap<>();          // id -> path of first carrier with it
    private final Map<String, String> systemIds = new HashMap<>();    // system_id -> "carriers[i] (id x)"
    private final Map<String, String> envNames = new HashMap<>();     // password variable -> id
    private final Map<String, String> prefixOwners = new HashMap<>(); // prefix -> "carrier x (carriers[i].prefixes[j])"

    CarriersSectionReader(ReadContext ctx) {
        this.ctx = ctx;
        this.carrier = new CarrierReader(ctx);
    }

    List<CarrierConfig> read(ConfigSection top, DispatchConfig dispatch, ExpiryConfig expiry) {
        Node n = top.get("carriers");
        List<CarrierConfig> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (!(n instanceof ListNode list)) {
            ctx.problem("carriers", n.line(), "expected a list of carriers, got " + n.describe());
            return out;
        }
        for (int i = 0; i < list.items().size(); i++) {
            Node item = list.items().get(i);
            String path = "carriers[" + i + "]";
            if (!(item instanceof MapNode)) {
                ctx.problem(path, item.line(), "expected a carrier (a mapping with id, system_id, password, ...), got "
                        + item.describe());
                continue;
            }
            ConfigSection s = new ConfigSection(ctx, item, path, item.line(), CarrierReader.KEYS);
            CarrierConfig c = carrier.read(s, dispatch, expiry);
            s.checkUnknownKeys();
            if (c == null) {
                continue;
            }
            checkIds(c, s, path);
            checkPrefixes(c, s, path);
            out.add(c);
        }
        checkPasswordVariables();
        return out;
    }

    /** Ids, system_ids and password variables are each one carrier's. */
    private void checkIds(CarrierConfig c, ConfigSection s, String path) {
        if (c.id() != null) {
            String first = ids.putIfAbsent(c.id(), path);
            if (first != null) {
                ctx.problem(s.keyPath("id"), s.lineOf("id"), "duplicate id \"" + c.id() + "\": already used by " + first);
            }
            for (String var : List.of(ConfigLoader.carrierPasswordVariable(c.id()),
                    ConfigLoader.carrierConnectPasswordVariable(c.id()))) {
                String other = envNames.putIfAbsent(var, c.id());
                if (other != null && !other.equals(c.id())) {
                    ctx.problem(s.keyPath("id"), s.lineOf("id"), "id \"" + c.id() + "\" and id \"" + other
                            + "\" share the password variable " + var + "; rename one");
                }
            }
        }
        if (c.systemId() != null) {
            String first = systemIds.putIfAbsent(c.systemId(), path + " (id " + c.id() + ")");
            if (first != null) {
                ctx.problem(s.keyPath("system_id"), s.lineOf("system_id"), "duplicate system_id \"" + c.systemId()
                        + "\": already used by " + first);
            }
        }
    }

    /** A prefix is routed to one carrier only. */
    private void checkPrefixes(CarrierConfig c, ConfigSection s, String path) {
        Node prefixes = s.get("prefixes");
        for (int j = 0; j < c.prefixes().size(); j++) {
            String prefix = c.prefixes().get(j);
            String where = "carrier " + c.id() + " (" + path + ".prefixes[" + j + "])";
            String first = prefixOwners.putIfAbsent(prefix, where);
            if (first != null) {
                int line = prefixes instanceof ListNode pl && j < pl.items().size()
                        ? pl.items().get(j).line() : s.lineOf("prefixes");
                ctx.problem(path + ".prefixes[" + j + "]", line, "prefix " + prefix + " is already routed to "
                        + first + "; a prefix may be routed to one carrier only");
            }
        }
    }

    private void checkPasswordVariables() {
        // A password variable for no carrier is most likely a typo in an id: say so instead of ignoring it.
        for (String var : ctx.envNames()) {
            if (var.startsWith("DLRGATE_CARRIER_") && var.endsWith("_PASSWORD") && !envNames.containsKey(var)
                    && var.length() > "DLRGATE_CARRIER__PASSWORD".length()) {
                ctx.envProblem(var, "no carrier has an id matching this variable" + DidYouMean.suggestion(var, envNames.keySet())
                        + (envNames.isEmpty() ? "" : "; carrier password variables: "
                        + envNames.keySet().stream().sorted().collect(Collectors.joining(", "))));
            }
        }
    }
}
