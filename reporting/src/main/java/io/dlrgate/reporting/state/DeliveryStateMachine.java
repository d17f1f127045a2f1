package io.dlrgate.reporting.state;

import io.dlrgate.config.CarrierConfig;
import io.dlrgate.config.ReceiptConfig;
import io.dlrgate.config.Tab;

import java.util.Objects;

/**
 * The one place that decides what a delivery receipt does to a message: current state + receipt facts in, a
 * {@link Transition} out. Pure: no I/O, no clock, no shared mutable state; safe to share between threads. One
 * instance per carrier (its {@link StatMapping} includes that carrier's overrides) and late-receipt policy.
 *
 * <h2>Definitions</h2>
 * <ul>
 *   <li>{@code s} = the receipt's stat, normalised (trimmed, upper case); {@code T} = {@code mapping.tabFor(s)}.</li>
 *   <li>A receipt is <b>intermediate</b> when the carrier flagged it (esm_class 0x20) or when {@code T} is Pending.
 *       The stat decides the tab; the flag only ever holds a message back, it never moves one anywhere.</li>
 *   <li>A receipt is a <b>duplicate</b> when {@code s} equals the message's last stat and {@code T} equals its tab.</li>
 *   <li>{@code err} never changes the decision (it is stored by the caller and used for bounce classification).</li>
 * </ul>
 *
 * <h2>Decision table</h2>
 * Rows are tried top to bottom; the first that matches decides. "keep" = nothing changes ({@code changed=false}).
 * <table>
 *   <caption>decide(current, receipt)</caption>
 *   <tr><th>#</th><th>current</th><th>receipt</th><th>result</th><th>reason</th></tr>
 *   <tr><td>1</td><td>any</td><td>no stat (null/blank)</td><td>keep</td><td>NO_STAT</td></tr>
 *   <tr><td>2</td><td>Pending</td><td>unknown {@code s}</td><td>Pending, lastStat = s (changed only if s differs)</td>
 *       <td>UNKNOWN_STAT</td></tr>
 *   <tr><td>3</td><td>final (by receipt or expiry)</td><td>unknown {@code s}</td><td>keep</td><td>UNKNOWN_STAT</td></tr>
 *   <tr><td>4</td><td>Pending</td><td>flagged intermediate, T final</td><td>keep</td>
 *       <td>INTERMEDIATE_WITH_FINAL_STAT</td></tr>
 *   <tr><td>5</td><td>Pending</td><td>duplicate</td><td>keep</td><td>DUPLICATE</td></tr>
 *   <tr><td>6</td><td>Pending</td><td>any other known stat</td><td>tab = T, lastStat = s, finalBy = RECEIPT if T is
 *       final</td><td>APPLIED</td></tr>
 *   <tr><td>7</td><td>final by receipt</td><td>duplicate (flag ignored)</td><td>keep</td><td>DUPLICATE</td></tr>
 *   <tr><td>8</td><td>final by receipt</td><td>intermediate</td><td>keep</td><td>INTERMEDIATE_AFTER_FINAL</td></tr>
 *   <tr><td>9</td><td>final by receipt</td><td>other final</td><td>keep (finals are absorbing)</td>
 *       <td>FINAL_AFTER_FINAL_IGNORED</td></tr>
 *   <tr><td>10</td><td>final by gateway expiry, policy DELIVERED_WINS</td><td>not intermediate, T = Delivered</td>
 *       <td>Delivered, lastStat = s, finalBy = RECEIPT</td><td>LATE_AFTER_EXPIRY_APPLIED</td></tr>
 *   <tr><td>11</td><td>final by gateway expiry, policy DELIVERED_WINS</td><td>anything else</td><td>keep</td>
 *       <td>LATE_AFTER_EXPIRY_IGNORED</td></tr>
 *   <tr><td>12</td><td>final by gateway expiry, policy IGNORE_LATE</td><td>anything</td><td>keep</td>
 *       <td>LATE_AFTER_EXPIRY_IGNORED</td></tr>
 * </table>
 * {@link Transition#lateAfterExpiry()} is true whenever the current state was final by gateway expiry (rows 1, 3,
 * 10 to 12), so late receipts can be counted whatever the reason.
 *
 * <p>Consequences, all covered by the tests: every decision is idempotent (deciding the same receipt again on the
 * resulting state changes nothing); a final tab is never left except by a late Delivered after the gateway's own
 * expiry; unknown or missing stats never change a tab; once a receipt made a message final, no receipt changes it.
 *
 * <p>{@link #expire(MessageState)} is the gateway's own expiry: Pending becomes Soft bounces with stat
 * {@code EXPIRED} and {@link FinalBy#GATEWAY_EXPIRY}; a final message is left alone.
 *
 * <p>Room to grow (issue 4): more late-receipt policies are more cases in the private {@code decideLate}; bounce
 * classification reads {@code err} next to, not inside, this decision.
 */
public final class DeliveryStateMachine {

    /** The stat word the gateway's own expiry records. */
    public static final String GATEWAY_EXPIRY_STAT = "EXPIRED";

    private final StatMapping mapping;
    private final LateReceiptPolicy latePolicy;

    public DeliveryStateMachine(StatMapping mapping, LateReceiptPolicy latePolicy) {
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        this.latePolicy = Objects.requireNonNull(latePolicy, "latePolicy");
    }

    /** The default mapping and the default late-receipt policy. */
    public static DeliveryStateMachine withDefaults() {
        return new DeliveryStateMachine(StatMapping.defaults(), LateReceiptPolicy.defaultPolicy());
    }

    /** The machine for one carrier: global mapping merged with the carrier's overrides. */
    public static DeliveryStateMachine forCarrier(ReceiptConfig receipts, CarrierConfig carrier,
                                                  LateReceiptPolicy latePolicy) {
        return new DeliveryStateMachine(StatMapping.forCarrier(receipts, carrier), latePolicy);
    }

    public StatMapping mapping() {
        return mapping;
    }

    public LateReceiptPolicy latePolicy() {
        return latePolicy;
    }

    /** Decides what a receipt does to a message in state {@code current}. See the class javadoc for the table. */
    public Transition decide(MessageState current, ReceiptFacts receipt) {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(receipt, "receipt");
        boolean late = current.finalBy() == FinalBy.GATEWAY_EXPIRY;
        String s = receipt.stat();

        // 1
        if (s == null) {
            return keep(current, TransitionReason.NO_STAT, late);
        }
        Tab mapped = mapping.tabFor(s).orElse(null);
        // 2, 3
        if (mapped == null) {
            if (!current.isFinal() && !s.equals(current.lastStat())) {
                return new Transition(MessageState.pending(s), true, TransitionReason.UNKNOWN_STAT, false);
            }
            return keep(current, TransitionReason.UNKNOWN_STAT, late);
        }
        boolean intermediate = receipt.intermediate() || !mapped.isFinal();
        boolean duplicate = s.equals(current.lastStat()) && mapped == current.tab();

        switch (current.finalBy()) {
            case NOT_FINAL -> {
                if (receipt.intermediate() && mapped.isFinal()) {                          // 4
                    return keep(current, TransitionReason.INTERMEDIATE_WITH_FINAL_STAT, false);
                }
                if (duplicate) {                                                            // 5
                    return keep(current, TransitionReason.DUPLICATE, false);
                }
                MessageState next = new MessageState(mapped, s,                             // 6
                        mapped.isFinal() ? FinalBy.RECEIPT : FinalBy.NOT_FINAL);
                return new Transition(next, true, TransitionReason.APPLIED, false);
            }
            case RECEIPT -> {
                if (duplicate) {                                                            // 7
                    return keep(current, TransitionReason.DUPLICATE, false);
                }
                if (intermediate) {                                                         // 8
                    return keep(current, TransitionReason.INTERMEDIATE_AFTER_FINAL, false);
                }
                return keep(current, TransitionReason.FINAL_AFTER_FINAL_IGNORED, false);   // 9
            }
            case GATEWAY_EXPIRY -> {
                return decideLate(current, s, mapped, intermediate);                        // 10 - 12
            }
            default -> throw new IllegalStateException("unhandled " + current.finalBy());
        }
    }

    private Transition decideLate(MessageState current, String s, Tab mapped, boolean intermediate) {
        return switch (latePolicy) {
            case DELIVERED_WINS -> (!intermediate && mapped == Tab.DELIVERED)
                    ? new Transition(MessageState.finalByReceipt(Tab.DELIVERED, s), true,
                            TransitionReason.LATE_AFTER_EXPIRY_APPLIED, true)
                    : keep(current, TransitionReason.LATE_AFTER_EXPIRY_IGNORED, true);
            case IGNORE_LATE -> keep(current, TransitionReason.LATE_AFTER_EXPIRY_IGNORED, true);
        };
    }

    /**
     * The gateway's own expiry of a message whose validity period (plus grace) ran out: a Pending message moves to
     * Soft bounces, stat {@code EXPIRED}, {@link FinalBy#GATEWAY_EXPIRY}; a final message is not touched.
     */
    public Transition expire(MessageState current) {
        Objects.requireNonNull(current, "current");
        if (current.isFinal()) {
            return keep(current, TransitionReason.EXPIRY_AFTER_FINAL_IGNORED, false);
        }
        return new Transition(MessageState.expiredByGateway(), true, TransitionReason.EXPIRED_BY_GATEWAY, false);
    }

    private static Transition keep(MessageState current, TransitionReason reason, boolean late) {
        return new Transition(current, false, reason, late);
    }
}
