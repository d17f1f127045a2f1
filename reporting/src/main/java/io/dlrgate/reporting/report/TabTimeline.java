package io.dlrgate.reporting.report;

import io.dlrgate.config.Tab;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A campaign's five tabs over time since its first send: for each bucket, how many of its messages were in each
 * tab at the bucket's end. A message counts as Pending from when it was queued ({@code created_at}) and in its
 * current tab from when it became final ({@code final_at}); the last bucket ends at or after the time of the read,
 * so its counts are the tabs' counts then.
 *
 * @param start  the campaign's first send; {@code null} (and no buckets) when it was never sent
 * @param bucket the width of each bucket
 */
public record TabTimeline(Instant start, Duration bucket, List<Bucket> buckets) {

    /** The tabs' counts at {@code end}. */
    public record Bucket(Instant end, Map<Tab, Long> counts) {
    }
}
