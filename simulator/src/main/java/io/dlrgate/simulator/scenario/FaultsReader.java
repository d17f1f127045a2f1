package io.dlrgate.simulator.scenario;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads a carrier's {@code faults}: throttling, duplicate and early receipts, unknown ids, malformed PDUs,
 * dropped binds, unanswered enquire_links and slow reading, the misbehaviour QA reproduces against the gateway.
 */
final class FaultsReader {

    /** What a carrier's {@code faults} section asks for; {@link #NONE} when it has none. */
    record Faults(double throttle, double duplicates, long dropEveryMillis, int dropTimes, Scenario.Faults more) {
        static final Faults NONE = new Faults(0, 0, 0, 0, Scenario.Faults.NONE);
    }

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
                    + "malformed, unanswered_enquire_links, slow_reading)");
            return Faults.NONE;
        }
        in.keys(f, fp, "throttle", "duplicates", "drop_binds", "receipts_first", "unknown_ids", "malformed",
                "unanswered_enquire_links", "slow_reading");
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
        return new Faults(throttle, duplicates, dropEvery, dropTimes, more);
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
