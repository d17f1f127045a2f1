package io.dlrgate.config;

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
 */
public record RepliesConfig(List<String> optOutKeywords, List<String> optInKeywords) {

    public static final List<String> DEFAULT_OPT_OUT = List.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT");
    public static final List<String> DEFAULT_OPT_IN = List.of("START");

    public RepliesConfig {
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
        return new RepliesConfig(DEFAULT_OPT_OUT, DEFAULT_OPT_IN);
    }

    /** Upper case, every white space removed: the form a reply and a keyword are compared in. */
    public static String normalize(String text) {
        Objects.requireNonNull(text, "text");
        return text.replaceAll("[\\s\\u00A0\\u2000-\\u200B\\u3000]+", "").toUpperCase(Locale.ROOT);
    }
}
