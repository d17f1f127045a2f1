package io.dlrgate.simulator.carrier;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.tlv.Tlv;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * How the simulated carrier reads the text of a submit, as an SMSC would: content rules and the ledger see what
 * the gateway meant to send. The bytes are written out by hand from GSM 03.38, not by any encoder of the gateway.
 */
class SmppSessionsTextTest {

    static SubmitSm submit(byte dataCoding, byte esmClass, byte[] shortMessage) throws Exception {
        SubmitSm s = new SubmitSm();
        s.setDataCoding(dataCoding);
        s.setEsmClass(esmClass);
        s.setShortMessage(shortMessage);
        return s;
    }

    @Test
    void gsmDefaultAlphabetIsDecodedWithItsOwnTableAndTheExtensionTable() throws Exception {
        // "Save £5 @shop_1 €$": £ 0x01, @ 0x00, _ 0x11, € is ESC 0x65, $ 0x02 (Latin-1 would read NUL, 0x01, ...).
        byte[] gsm = {'S', 'a', 'v', 'e', ' ', 0x01, '5', ' ', 0x00, 's', 'h', 'o', 'p', 0x11, '1', ' ', 0x1B, 0x65,
                0x02};
        assertEquals("Save £5 @shop_1 €$", SmppSessions.text(submit((byte) 0x00, (byte) 0, gsm)));
    }

    @Test
    void aConcatenatedPartLosesItsUserDataHeader() throws Exception {
        byte[] udhAndText = {0x05, 0x00, 0x03, 0x2A, 0x02, 0x01, 'H', 'e', 'l', 'l', 'o'};
        assertEquals("Hello", SmppSessions.text(submit((byte) 0x00, SmppConstants.ESM_CLASS_UDHI_MASK, udhAndText)));
        assertEquals("", SmppSessions.text(submit((byte) 0x00, SmppConstants.ESM_CLASS_UDHI_MASK,
                new byte[] {0x05, 0x00, 0x03})), "a header longer than the data leaves no text, not an exception");
    }

    @Test
    void otherCodingsAndThePayloadTlv() throws Exception {
        assertEquals("Grüße ✓", SmppSessions.text(submit((byte) 0x08, (byte) 0,
                "Grüße ✓".getBytes(StandardCharsets.UTF_16BE))));
        assertEquals("café", SmppSessions.text(submit((byte) 0x03, (byte) 0,
                "café".getBytes(StandardCharsets.ISO_8859_1))));
        SubmitSm payload = submit((byte) 0x00, (byte) 0, new byte[0]);
        payload.addOptionalParameter(new Tlv(SmppConstants.TAG_MESSAGE_PAYLOAD, new byte[] {'a', 0x00, 'b'}));
        assertEquals("a@b", SmppSessions.text(payload));
    }
}
