package io.dlrgate.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Recipients' replies ({@code replies} section): the keywords that opt a number out of (and back into) sending.
 *
 * <p>A keyword matches the whole reply, compared case- and space-insensitively: {@code " Stop "} and
 * {@code "S T O P"} are STOP, {@code "stop please"} is an ordinary reply. Keywords are kept in that normal form
 * (see {@link #normalize}).
 *
 * @param optOutKeywords replies that put the number on the suppressed list with reason {@code opt-out}
 * @param optInKeywords  replies that lift the number's opt-out (never a hard-bounce or manual suppression)
 * @param duplicateWindow how long after a reply is stored the same PDU again (same carrier, addresses, coding and
 *                        octets) is taken for the carrier's resend of it and acknowledged without being stored
 *                        again; zero stores every copy
 */
public record RepliesConfig(List<String> optOutKeywords, List<String> optInKeywords, Duration duplicateWindow) {

    public static final List<String> DEFAULT_OPT_OUT = List.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT");
    public static final List<String> DEFAULT_OPT_IN = List.of("START");
    /**
     * Long enough for a carrier's resend after a lost deliver_sm_resp (a response timeout, a rebind, a retry or two),
     * short enough that a recipient who sends the same text again some minutes later is heard twice.
     */
    public static final Duration DEFAULT_DUPLICATE_WINDOW = Duration.ofMinutes(5);

    public RepliesConfig {
        Objects.requireNonNull(duplicateWindow, "duplicateWindow");
        if (duplicateWindow.isNegative()) {
            throw new IllegalArgumentException("duplicateWindow must not be negative: " + duplicateWindow);
        }
        optOutKeywords = optOutKeywords.stream().map(RepliesConfig::normalize).distinct().toList();
        optInKeywords = optInKeywords.stream().map(RepliesConfig::normalize).distinct().toList();
        Set<String> both = optOutKeywords.stream().filter(optInKeywords::contains).collect(Collectors.toSet());
        if (!both.isEmpty()) {
            throw new IllegalArgumentException("keywords both opt out and opt in: " + both);
        }
        if (optOutKeywords.contains("") || optInKeywords.contains("")) {
            throw new IllegalArgumentException("a keyword must not be empty");
        }
    }

    public static RepliesConfig defaults() {
        return new RepliesConfig(DEFAULT_OPT_OUT, DEFAULT_OPT_IN, DEFAULT_DUPLICATE_WINDOW);
    }

    /** Upper case, every white space removed: the form a reply and a keyword are compared in. */
    public static String normalize(String text) {
        Objects.requireNonNull(text, "text");
        return text.replaceAll("[\\s\\u00A0\\u2000-\\u200B\\u3000]+", "").toUpperCase(Locale.ROOT);
    }
}
