package io.dlrgate.reporting.replies;

import java.util.Optional;

/** What a recipient's reply does: nothing but be stored, or opt its number out of sending, or back in. */
public enum ReplyKind {
    REPLY("reply", "reply"),
    OPT_OUT("opt-out", "opt_out"),
    OPT_IN("opt-in", "opt_in");

    private final String dbName;
    private final String metricName;

    ReplyKind(String dbName, String metricName) {
        this.dbName = dbName;
        this.metricName = metricName;
    }

    /** As stored in {@code replies.kind} and shown by the API: {@code reply}, {@code opt-out}, {@code opt-in}. */
    public String dbName() {
        return dbName;
    }

    /** The {@code kind} label of {@code dlrgate_replies_total}: {@code reply}, {@code opt_out}, {@code opt_in}. */
    public String metricName() {
        return metricName;
    }

    public static Optional<ReplyKind> fromDbName(String name) {
        for (ReplyKind k : values()) {
            if (k.dbName.equals(name)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
