package io.dlrgate.reporting.replies;

import io.dlrgate.config.RepliesConfig;
import java.util.Set;

/**
 * Decides what a reply's text does, from the configured keywords: the whole text, without its white space and in
 * capitals, must be one keyword ({@code "Stop"}, {@code " S T O P "}; never {@code "stop it"}, which a person may
 * well write about something else).
 */
public final class ReplyKeywords {

    private final Set<String> optOut;
    private final Set<String> optIn;

    public ReplyKeywords(RepliesConfig config) {
        this.optOut = Set.copyOf(config.optOutKeywords());
        this.optIn = Set.copyOf(config.optInKeywords());
    }

    public ReplyKind classify(String text) {
        if (text == null) {
            return ReplyKind.REPLY;
        }
        String k = RepliesConfig.normalize(text);
        if (optOut.contains(k)) {
            return ReplyKind.OPT_OUT;
        }
        return optIn.contains(k) ? ReplyKind.OPT_IN : ReplyKind.REPLY;
    }
}
