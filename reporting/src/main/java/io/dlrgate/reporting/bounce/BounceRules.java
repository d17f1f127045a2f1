package io.dlrgate.reporting.bounce;

import io.dlrgate.config.BouncesConfig;
import io.dlrgate.config.CarrierConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the group-commit writer needs for bounces: a classifier per carrier (the default tables with that carrier's
 * {@code error_classes}) and the {@code bounces} section (the tab of transient UNDELIVs, suppression defaults).
 */
public final class BounceRules {

    private final Map<String, BounceClassifier> byCarrier;
    private final BouncesConfig config;

    public BounceRules(Map<String, BounceClassifier> byCarrier, BouncesConfig config) {
        this.byCarrier = Map.copyOf(byCarrier);
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Default tables for every carrier, every setting at its default. */
    public static BounceRules defaults() {
        return new BounceRules(Map.of(), BouncesConfig.defaults());
    }

    public static BounceRules of(List<CarrierConfig> carriers, BouncesConfig config) {
        Map<String, BounceClassifier> m = new HashMap<>();
        for (CarrierConfig c : carriers) {
            m.put(c.id(), BounceClassifier.forCarrier(c));
        }
        return new BounceRules(m, config);
    }

    /** The classifier of a carrier; the defaults for a carrier not configured. */
    public BounceClassifier classifier(String carrierId) {
        return byCarrier.getOrDefault(carrierId, BounceClassifier.defaults());
    }

    public BouncesConfig config() {
        return config;
    }
}
