package io.dlrgate.reporting.state;

import io.dlrgate.config.Tab;
import java.util.Collection;

/**
 * The tab of a message sent as concatenated parts, from its parts' tabs. First match wins:
 * <ol>
 *   <li>Hard bounces when any part failed permanently (a hard-bounce receipt, or the carrier refused the part);</li>
 *   <li>else Deleted when any part was deleted;</li>
 *   <li>else Soft bounces when any part expired;</li>
 *   <li>else Pending while any part is pending (a part not yet answered or receipted counts as pending);</li>
 *   <li>else Delivered: every part was delivered.</li>
 * </ol>
 * So a message leaves Pending as soon as one part gives a final answer other than Delivered: a recipient who got
 * two parts of three did not get the message. Pure; see docs/explanation/long-messages.md.
 */
public final class PartsRule {

    private PartsRule() {
    }

    /**
     * @param partTabs the tabs of the parts known (at most {@code total})
     * @param total    the parts of the message
     */
    public static Tab tabOf(Collection<Tab> partTabs, int total) {
        boolean deleted = false;
        boolean expired = false;
        int delivered = 0;
        for (Tab t : partTabs) {
            switch (t) {
                case HARD_BOUNCES -> {
                    return Tab.HARD_BOUNCES;
                }
                case DELETED -> deleted = true;
                case SOFT_BOUNCES -> expired = true;
                case DELIVERED -> delivered++;
                case PENDING -> {
                    // counted below: total - delivered - the rest
                }
            }
        }
        if (deleted) {
            return Tab.DELETED;
        }
        if (expired) {
            return Tab.SOFT_BOUNCES;
        }
        return delivered >= total ? Tab.DELIVERED : Tab.PENDING;
    }
}
