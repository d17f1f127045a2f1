package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.carrier;
import static io.dlrgate.config.ConfigAssertions.fails;
import static io.dlrgate.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code send.default_sender} and a carrier's {@code senders}, {@code source_ton}, {@code source_npi}. */
class SendersConfigTest {

    private static CarrierSenders senders(String... lines) {
        return load("carriers:\n" + carrier("alpha", lines)).carriers().get(0).senders();
    }

    @Test
    void withoutSendersACarrierTakesAnySenderAddressedByItsForm() {
        CarrierSenders s = senders();
        assertEquals(List.of(), s.allowed());
        assertNull(s.sourceTon());
        assertNull(s.sourceNpi());
        SenderId acme = SenderId.parse("Acme");
        assertTrue(s.allows(acme));
        assertEquals(5, s.tonFor(acme));
        assertEquals(0, s.npiFor(acme));
    }

    @Test
    void listedSendersAreTheOnlyOnesAllowedExactlyAsWritten() {
        CarrierSenders s = senders("senders: [Acme, \"60123\", \"+447700900123\"]");
        assertEquals(List.of("Acme", "60123", "+447700900123"), s.allowed());
        assertTrue(s.allows(SenderId.parse("60123")));
        assertFalse(s.allows(SenderId.parse("ACME")));
        assertFalse(s.allows(SenderId.parse("Other")));
    }

    @Test
    void tonAndNpiOverridesReplaceTheFormsForEverySender() {
        CarrierSenders s = senders("source_ton: 0", "source_npi: 9");
        assertEquals(0, s.tonFor(SenderId.parse("Acme")));
        assertEquals(9, s.npiFor(SenderId.parse("+447700900123")));
    }

    @Test
    void theDefaultSenderIsDlrgateUnlessConfigured() {
        assertEquals("DLRGATE", load("").send().defaultSender().text());
        SenderId s = load("send: {default_sender: \"+447700900123\"}\n").send().defaultSender();
        assertEquals(SenderId.Form.INTERNATIONAL, s.form());
    }

    @Test
    void anInvalidDefaultSenderIsNamedWithItsKeyAndRule() {
        assertProblem(fails("send: {default_sender: TwelveChars1}\n"), "send.default_sender",
                "\"TwelveChars1\" is 12 characters", "at most 11");
    }

    @Test
    void anInvalidSenderInTheListIsNamedWithItsIndex() {
        assertProblem(fails("carriers:\n" + carrier("alpha", "senders: [Acme, \"12\"]")), "carriers[0].senders[1]",
                "\"12\" is 2 digits", "3 to 8");
    }

    @Test
    void aSenderListedTwiceIsAProblem() {
        assertProblem(fails("carriers:\n" + carrier("alpha", "senders: [Acme, Acme]")), "carriers[0].senders[1]",
                "listed twice");
    }

    @Test
    void sendersMustBeAList() {
        assertProblem(fails("carriers:\n" + carrier("alpha", "senders: Acme")), "carriers[0].senders",
                "expected a list");
    }

    @Test
    void aTonOutsideZeroToSixIsAProblem() {
        assertProblem(fails("carriers:\n" + carrier("alpha", "source_ton: 7")), "carriers[0].source_ton", "7");
    }

    @Test
    void aTonThatIsNoIntegerIsAProblem() {
        assertProblem(fails("carriers:\n" + carrier("alpha", "source_ton: alphanumeric")), "carriers[0].source_ton",
                "alphanumeric");
    }

    @Test
    void anNpiSmppDoesNotDefineIsAProblem() {
        assertProblem(fails("carriers:\n" + carrier("alpha", "source_npi: 2")), "carriers[0].source_npi",
                "not a numbering plan SMPP 3.4 defines: 2");
    }

    @Test
    void anNpiAboveOneByteIsAProblem() {
        assertProblem(fails("carriers:\n" + carrier("alpha", "source_npi: 256")), "carriers[0].source_npi", "256");
    }
}
