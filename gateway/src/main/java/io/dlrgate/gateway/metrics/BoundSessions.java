package io.dlrgate.gateway.metrics;

import io.dlrgate.config.BindType;

/**
 * What the session gauges read at scrape time, answered by the SMPP session registry. Declared here so that
 * the metrics know nothing of SMPP: the SMPP code reports to {@link GatewayMetrics}, not the other way round.
 */
public interface BoundSessions {

    /**
     * Sessions of this carrier bound now with this bind type, opened by the carrier ({@code outbound} false) or
     * by the gateway (true).
     */
    int boundCount(String carrierId, boolean outbound, BindType type);

    /** submit_sm sent and not answered yet, summed over the carrier's sessions that take submits. */
    long windowInUse(String carrierId);

    /** Submits allowed in flight, summed over the same sessions. */
    long windowSize(String carrierId);
}
