package io.dlrgate.reporting.correlation;

import io.dlrgate.reporting.retention.IdBlocks;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Whether a receipt can be for a message that carries the id it names. The id alone does not say: carriers
 * recycle their message ids, so the same (carrier, id) may belong to a message of months ago and to one sent a
 * second ago. Two facts of time rule out the wrong one:
 * <ul>
 *   <li><b>The id-reuse horizon</b> (per carrier, {@code id_reuse_horizon}): a receipt comes within a message's
 *       validity period of its sending, so a message sent longer than the horizon before the receipt arrived is
 *       from an earlier cycle of the id. Without this, a receipt that beats the {@code submit_sm_resp} of a message
 *       whose id was reused would land on the old message, and the new one would wait for its expiry.</li>
 *   <li><b>Causality</b>: a receipt received before the message was even created cannot be for it. Without this,
 *       an orphan kept for inspection (an id the gateway never issued) would be applied, however old, to the first
 *       message that gets that id months later. {@link #CLOCK_SKEW} allows for the clocks of two gateway processes
 *       sharing the database.</li>
 * </ul>
 * A receipt that belongs to no message stays (or becomes) an orphan: kept, reported, never dropped.
 */
public final class CorrelationWindow {

    /** How far the clocks of two gateway processes sharing one database may disagree. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    private final Map<String, Duration> horizonByCarrier;

    /**
     * @param horizonByCarrier the id-reuse horizon of each carrier, by carrier id; {@link Duration#ZERO}, or a carrier
     *                         not listed, has none (any message with the id may match, the newest first)
     */
    public CorrelationWindow(Map<String, Duration> horizonByCarrier) {
        this.horizonByCarrier = Map.copyOf(horizonByCarrier);
    }

    /** No horizon for any carrier: only causality applies. */
    public static CorrelationWindow withoutHorizon() {
        return new CorrelationWindow(Map.of());
    }

    /**
     * @param carrierId  the carrier the receipt came from
     * @param receivedAt when the gateway received the receipt
     * @param createdAt  when the message was created (queued)
     * @param sentAt     when the carrier accepted the message (its submit_sm_resp), or null if not recorded
     */
    public boolean belongs(String carrierId, Instant receivedAt, Instant createdAt, Instant sentAt) {
        if (createdAt != null && receivedAt.isBefore(createdAt.minus(CLOCK_SKEW))) {
            return false;
        }
        Duration horizon = horizon(carrierId);
        return horizon.isZero() || sentAt == null || !sentAt.isBefore(receivedAt.minus(horizon));
    }

    /**
     * The lowest message id a receipt received at {@code receivedAt} can be for, so that its lookups skip the
     * months of {@code messages} that cannot hold its message (each month kept is a partition, and each partition a
     * statement reads costs planning and an index probe: with a year of months, three times the database's CPU per
     * receipt). A message the receipt belongs to was sent within the horizon before it ({@link #belongs}), and
     * created at most {@code dispatch.max_validity} before it was sent, which the horizon is at least (the config
     * refuses a shorter one): so it was created within two horizons before the receipt. {@link Long#MIN_VALUE}
     * (every month) when a carrier has no horizon, or none is configured: any message with the id may match.
     */
    public long lowestMessageId(Instant receivedAt) {
        if (horizonByCarrier.isEmpty() || horizonByCarrier.containsValue(Duration.ZERO)) {
            return Long.MIN_VALUE;
        }
        Duration longest = horizonByCarrier.values().stream().max(Duration::compareTo).orElseThrow();
        return IdBlocks.lowestIdDrawnSince(receivedAt.minus(longest.multipliedBy(2)).minus(CLOCK_SKEW));
    }

    /** The carrier's horizon; zero when it has none (or is not configured any more). */
    public Duration horizon(String carrierId) {
        return horizonByCarrier.getOrDefault(carrierId, Duration.ZERO);
    }

    /** Every carrier with a horizon, for queries that apply the same rule in SQL. */
    public Map<String, Duration> horizons() {
        return horizonByCarrier;
    }
}
