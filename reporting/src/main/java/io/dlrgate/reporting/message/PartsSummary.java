package io.dlrgate.reporting.message;

import io.dlrgate.config.Tab;

/**
 * The parts of a message sent as concatenated parts, counted by tab, and why the message is where it is, in words.
 * A part the carrier has not answered yet counts as pending.
 *
 * @param firstFailure the first part (by number) that decided a failed message: its stat and err ("UNDELIV err
 *                     001") or its submit error; null when no part failed, was deleted or expired
 */
public record PartsSummary(int total, int delivered, int failed, int deleted, int expired, int pending,
                           String firstFailure) {

    /** Counts parts by tab (known parts; the rest of {@code total} are pending). */
    public static final class Builder {
        private final int total;
        private int delivered;
        private int failed;
        private int deleted;
        private int expired;
        private String failure;
        private String deletion;
        private String expiry;

        public Builder(int total) {
            this.total = total;
        }

        /** One part, in part order: its tab, last stat, error (err code or submit error), submit status. */
        public Builder add(Tab tab, String stat, String error, Integer submitStatus) {
            String why = describe(stat, error, submitStatus);
            switch (tab) {
                case DELIVERED -> delivered++;
                case HARD_BOUNCES -> {
                    failed++;
                    failure = failure == null ? why : failure;
                }
                case DELETED -> {
                    deleted++;
                    deletion = deletion == null ? why : deletion;
                }
                case SOFT_BOUNCES -> {
                    expired++;
                    expiry = expiry == null ? why : expiry;
                }
                case PENDING -> {
                    // the rest of total
                }
            }
            return this;
        }

        public PartsSummary build() {
            int pending = Math.max(0, total - delivered - failed - deleted - expired);
            String first = failure != null ? failure : deletion != null ? deletion : expiry;
            return new PartsSummary(total, delivered, failed, deleted, expired, pending, first);
        }

        private static String describe(String stat, String error, Integer submitStatus) {
            if (stat == null) {
                // refused at submit: the error already says what the carrier answered
                return error != null ? error : submitStatus != null ? "submit status " + submitStatus : null;
            }
            return error == null ? stat : stat + " err " + error;
        }
    }

    /**
     * Why the message is in its tab, by the parts rule (first match wins): "1 of 3 parts failed: UNDELIV err 001",
     * "2 of 3 parts deleted: DELETED", "1 of 2 parts expired: EXPIRED", "2 of 3 parts delivered, 1 pending",
     * "3 of 3 parts delivered".
     */
    public String reason() {
        if (failed > 0) {
            return failed + " of " + total + " parts failed" + suffix();
        }
        if (deleted > 0) {
            return deleted + " of " + total + " parts deleted" + suffix();
        }
        if (expired > 0) {
            return expired + " of " + total + " parts expired" + suffix();
        }
        if (pending > 0) {
            return delivered + " of " + total + " parts delivered, " + pending + " pending";
        }
        return delivered + " of " + total + " parts delivered";
    }

    private String suffix() {
        return firstFailure == null ? "" : ": " + firstFailure;
    }
}
