package io.dlrgate.simulator.scenario;

import com.cloudhopper.smpp.SmppBindType;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import io.dlrgate.simulator.carrier.SmscSettings;

/**
 * Reads the {@code carriers} section: each simulated carrier's credentials (SMPP 3.4 limits), binds, window,
 * prefixes, receipt delay, dialect and faults. Ids and system_ids are unique.
 */
final class CarriersReader {
    private final ScenarioNodes in;
    private final DelayReader delays;
    private final DialectReader dialects;
    private final FaultsReader faults;

    CarriersReader(ScenarioNodes in, DelayReader delays) {
        this.in = in;
        this.delays = delays;
        this.dialects = new DialectReader(in);
        this.faults = new FaultsReader(in);
    }

    List<Scenario.Carrier> carriers(JsonNode cs) {
        if (cs == null || cs.isNull()) {
            in.problem("carriers", "is required: list the carriers to simulate");
            return List.of();
        }
        if (!cs.isArray() || cs.isEmpty()) {
            in.problem("carriers", "must be a non-empty list of carriers");
            return List.of();
        }
        List<Scenario.Carrier> carriers = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> systemIds = new HashSet<>();
        for (int i = 0; i < cs.size(); i++) {
            Scenario.Carrier c = carrier(cs.get(i), "carriers[" + i + "]");
            if (c != null) {
                if (!ids.add(c.id())) {
                    in.problem("carriers[" + i + "].id", "'" + c.id() + "' is used by another carrier already");
                }
                if (!systemIds.add(c.systemId())) {
                    in.problem("carriers[" + i + "].system_id", "'" + c.systemId()
                            + "' is used by another carrier already");
                }
                carriers.add(c);
            }
        }
        return List.copyOf(carriers);
    }

    private Scenario.Carrier carrier(JsonNode n, String path) {
        if (!n.isObject()) {
            in.problem(path, "must be a mapping with at least id, system_id and password");
            return null;
        }
        in.keys(n, path, "id", "system_id", "password", "bind_type", "sessions", "window", "prefixes", "receipt_delay",
                "dialect", "faults", "hold_receipts", "max_binds");
        String id = in.string(n, path, "id", true);
        if (id != null && !id.matches("[A-Za-z0-9_.-]{1,64}")) {
            in.problem(path + ".id", "must be 1..64 letters, digits, '_', '.' or '-', got '" + id + "'");
        }
        String systemId = n.has("system_id") ? in.string(n, path, "system_id", true) : id;
        if (systemId != null && (systemId.isEmpty() || systemId.length() > 15 || systemId.contains(" "))) {
            in.problem(path + ".system_id", "must be 1..15 characters without spaces (SMPP 3.4), got '" + systemId + "'");
        }
        String password = in.string(n, path, "password", true);
        if (password != null && password.length() > 8) {
            in.problem(path + ".password", "must be at most 8 characters (SMPP 3.4)");
        }
        List<SmppBindType> bindTypes = n.has("bind_type") ? bindTypes(n.get("bind_type"), path + ".bind_type")
                : List.of(SmppBindType.TRANSCEIVER);
        int sessions = n.has("sessions") ? (int) in.longValue(n.get("sessions"), path + ".sessions", 1, 64) : 1;
        int window = n.has("window") ? (int) in.longValue(n.get("window"), path + ".window", 1, 10_000) : 50;
        List<String> prefixes = n.has("prefixes") ? prefixes(n.get("prefixes"), path + ".prefixes") : List.of();
        Delay receiptDelay = n.has("receipt_delay") ? delays.delay(n.get("receipt_delay"), path + ".receipt_delay")
                : new Delay.Uniform(50, 500);
        DialectReader.Dialect dialect = n.has("dialect") ? dialects.dialect(n.get("dialect"), path + ".dialect")
                : DialectReader.Dialect.STANDARD;
        FaultsReader.Faults f = n.has("faults") ? faults.faults(n.get("faults"), path + ".faults")
                : FaultsReader.Faults.NONE;
        SmscSettings smsc = f.smsc();
        if (n.has("hold_receipts")) {
            smsc = smsc.withHoldReceipts((int) in.longValue(n.get("hold_receipts"), path + ".hold_receipts", 1,
                    10_000_000));
        }
        if (n.has("max_binds")) {
            smsc = smsc.withMaxBinds((int) in.longValue(n.get("max_binds"), path + ".max_binds", 1, 256));
        }
        if (id == null || systemId == null || password == null) {
            return null;
        }
        return new Scenario.Carrier(id, systemId, password, bindTypes, sessions, window, prefixes, receiptDelay,
                dialect.idFormat(), dialect.receipts(), f.throttle(), f.duplicates(), f.dropEveryMillis(),
                f.dropTimes(), f.more(), smsc);
    }

    private List<String> prefixes(JsonNode n, String path) {
        List<String> prefixes = new ArrayList<>();
        for (String p : in.stringList(n, path)) {
            if (!p.matches("\\+\\d{1,15}")) {
                in.problem(path, "'" + p + "' must be '+' then 1 to 15 digits, e.g. +44");
            } else {
                prefixes.add(p);
            }
        }
        return List.copyOf(prefixes);
    }

    private List<SmppBindType> bindTypes(JsonNode n, String path) {
        List<String> names = n.isArray() ? in.stringList(n, path) : List.of(n.asText());
        List<SmppBindType> out = new ArrayList<>();
        for (String s : names) {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "transceiver" -> out.add(SmppBindType.TRANSCEIVER);
                case "transmitter" -> out.add(SmppBindType.TRANSMITTER);
                case "receiver" -> out.add(SmppBindType.RECEIVER);
                default -> in.problem(path, "'" + s + "' must be transceiver, transmitter or receiver");
            }
        }
        if (!out.isEmpty() && out.stream().noneMatch(t -> t != SmppBindType.RECEIVER)) {
            in.problem(path, "needs a transceiver or transmitter bind: receipts travel carrier to gateway");
        }
        if (!out.isEmpty() && out.stream().noneMatch(t -> t != SmppBindType.TRANSMITTER)) {
            in.problem(path, "needs a transceiver or receiver bind: submits travel gateway to carrier");
        }
        return out.isEmpty() ? List.of(SmppBindType.TRANSCEIVER) : out;
    }
}
