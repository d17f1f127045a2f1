package io.dlrgate.gateway.metrics;

import io.dlrgate.config.Tab;
import io.dlrgate.reporting.message.SubmitOutcome;
import io.dlrgate.reporting.report.StoreFigures;
import io.dlrgate.reporting.write.ReceiptOutcome;

/**
 * What the gateway's parts tell the metrics: one typed method per event, so that a hook in a hot path is one
 * line and knows nothing about meters, names or labels.
 *
 * <p>Two implementations: {@link MicrometerGatewayMetrics} (the real one, behind {@code /metrics}) and
 * {@link #NOOP}, which the composition root picks only when told to in code (the "metrics off" side of the
 * benchmark; there is deliberately no config switch). Every method is cheap and never blocks: safe on a Netty
 * event loop and on the group-commit thread.
 */
public interface GatewayMetrics {

    /** Counts nothing, measures nothing. */
    GatewayMetrics NOOP = new GatewayMetrics() {
    };

    /** Whether this records anything at all (false for {@link #NOOP}: callers may skip wiring listeners). */
    default boolean enabled() {
        return false;
    }

    /**
     * One PDU on the wire of a carrier connection.
     *
     * @param inbound       read from the carrier (true) or written to it (false)
     * @param commandId     its command_id
     * @param commandStatus its command_status (0 for requests); non-zero counts as {@code result="error"}
     */
    default void pdu(boolean inbound, int commandId, int commandStatus) {
    }

    /** {@link #connectionRefused} reasons. */
    String REFUSED_ALLOWED_IPS = "allowed_ips";
    String REFUSED_MAX_CONNECTIONS = "max_connections";
    String REFUSED_MAX_UNBOUND = "max_unbound_connections";
    String REFUSED_MAX_UNBOUND_PER_ADDRESS = "max_unbound_per_address";
    /** On the TLS listener: the handshake failed or did not finish within smpp.bind_timeout. */
    String REFUSED_TLS_HANDSHAKE = "tls_handshake";
    /** Every reason, for meters registered up front. */
    java.util.List<String> REFUSED_REASONS = java.util.List.of(REFUSED_ALLOWED_IPS, REFUSED_MAX_UNBOUND,
            REFUSED_MAX_UNBOUND_PER_ADDRESS, REFUSED_MAX_CONNECTIONS, REFUSED_TLS_HANDSHAKE);

    /** {@link #liveEventsResync} reasons: this instance's listening connection was lost and opened again. */
    String RESYNC_RECONNECT = "reconnect";
    /** Another instance asked for it: notifications it could not send, or events it dropped itself. */
    String RESYNC_PEER = "peer";
    /** This instance dropped its own events: its queue was full, or one merge held too many counts. */
    String RESYNC_OVERFLOW = "overflow";
    /** Every reason, for meters registered up front. */
    java.util.List<String> RESYNC_REASONS = java.util.List.of(RESYNC_RECONNECT, RESYNC_PEER, RESYNC_OVERFLOW);

    /** A {@code resync} event went to this instance's live-event (SSE) clients: they reload from the store. */
    default void liveEventsResync(String reason) {
    }

    /**
     * An SMPP connection closed for this reason: as it was accepted (allowed_ips, the unbound budget), in its TLS
     * handshake, or at its bind (max_connections: the sessions of all carriers).
     */
    default void connectionRefused(String reason) {
    }

    /**
     * Why a bind out to a carrier's SMSC failed ({@link #connectFailure}): refused, timeout, unknown_host,
     * unreachable, tls, bind_rejected, bind_timeout, closed (before the bind was answered), io, and enquire_link
     * (a bound session closed because its enquire_link went unanswered).
     */
    java.util.List<String> CONNECT_FAILURE_REASONS = java.util.List.of("refused", "timeout", "unknown_host",
            "unreachable", "tls", "bind_rejected", "bind_timeout", "closed", "io", "enquire_link");

    /** An attempt to bind out to this carrier's SMSC failed, or a bound outbound session died, for this reason. */
    default void connectFailure(String carrierId, String reason) {
    }

    /** A source address was locked out of SMPP binds for guessing (smpp.bind_failures). */
    default void bindLockout() {
    }

    /** A bind answered: the system_id the peer gave (null if unreadable) and the status of our bind_resp. */
    default void bindAnswered(String systemId, int commandStatus) {
    }

    /** A submit_sm_resp (or generic_nack to a submit_sm) arrived this long after the submit_sm was sent. */
    default void submitResponse(String carrierId, long millis) {
    }

    /** A submit_sm was answered ESME_RTHROTTLED or ESME_RMSGQFUL (it is sent again, slower). */
    default void submitThrottled(String carrierId) {
    }

    /** Gateway instances with a live lease on the shared database (this one included), read at scrape time. */
    default void watchCluster(java.util.function.IntSupplier liveInstances) {
    }

    /** Where reports read ({@code database.read_url}): the replica's lag, whether it answers, the fallbacks. */
    default void watchReportReads(io.dlrgate.reporting.db.ReportReads reads) {
    }

    /** The carrier's effective submit rate (submits per second), read at scrape time. */
    /**
     * The carrier across the instances on the database: its inbound binds on every live instance (what max_binds
     * counts) and this instance's share of its max_submit_rate.
     */
    default void watchClusterCarrier(String carrierId, java.util.function.IntSupplier liveBinds,
                                     java.util.function.DoubleSupplier submitShare) {
    }

    default void watchSubmitRate(String carrierId, java.util.function.DoubleSupplier perSecond) {
    }

    /** A submit outcome became durable. */
    default void submit(String carrierId, SubmitOutcome.Kind kind) {
    }

    /**
     * A receipt decision became durable.
     *
     * @param arrival true for a receipt stored in this batch; false for an orphan of an earlier batch that a
     *                newly learnt message id matched now (its arrival was counted when it was stored)
     */
    default void receipt(ReceiptOutcome outcome, boolean arrival) {
    }

    /**
     * A message reached a final tab for the first time, durably: through a receipt or a failed submit (the
     * group commit), or through the gateway's own expiry ({@link #expired}, which counts it too).
     *
     * @param cause what decided it: {@code receipt}, {@code gateway-expiry}, {@code submit-rejected},
     *              {@code submit-timeout}, {@code submit-failed}
     */
    default void finalized(String carrierId, Tab tab, String cause) {
    }

    /** One group-commit transaction: items written (receipts and submit outcomes) and how long it took. */
    default void commit(int items, long nanos) {
    }

    /** Receipts answered with the carrier's temporary error without being stored. */
    default void receiptsThrottled(String reason, int receipts) {
    }

    /**
     * A recipient's reply stored (and acknowledged); {@code kind}: {@code reply}, {@code opt_out} or {@code opt_in}
     * (the metric names of {@code io.dlrgate.reporting.replies.ReplyKind}).
     */
    default void replyStored(String carrierId, String kind) {
    }

    /**
     * A carrier's resend of a reply already stored (within {@code replies.duplicate_window}): acknowledged, not stored
     * again, and counted here instead of in {@link #replyStored}, so that the replies count counts distinct replies.
     */
    default void replyResent(String carrierId) {
    }

    /** A receipt PDU refused with a permanent error (not a receipt, no id, id too long, data the store refuses). */
    default void receiptRefused(String carrierId) {
    }

    /** The expiry sweeper moved one message of this carrier to Soft bounces (a finalization by gateway-expiry). */
    default void expired(String carrierId) {
    }

    /**
     * Retention dropped one partition (a month of messages or receipts, as a table).
     *
     * @param table the partitioned table it belonged to: messages, message_parts, receipts, orphan_receipts
     */
    default void partitionDropped(String table) {
    }

    /** A number was put on the suppressed list. */
    default void suppressionAdded() {
    }

    /** A number was taken off the suppressed list. */
    default void suppressionLifted() {
    }

    /** Bound sessions and windows, read from the registry at scrape time (nothing on the hot path). */
    default void watchSessions(BoundSessions sessions) {
    }

    /**
     * Starts the store-backed gauges (messages per tab, queue per carrier): read from the store on a thread of
     * their own every few seconds, scrapes read the cached figures. Close the result to stop.
     */
    default AutoCloseable watchStore(StoreFigures figures) {
        return () -> { };
    }
}
