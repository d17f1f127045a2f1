package io.dlrgate.gateway.send;

/** Told when messages were queued for a carrier, so its dispatcher wakes now rather than at its next poll. */
@FunctionalInterface
public interface QueueListener {
    void queued(String carrierId);
}
