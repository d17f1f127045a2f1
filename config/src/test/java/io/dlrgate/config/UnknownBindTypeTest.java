package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.carrier;
import static io.dlrgate.config.ConfigAssertions.fails;
import static io.dlrgate.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class UnknownBindTypeTest {

    @Test
    void unknownBindType() {
        ConfigException e = fails("carriers:\n" + carrier("alpha", "bind_types: [transceiver, tranmitter]"));
        assertProblem(e, "carriers[0].bind_types[1]", "unknown bind type \"tranmitter\"", "did you mean transmitter?",
                "expected one of transmitter, receiver, transceiver");
    }

    @Test
    void emptyBindTypes() {
        assertProblem(fails("carriers:\n" + carrier("alpha", "bind_types: []")), "carriers[0].bind_types",
                "at least one bind type");
    }

    @Test
    void listedBindTypesAreTheOnlyOnesAllowed() {
        CarrierConfig c = load("carriers:\n" + carrier("alpha", "bind_types: [receiver, TRANSCEIVER]")).carriers().get(0);
        assertEquals(EnumSet.of(BindType.RECEIVER, BindType.TRANSCEIVER), c.bindTypes());
        assertEquals(false, c.allows(BindType.TRANSMITTER));
    }

    @Test
    void unknownMessageIdFormat() {
        ConfigException e = fails("carriers:\n" + carrier("alpha", "submit_id_format: hexadecimal",
                "receipt_id_format: dec"));
        assertProblem(e, "carriers[0].submit_id_format", "unknown value \"hexadecimal\"",
                "expected one of string, decimal, hex");
        assertProblem(e, "carriers[0].receipt_id_format", "unknown value \"dec\"");
    }

    @Test
    void messageIdFormatsLoad() {
        CarrierConfig c = load("carriers:\n" + carrier("alpha", "submit_id_format: hex", "receipt_id_format: DECIMAL"))
                .carriers().get(0);
        assertEquals(MessageIdFormat.HEX, c.submitIdFormat());
        assertEquals(MessageIdFormat.DECIMAL, c.receiptIdFormat());
    }
}
