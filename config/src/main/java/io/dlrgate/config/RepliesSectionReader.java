package io.dlrgate.config;

import io.dlrgate.config.yaml.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code replies}: the opt-out and opt-in keywords of recipients' replies, and their duplicate window. */
final class RepliesSectionReader {
    static final List<String> KEYS = List.of("opt_out_keywords", "opt_in_keywords", "duplicate_window");
    /** A day: beyond it a "resend" is a new reply whatever it says (and the keys kept grow with the window). */
    static final Duration MAX_DUPLICATE_WINDOW = Duration.ofDays(1);

    private final ReadContext ctx;

    RepliesSectionReader(ReadContext ctx) {
        this.ctx = ctx;
    }

    RepliesConfig read(ConfigSection s) {
        List<String> optOut = keywords(s, "opt_out_keywords", RepliesConfig.DEFAULT_OPT_OUT);
        List<String> optIn = keywords(s, "opt_in_keywords", RepliesConfig.DEFAULT_OPT_IN);
        for (String k : optIn) {
            if (optOut.contains(k)) {
                ctx.problem(s.keyPath("opt_in_keywords"), s.lineOf("opt_in_keywords"), "\"" + k
                        + "\" is also an opt-out keyword; a reply cannot both opt out and opt in");
                return RepliesConfig.defaults();
            }
        }
        Duration window = s.duration("duplicate_window", RepliesConfig.DEFAULT_DUPLICATE_WINDOW, true);
        if (window.isNegative() || window.compareTo(MAX_DUPLICATE_WINDOW) > 0) {
            ctx.problem(s.keyPath("duplicate_window"), s.lineOf("duplicate_window"), "must be between 0s and "
                    + Durations.format(MAX_DUPLICATE_WINDOW) + ", got " + Durations.format(window));
            window = RepliesConfig.DEFAULT_DUPLICATE_WINDOW;
        }
        s.checkUnknownKeys();
        return new RepliesConfig(optOut, optIn, window);
    }

    /** The list as written (normalised), or the default when the key is absent; an empty keyword is a problem. */
    private List<String> keywords(ConfigSection s, String key, List<String> def) {
        if (!s.has(key)) {
            return def;
        }
        List<String> out = new ArrayList<>();
        s.stringList(key, (text, path, line) -> {
            String k = RepliesConfig.normalize(text);
            if (k.isEmpty()) {
                ctx.problem(path, line, "a keyword must not be empty");
            } else if (!out.contains(k)) {
                out.add(k);
            }
        });
        return out;
    }
}
