package io.dlrgate.gateway.cluster;

/**
 * This instance's share of a carrier's {@code max_submit_rate}: the rate is split evenly among the live instances
 * that hold binds of the carrier (see {@link ClusterBinds}). Zero while a newly bound instance waits for the
 * others to lower theirs.
 */
@FunctionalInterface
public interface SubmitShare {

    /** Share of the carrier's rate, 0 to 1. Read for every submit: must be cheap. */
    double of(String carrierId);

    /** One instance alone: the whole rate. */
    SubmitShare WHOLE = carrierId -> 1.0;
}
