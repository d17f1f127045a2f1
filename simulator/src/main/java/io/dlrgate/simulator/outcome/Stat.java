package io.dlrgate.simulator.outcome;

/**
 * The {@code stat} tokens a simulated carrier can put in a delivery receipt, with the SMPP 5.0
 * {@code message_state} value (TLV 0x0427) and a default {@code err} value for each.
 *
 * <p>Default errors follow common GSM MAP causes so that a bounce carries a plausible reason:
 * UNDELIV 001 (unknown subscriber), EXPIRED 027 (absent subscriber), REJECTD 013 (call barred),
 * everything else 000.
 */
public enum Stat {
    ENROUTE(1, "000", false),
    DELIVRD(2, "000", true),
    EXPIRED(3, "027", true),
    DELETED(4, "000", true),
    UNDELIV(5, "001", true),
    ACCEPTD(6, "000", false),
    UNKNOWN(7, "000", false),
    REJECTD(8, "013", true),
    SKIPPED(9, "000", true);

    private final int messageState;
    private final String defaultErr;
    private final boolean finalState;

    Stat(int messageState, String defaultErr, boolean finalState) {
        this.messageState = messageState;
        this.defaultErr = defaultErr;
        this.finalState = finalState;
    }

    /** SMPP 5.0 message_state value (ENROUTE 1, DELIVERED 2, EXPIRED 3, DELETED 4, UNDELIVERABLE 5, ACCEPTED 6, UNKNOWN 7, REJECTED 8, SKIPPED 9). */
    public int messageState() {
        return messageState;
    }

    /** The {@code err} written when an outcome does not name one. */
    public String defaultErr() {
        return defaultErr;
    }

    /** True for stats after which the carrier sends nothing more for the message. */
    public boolean isFinal() {
        return finalState;
    }

    /** Case-insensitive lookup with a clear message for unknown tokens. */
    public static Stat parse(String token) {
        String t = token == null ? "" : token.trim().toUpperCase(java.util.Locale.ROOT);
        for (Stat s : values()) {
            if (s.name().equals(t)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown stat '" + token + "', expected one of "
                + java.util.Arrays.toString(values()));
    }
}
