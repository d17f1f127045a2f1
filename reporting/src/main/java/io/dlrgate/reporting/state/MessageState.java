package io.dlrgate.reporting.state;

import io.dlrgate.config.Tab;

import java.util.Objects;

/**
 * What the state machine needs to know about a message: its tab, the last stat word applied to it, and who made
 * it final.
 *
 * <p>Consistency is checked on construction: a Pending message has {@link FinalBy#NOT_FINAL}; a message in a final
 * tab has {@link FinalBy#RECEIPT} or {@link FinalBy#GATEWAY_EXPIRY}. The gateway's sweeper always expires into
 * Soft bounces, but the rules do not depend on that, so any final tab is accepted with GATEWAY_EXPIRY. The stat
 * word is kept {@link StatMapping#normalise(String) normalised}.
 *
 * @param tab      the message's report tab
 * @param lastStat the last stat word applied (null before the first receipt)
 * @param finalBy  who made the message final
 */
public record MessageState(Tab tab, String lastStat, FinalBy finalBy) {

    public MessageState {
        Objects.requireNonNull(tab, "tab");
        Objects.requireNonNull(finalBy, "finalBy");
        if (tab.isFinal() == (finalBy == FinalBy.NOT_FINAL)) {
            throw new IllegalArgumentException("inconsistent state: tab " + tab.slug() + " with finalBy " + finalBy);
        }
        lastStat = StatMapping.normalise(lastStat);
    }

    /** A message just created: Pending, no receipt yet. */
    public static MessageState initial() {
        return new MessageState(Tab.PENDING, null, FinalBy.NOT_FINAL);
    }

    public static MessageState pending(String lastStat) {
        return new MessageState(Tab.PENDING, lastStat, FinalBy.NOT_FINAL);
    }

    public static MessageState finalByReceipt(Tab tab, String lastStat) {
        return new MessageState(tab, lastStat, FinalBy.RECEIPT);
    }

    /** What the gateway's expiry sweeper leaves: Soft bounces, stat {@code EXPIRED}, final by gateway expiry. */
    public static MessageState expiredByGateway() {
        return new MessageState(Tab.SOFT_BOUNCES, DeliveryStateMachine.GATEWAY_EXPIRY_STAT, FinalBy.GATEWAY_EXPIRY);
    }

    public boolean isFinal() {
        return tab.isFinal();
    }
}
