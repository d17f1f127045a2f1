package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.fails;
import static io.dlrgate.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code bounces} section and {@code carriers[].error_classes}: read as written, each mistake named at its key. */
class BouncesSectionTest {

    static final String CARRIER = "carriers:\n  - id: acme\n    system_id: acme\n    password: pw\n";

    @Test
    void defaultsAndValuesAreRead() {
        assertEquals(BouncesConfig.defaults(), load("expiry: {grace: 1m}\n").bounces());
        assertEquals(new BouncesConfig(Tab.SOFT_BOUNCES, false, 5, BouncesConfig.SuppressionMode.TOTAL),
                load("bounces:\n  transient_undeliv_tab: soft-bounces\n  suppress_hard_bounces: false\n"
                        + "  suppression_threshold: 5\n  suppression_mode: Total\n").bounces());
        assertEquals(new BouncesConfig(Tab.HARD_BOUNCES, true, 3, BouncesConfig.SuppressionMode.CONSECUTIVE, true),
                load("bounces:\n  count_invalid_numbers: true\n").bounces());
    }

    @Test
    void eachMistakeIsNamed() {
        assertProblem(fails("bounces: {transient_undeliv_tab: deleted}\n"), "bounces.transient_undeliv_tab",
                "expected one of hard-bounces, soft-bounces");
        assertProblem(fails("bounces: {suppress_hard_bounces: yes please}\n"), "bounces.suppress_hard_bounces",
                "expected true or false");
        assertProblem(fails("bounces: {suppression_threshold: 0}\n"), "bounces.suppression_threshold",
                "must be between 1 and 100, got 0");
        assertProblem(fails("bounces: {suppression_threshold: 101}\n"), "bounces.suppression_threshold",
                "must be between 1 and 100, got 101");
        assertProblem(fails("bounces: {suppression_mode: consecutiv}\n"), "bounces.suppression_mode",
                "did you mean consecutive?");
        assertProblem(fails("bounces: {count_invalid_numbers: 1}\n"), "bounces.count_invalid_numbers",
                "expected true or false");
        assertProblem(fails("bounces: {threshold: 3}\n"), "bounces.threshold", "unknown key");
    }

    @Test
    void carrierErrorClassesAreReadWithNormalisedKeys() {
        CarrierConfig c = load(CARRIER + "    error_classes: {\"001\": permanent, \"027\": Transient, \"3:34\": permanent,"
                + " \"submit:0x0B\": transient}\n").carriers().get(0);
        assertEquals(Map.of("1", BounceClass.PERMANENT, "27", BounceClass.TRANSIENT, "net:3:34", BounceClass.PERMANENT,
                "submit:11", BounceClass.TRANSIENT), c.errorClasses());
        assertEquals(Map.of(), load(CARRIER).carriers().get(0).errorClasses());
    }

    @Test
    void carrierErrorClassMistakesAreNamed() {
        assertProblem(fails(CARRIER + "    error_classes: {\"001\": fatal}\n"), "carriers[0].error_classes.001",
                "unknown class \"fatal\"; expected permanent or transient");
        assertProblem(fails(CARRIER + "    error_classes: {\"001\": none}\n"), "carriers[0].error_classes.001",
                "expected permanent or transient");
        assertProblem(fails(CARRIER + "    error_classes: {\"001\": permanent, \"1\": transient}\n"),
                "carriers[0].error_classes.1", "already classed");
        assertProblem(fails(CARRIER + "    error_classes: {\"3:x\": permanent}\n"), "carriers[0].error_classes.3:x",
                "not a network error code");
        assertProblem(fails(CARRIER + "    error_classes: {\"submit:zz\": permanent}\n"),
                "carriers[0].error_classes.submit:zz", "not a submit status");
        assertProblem(fails(CARRIER + "    error_classes: [\"001\"]\n"), "carriers[0].error_classes",
                "expected a mapping of error to class");
    }
}
