package io.dlrgate.simulator.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.dlrgate.simulator.carrier.SmscSettings;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a carrier's {@code faults}: throttling, duplicate and early receipts, unknown ids, malformed PDUs,
 * dropped binds, unanswered enquire_links and slow reading, the misbehaviour QA reproduces against the gateway;
 * and the SMSC-side faults (refused binds, a throttle rate, late answers, dropped connections, receipts on receiver
 * binds only).
 */
final class FaultsReader {

    /** What a carrier's {@code faults} section asks for; {@link #NONE} when it has none. */
    record Faults(double throttle, double duplicates, long dropEveryMillis, int dropTimes, Scenario.Faults more,
                  SmscSettings smsc) {
        static final Faults NONE = new Faults(0, 0, 0, 0, Scenario.Faults.NONE, SmscSettings.NONE);
    }

    /** Bind refusal statuses by name (with or without ESME_); any other non-zero status may be given as a number. */
    static final Map<String, Integer> BIND_STATUSES = Map.of(
            "RINVPASWD", 0x0E, "RINVSYSID", 0x0F, "RBINDFAIL", 0x0D, "RALYBND", 0x05, "RSYSERR", 0x08,
            "RINVSYSTYP", 0x53, "RTHROTTLED", 0x58, "RMSGQFUL", 0x14);

    /** {@code slow_reading} in milliseconds; both zero when absent or refused. */
    private record SlowReading(long pause, long every) {
        static final SlowReading NONE = new SlowReading(0, 0);
    }

    private final ScenarioNodes in;

    FaultsReader(ScenarioNodes in) {
        this.in = in;
    }

    Faults faults(JsonNode f, String fp) {
        if (!f.isObject()) {
            in.problem(fp, "must be a mapping (throttle, duplicates, drop_binds, receipts_first, unknown_ids, "
                    + "malformed, unanswered_enquire_links, slow_reading, refuse_binds, throttle_rate, late_answers, "
                    + "drop_connection, receipts_on_receiver_only)");
            return Faults.NONE;
        }
        in.keys(f, fp, "throttle", "duplicates", "drop_binds", "receipts_first", "unknown_ids", "malformed",
                "unanswered_enquire_links", "slow_reading", "refuse_binds", "throttle_rate", "late_answers",
                "drop_connection", "receipts_on_receiver_only");
        double throttle = share(f, fp, "throttle");
        double duplicates = share(f, fp, "duplicates");
        double early = share(f, fp, "receipts_first");
        double unknown = share(f, fp, "unknown_ids");
        double malformed = share(f, fp, "malformed");
        boolean ignoreEnquire = in.bool(f, fp, "unanswered_enquire_links", false);
        SlowReading slow = f.has("slow_reading") ? slowReading(f.get("slow_reading"), fp + ".slow_reading")
                : SlowReading.NONE;
        Scenario.Faults more = new Scenario.Faults(early, unknown, malformed, ignoreEnquire, slow.pause(), slow.every());
        long dropEvery = 0;
        int dropTimes = 0;
        if (f.has("drop_binds")) {
            JsonNode db = f.get("drop_binds");
            String dbp = fp + ".drop_binds";
            if (!db.isObject()) {
                in.problem(dbp, "must be a mapping {every: DURATION, times: N}");
            } else {
                in.keys(db, dbp, "every", "times");
                if (!db.has("every")) {
                    in.problem(dbp + ".every", "is required: how often the binds drop, e.g. 3s");
                } else {
                    dropEvery = in.duration(db.get("every"), dbp + ".every");
                }
                dropTimes = db.has("times") ? (int) in.longValue(db.get("times"), dbp + ".times", 1, 1000) : 3;
            }
        }
        return new Faults(throttle, duplicates, dropEvery, dropTimes, more, smsc(f, fp));
    }

    /** The SMSC-side faults; hold_receipts and max_binds are the carrier's (see CarriersReader). */
    private SmscSettings smsc(JsonNode f, String fp) {
        SmscSettings s = SmscSettings.NONE;
        if (f.has("refuse_binds")) {
            JsonNode rb = f.get("refuse_binds");
            String rbp = fp + ".refuse_binds";
            if (!rb.isObject()) {
                in.problem(rbp, "must be a mapping {status: RINVPASWD, times: N} (times absent: every bind)");
            } else {
                in.keys(rb, rbp, "status", "times");
                int status = rb.has("status") ? bindStatus(rb.get("status"), rbp + ".status") : 0x0D;
                int times = rb.has("times") ? (int) in.longValue(rb.get("times"), rbp + ".times", 1, 1_000_000) : 0;
                s = s.withRefuseBinds(status, times);
            }
        }
        if (f.has("throttle_rate")) {
            s = s.withThrottleRate((int) in.longValue(f.get("throttle_rate"), fp + ".throttle_rate", 1, 1_000_000));
        }
        if (f.has("late_answers")) {
            JsonNode la = f.get("late_answers");
            String lap = fp + ".late_answers";
            if (!la.isObject()) {
                in.problem(lap, "must be a mapping {share: 0.1, delay: DURATION}, e.g. {share: 0.1, delay: 2s}");
            } else {
                in.keys(la, lap, "share", "delay");
                if (!la.has("share") || !la.has("delay")) {
                    in.problem(lap, "needs both share and delay");
                } else {
                    double share = in.share(la.get("share"), lap + ".share");
                    long delay = in.duration(la.get("delay"), lap + ".delay");
                    if (delay > 60_000) {
                        in.problem(lap + ".delay", "must be at most 60s (longer only tests the ESME's request "
                                + "timeout: use drop_connection for a peer that goes away)");
                    } else {
                        s = s.withLateAnswers(share, delay);
                    }
                }
            }
        }
        if (f.has("drop_connection")) {
            JsonNode dc = f.get("drop_connection");
            String dcp = fp + ".drop_connection";
            if (!dc.isObject()) {
                in.problem(dcp, "must be a mapping {after_submits: N, times: N}");
            } else {
                in.keys(dc, dcp, "after_submits", "times");
                if (!dc.has("after_submits")) {
                    in.problem(dcp + ".after_submits", "is required: every how many submits the connection drops");
                } else {
                    int after = (int) in.longValue(dc.get("after_submits"), dcp + ".after_submits", 1, 100_000_000);
                    int times = dc.has("times") ? (int) in.longValue(dc.get("times"), dcp + ".times", 1, 1000) : 1;
                    s = s.withDropAfterSubmits(after, times);
                }
            }
        }
        return s.withReceiptsOnReceiverOnly(in.bool(f, fp, "receipts_on_receiver_only", false));
    }

    /** RINVPASWD, ESME_RINVPASWD, 0x0E or 14: a non-zero command_status. */
    private int bindStatus(JsonNode n, String path) {
        if (n.isTextual()) {
            String t = n.asText().trim().toUpperCase(Locale.ROOT);
            Integer named = BIND_STATUSES.get(t.startsWith("ESME_") ? t.substring(5) : t);
            if (named != null) {
                return named;
            }
            if (!t.matches("0X[0-9A-F]{1,8}|\\d{1,10}")) {
                in.problem(path, "'" + n.asText() + "' must be a status name ("
                        + String.join(", ", new java.util.TreeSet<>(BIND_STATUSES.keySet()))
                        + ", with or without ESME_) or a non-zero number such as 0x0E");
                return 0x0D;
            }
        }
        return (int) in.longValue(n, path, 1, 0xFFFFFFFFL);
    }

    private double share(JsonNode f, String fp, String key) {
        return f.has(key) ? in.share(f.get(key), fp + "." + key) : 0;
    }

    private SlowReading slowReading(JsonNode sr, String srp) {
        if (!sr.isObject()) {
            in.problem(srp, "must be a mapping {pause: DURATION, every: DURATION}, e.g. {pause: 300ms, every: 1s}");
            return SlowReading.NONE;
        }
        in.keys(sr, srp, "pause", "every");
        if (!sr.has("pause") || !sr.has("every")) {
            in.problem(srp, "needs both pause and every");
            return SlowReading.NONE;
        }
        long pause = in.duration(sr.get("pause"), srp + ".pause");
        long every = in.duration(sr.get("every"), srp + ".every");
        if (pause <= 0) {
            in.problem(srp + ".pause", "must be above 0");
            return SlowReading.NONE;
        } else if (every <= pause) {
            in.problem(srp + ".every", "must be longer than the pause (" + pause + " ms)");
            return SlowReading.NONE;
        } else if (pause > 5_000) {
            in.problem(srp + ".pause", "must be at most 5s (longer pauses run into the request "
                    + "timeouts of both sides and just drop the bind: use drop_binds for that)");
            return SlowReading.NONE;
        }
        return new SlowReading(pause, every);
    }
}
