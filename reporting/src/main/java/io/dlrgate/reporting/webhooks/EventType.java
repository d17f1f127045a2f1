package io.dlrgate.reporting.webhooks;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The kinds of delivery event an endpoint can subscribe to, by their wire names. */
public enum EventType {
    /** A message was queued for its carrier (single send, API, campaign). */
    QUEUED("message.queued"),
    /** The carrier accepted the submit_sm and gave its message id. */
    SUBMITTED("message.submitted"),
    /** The message moved to another tab (a receipt, the gateway's expiry, a refused submit). */
    TAB_CHANGED("message.tab_changed"),
    /** The message left Pending for a final tab, for the first time (told once per message). */
    FINAL("message.final"),
    /** A recipient replied (a mobile-originated message was stored; a carrier's resend of it is not told again). */
    REPLY_RECEIVED("reply.received"),
    /** A number went onto the suppressed list (hard-bounce threshold, or added by hand). */
    NUMBER_SUPPRESSED("number.suppressed");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<EventType> fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    /** Every wire name, in the documented order. */
    public static List<String> wireNames() {
        return Arrays.stream(values()).map(EventType::wireName).toList();
    }
}
