package io.dlrgate.gateway.intake.parse;

import java.util.Locale;
import java.util.Map;

/** The message_state TLV values (SMPP 3.4 section 5.2.28, 5.0 section 4.7.15) and their receipt stat words. */
public final class MessageStates {

    private MessageStates() {
    }

    /** SCHEDULED (0) has no stat word: it only appears in query_sm_resp, never in a receipt. */
    private static final String[] STAT = {
            null, "ENROUTE", "DELIVRD", "EXPIRED", "DELETED", "UNDELIV", "ACCEPTD", "UNKNOWN", "REJECTD", "SKIPPED"
    };

    /** Long spellings some carriers write in the text, taken as the same state when comparing with the TLV. */
    private static final Map<String, String> ALIASES = Map.of(
            "DELIVERED", "DELIVRD",
            "UNDELIVERABLE", "UNDELIV",
            "ACCEPTED", "ACCEPTD",
            "REJECTED", "REJECTD");

    /** The receipt stat word for a message_state value, or null for a value outside 1..9. */
    public static String statOf(int messageState) {
        return messageState >= 1 && messageState < STAT.length ? STAT[messageState] : null;
    }

    /** True when two stat words name the same state (case-insensitive, long spellings accepted). */
    static boolean sameState(String a, String b) {
        return canonical(a).equals(canonical(b));
    }

    private static String canonical(String s) {
        String u = s.toUpperCase(Locale.ROOT);
        return ALIASES.getOrDefault(u, u);
    }
}
