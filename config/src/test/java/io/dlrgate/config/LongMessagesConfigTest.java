package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.carrier;
import static io.dlrgate.config.ConfigAssertions.fails;
import static io.dlrgate.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@code long_messages}, {@code udh_reference} per carrier and {@code dispatch.max_parts}: defaults and each error. */
class LongMessagesConfigTest {

    @Test
    void defaultsAreUdhWithAnEightBitReferenceAndTenParts() {
        GatewayConfig g = load("carriers:\n" + carrier("alpha"));
        assertEquals(LongMessages.DEFAULT, g.carriers().get(0).longMessages());
        assertEquals(10, g.dispatch().maxParts());
    }

    @Test
    void eachModeAndWidthLoads() {
        GatewayConfig g = load("dispatch: {max_parts: 4}\ncarriers:\n"
                + carrier("alpha", "long_messages: udh", "udh_reference: 16")
                + carrier("beta", "long_messages: SAR")
                + carrier("gamma", "long_messages: payload"));
        assertEquals(new LongMessages(LongMessages.Mode.UDH, 16), g.carriers().get(0).longMessages());
        assertEquals(LongMessages.Mode.SAR, g.carriers().get(1).longMessages().mode());
        assertEquals(LongMessages.Mode.PAYLOAD, g.carriers().get(2).longMessages().mode());
        assertEquals(4, g.dispatch().maxParts());
    }

    @Test
    void unknownModeNamesTheKeyTheLineAndTheChoices() {
        ConfigException.Problem p = assertProblem(fails("carriers:\n" + carrier("alpha", "long_messages: udhh")),
                "carriers[0].long_messages", "unknown value \"udhh\"", "did you mean udh?",
                "expected one of udh, sar, payload");
        assertEquals(5, p.line());
    }

    @Test
    void referenceWidthIsEightOrSixteen() {
        ConfigException.Problem p = assertProblem(fails("carriers:\n" + carrier("alpha", "udh_reference: 12")),
                "carriers[0].udh_reference", "must be 8 or 16", "got 12");
        assertEquals(5, p.line());
    }

    @Test
    void referenceWidthWithoutUdhIsAMistake() {
        ConfigException.Problem p = assertProblem(fails("carriers:\n"
                        + carrier("alpha", "long_messages: sar", "udh_reference: 16")),
                "carriers[0].udh_reference", "only applies with long_messages: udh", "long_messages: sar");
        assertEquals(6, p.line());
    }

    @Test
    void maxPartsIsBetweenOneAnd255() {
        ConfigException.Problem p = assertProblem(fails("dispatch:\n  max_parts: 0\n"), "dispatch.max_parts",
                "must be between 1 and 255");
        assertEquals(2, p.line());
        assertProblem(fails("dispatch: {max_parts: 256}\n"), "dispatch.max_parts", "must be between 1 and 255");
    }
}
