package io.dlrgate.config;

import io.dlrgate.config.yaml.DidYouMean;
import io.dlrgate.config.yaml.YamlTree.Node;
import io.dlrgate.config.yaml.YamlTree.Scalar;

import java.util.List;

/** Reads {@code bounces}: where a transient UNDELIV goes and when hard bounces suppress a number. */
final class BouncesSectionReader {
    static final List<String> KEYS = List.of("transient_undeliv_tab", "suppress_hard_bounces",
            "suppression_threshold", "suppression_mode", "count_invalid_numbers");

    private final ReadContext ctx;

    BouncesSectionReader(ReadContext ctx) {
        this.ctx = ctx;
    }

    BouncesConfig read(ConfigSection s) {
        BouncesConfig d = BouncesConfig.defaults();
        Tab tab = d.transientUndelivTab();
        String tabText = s.string("transient_undeliv_tab", null, false);
        if (tabText != null) {
            Tab t = Tab.fromSlug(tabText.trim()).orElse(null);
            if (t != Tab.HARD_BOUNCES && t != Tab.SOFT_BOUNCES) {
                ctx.problem(s.keyPath("transient_undeliv_tab"), s.lineOf("transient_undeliv_tab"), "unknown value \""
                        + tabText + "\"" + DidYouMean.suggestion(tabText, List.of("hard-bounces", "soft-bounces"))
                        + "; expected one of hard-bounces, soft-bounces");
            } else {
                tab = t;
            }
        }
        boolean suppress = bool(s, "suppress_hard_bounces", d.suppressHardBounces());
        boolean countInvalid = bool(s, "count_invalid_numbers", d.countInvalidNumbers());
        int threshold = s.integer("suppression_threshold", d.suppressionThreshold(), BouncesConfig.MIN_THRESHOLD,
                BouncesConfig.MAX_THRESHOLD);
        BouncesConfig.SuppressionMode mode = s.enumValue("suppression_mode", d.suppressionMode(),
                BouncesConfig.SuppressionMode.values(), BouncesConfig.SuppressionMode::configName);
        s.checkUnknownKeys();
        return new BouncesConfig(tab, suppress, threshold, mode, countInvalid);
    }

    /** A true/false key: anything else (a string "yes", a number) is a problem naming the key and line. */
    private boolean bool(ConfigSection s, String key, boolean dflt) {
        Node n = s.get(key);
        if (n == null) {
            return dflt;
        }
        if (n instanceof Scalar sc && (sc.token() == com.fasterxml.jackson.core.JsonToken.VALUE_TRUE
                || sc.token() == com.fasterxml.jackson.core.JsonToken.VALUE_FALSE)) {
            return sc.token() == com.fasterxml.jackson.core.JsonToken.VALUE_TRUE;
        }
        ctx.problem(s.keyPath(key), n.line(), "expected true or false, got " + n.describe());
        return dflt;
    }
}
