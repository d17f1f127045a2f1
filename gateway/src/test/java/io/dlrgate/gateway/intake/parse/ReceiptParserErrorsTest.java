package io.dlrgate.gateway.intake.parse;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.DataSm;
import com.cloudhopper.smpp.pdu.DeliverSm;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.tlv.Tlv;
import io.dlrgate.reporting.correlation.MessageIdNormalizer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReceiptParserErrorsTest {

    private final ReceiptParser parser = new ReceiptParser(ZoneOffset.UTC);

    private static DeliverSm deliver(int esm, String text) throws Exception {
        DeliverSm d = new DeliverSm();
        d.setSequenceNumber(42);
        d.setEsmClass((byte) esm);
        d.setShortMessage(text.getBytes(StandardCharsets.US_ASCII));
        return d;
    }

    @Test
    void mobileOriginatedMessageIsNotAReceipt() throws Exception {
        ReceiptParseException e = assertThrows(ReceiptParseException.class,
                () -> parser.parse(deliver(0x00, "id:123 stat:DELIVRD err:000")));
        assertEquals(ReceiptParseException.Reason.NOT_A_RECEIPT, e.reason());
        assertEquals(0x65, e.commandStatus());
        assertTrue(e.getMessage().contains("esm_class 0x00"), e.getMessage());
        assertTrue(e.getMessage().contains("deliver_sm seq 42"), e.getMessage());
    }

    @Test
    void smeAcknowledgementIsNotAReceipt() throws Exception {
        ReceiptParseException e = assertThrows(ReceiptParseException.class,
                () -> parser.parse(deliver(0x08, "id:123 stat:DELIVRD")));
        assertEquals(ReceiptParseException.Reason.NOT_A_RECEIPT, e.reason());
        assertTrue(e.getMessage().contains("0x08"), e.getMessage());
    }

    @Test
    void submitSmIsNotAReceipt() {
        SubmitSm s = new SubmitSm();
        s.setEsmClass((byte) 0x04);
        ReceiptParseException e = assertThrows(ReceiptParseException.class, () -> parser.parse(s));
        assertEquals(ReceiptParseException.Reason.NOT_A_RECEIPT, e.reason());
        assertTrue(e.getMessage().contains("submit_sm"), e.getMessage());
    }

    @Test
    void aReceiptedMessageIdTlvOfControlBytesDoesNotOverrideTheTextId() throws Exception {
        DeliverSm d = deliver(0x04, "id:x1 sub:001 dlvrd:001 stat:DELIVRD err:000");
        d.addOptionalParameter(new Tlv(SmppConstants.TAG_RECEIPTED_MSG_ID, new byte[] {0x01}));
        ParsedReceipt p = parser.parse(d);
        assertEquals("x1", p.receiptedMessageId());
        assertTrue(p.warnings().stream().anyMatch(w -> w.contains("control characters")), p.warnings().toString());
    }

    @Test
    void anIdLongerThanAnySmppIdIsRefusedWithItsLength() throws Exception {
        String id = "7".repeat(MessageIdNormalizer.MAX_LENGTH + 1);
        DeliverSm d = deliver(0x04, "");
        d.setShortMessage(new byte[0]);
        d.addOptionalParameter(new Tlv(SmppConstants.TAG_MESSAGE_PAYLOAD,
                ("id:" + id + " stat:DELIVRD err:000").getBytes(StandardCharsets.US_ASCII)));
        ReceiptParseException e = assertThrows(ReceiptParseException.class, () -> parser.parse(d));
        assertEquals(ReceiptParseException.Reason.MESSAGE_ID_TOO_LONG, e.reason());
        assertEquals(0x65, e.commandStatus());
        assertTrue(e.getMessage().contains("of 256 characters"), e.getMessage());
        // The longest accepted id still parses.
        DeliverSm ok = deliver(0x04, "");
        ok.setShortMessage(new byte[0]);
        ok.addOptionalParameter(new Tlv(SmppConstants.TAG_MESSAGE_PAYLOAD,
                ("id:" + id.substring(1) + " stat:DELIVRD err:000").getBytes(StandardCharsets.US_ASCII)));
        assertEquals(id.substring(1), parser.parse(ok).receiptedMessageId());
    }

    @Test
    void receiptWithoutAnyIdSaysWhatIsMissing() throws Exception {
        ReceiptParseException e = assertThrows(ReceiptParseException.class,
                () -> parser.parse(deliver(0x04, "sub:001 dlvrd:001 stat:DELIVRD err:000 text:hello")));
        assertEquals(ReceiptParseException.Reason.NO_MESSAGE_ID, e.reason());
        assertEquals(ReceiptParseException.ESME_RX_P_APPN, e.commandStatus());
        assertTrue(e.getMessage().contains("no receipted_message_id TLV"), e.getMessage());
        assertTrue(e.getMessage().contains("no 'id:' field"), e.getMessage());
    }

    @Test
    void emptyReceiptWithoutTlvsSaysThereIsNoText() throws Exception {
        DataSm d = new DataSm();
        d.setEsmClass((byte) 0x04);
        ReceiptParseException e = assertThrows(ReceiptParseException.class, () -> parser.parse(d));
        assertEquals(ReceiptParseException.Reason.NO_MESSAGE_ID, e.reason());
        assertTrue(e.getMessage().contains("data_sm"), e.getMessage());
        assertTrue(e.getMessage().contains("no receipt text"), e.getMessage());
    }

    @Test
    void emptyIdValueAndEmptyTlvCountAsNoId() throws Exception {
        DeliverSm d = deliver(0x04, "id: sub:001 stat:DELIVRD");
        d.addOptionalParameter(new Tlv(SmppConstants.TAG_RECEIPTED_MSG_ID, new byte[] {0}));
        ReceiptParseException e = assertThrows(ReceiptParseException.class, () -> parser.parse(d));
        assertEquals(ReceiptParseException.Reason.NO_MESSAGE_ID, e.reason());
    }

    @Test
    void textThatIsNotAReceiptButTlvIdPresentIsTolerated() throws Exception {
        DeliverSm d = deliver(0x04, "Message delivered");
        d.addOptionalParameter(new Tlv(SmppConstants.TAG_RECEIPTED_MSG_ID, "abc\0".getBytes(StandardCharsets.US_ASCII)));
        d.addOptionalParameter(new Tlv(SmppConstants.TAG_MSG_STATE, new byte[] {2}));
        ParsedReceipt r = parser.parse(d);
        assertEquals("abc", r.receiptedMessageId());
        assertEquals("DELIVRD", r.stat());
        assertNull(r.textMessageId());
        assertEquals(1, r.warnings().size(), r.warnings().toString());
        assertTrue(r.warnings().get(0).contains("no 'label:value' fields"), r.warnings().toString());
    }

    @Test
    void malformedTlvsAreWarningsNotFailures() throws Exception {
        DeliverSm d = deliver(0x04, "id:77 stat:UNDELIV err:001 done date:2311271530");
        d.addOptionalParameter(new Tlv(SmppConstants.TAG_MSG_STATE, new byte[] {0, 5}));
        d.addOptionalParameter(new Tlv(SmppConstants.TAG_NETWORK_ERROR_CODE, new byte[] {3, 0}));
        ParsedReceipt r = parser.parse(d);
        assertEquals("77", r.receiptedMessageId());
        assertNull(r.messageState());
        assertEquals("UNDELIV", r.stat());
        assertEquals(FieldSource.TEXT, r.sourceOf(ReceiptField.STAT).orElseThrow());
        assertNull(r.networkErrorCode());
        assertFalse(r.sourceOf(ReceiptField.NETWORK_ERROR_CODE).isPresent());
        assertEquals(2, r.warnings().size(), r.warnings().toString());
    }

    @Test
    void messageStateOutsideReceiptStatesFallsBackToTextStat() throws Exception {
        DeliverSm d = deliver(0x04, "id:78 stat:DELIVRD err:000");
        d.addOptionalParameter(new Tlv(SmppConstants.TAG_MSG_STATE, new byte[] {0}));
        ParsedReceipt r = parser.parse(d);
        assertEquals(0, r.messageState());
        assertEquals("DELIVRD", r.stat());
        assertEquals(FieldSource.TEXT, r.sourceOf(ReceiptField.STAT).orElseThrow());
        assertEquals(FieldSource.TLV, r.sourceOf(ReceiptField.MESSAGE_STATE).orElseThrow());
    }

    @Test
    void isReceiptLooksAtTheTwoReceiptBitsOnly() {
        assertTrue(ReceiptParser.isReceipt((byte) 0x04));
        assertTrue(ReceiptParser.isReceipt((byte) 0x20));
        assertTrue(ReceiptParser.isReceipt((byte) 0x44));
        assertTrue(ReceiptParser.isReceipt((byte) 0x84));
        assertFalse(ReceiptParser.isReceipt((byte) 0x00));
        assertFalse(ReceiptParser.isReceipt((byte) 0x40));
        assertFalse(ReceiptParser.isReceipt((byte) 0x08));
        assertFalse(ReceiptParser.isReceipt((byte) 0x10));
    }

    @Test
    void parsedReceiptIsImmutable() throws Exception {
        ParsedReceipt r = parser.parse(deliver(0x04, "id:1 stat:DELIVRD done date:2313451530"));
        assertThrows(UnsupportedOperationException.class, () -> r.warnings().add("x"));
        assertThrows(UnsupportedOperationException.class, () -> r.sources().put(ReceiptField.ERR, FieldSource.TLV));
    }

    @Test
    void allNineMessageStatesMapToTheirStatWords() {
        String[] expected = {null, "ENROUTE", "DELIVRD", "EXPIRED", "DELETED", "UNDELIV", "ACCEPTD", "UNKNOWN",
                "REJECTD", "SKIPPED", null};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], MessageStates.statOf(i), "state " + i);
        }
    }

    @Test
    void receiptTextOddities() {
        ReceiptText t = ReceiptText.parse("id:1 id:2 sub:001 extra words err:00001 done date:23112715 text:a", ZoneOffset.UTC);
        assertEquals("1", t.id());
        assertEquals("001", t.sub());
        assertEquals("00001", t.err());
        assertNull(t.doneDate());
        assertEquals("23112715", t.doneDateRaw());
        assertEquals("a", t.text());
        // duplicate id, junk after sub, odd err length, 8-digit date
        assertEquals(4, t.warnings().size(), t.warnings().toString());
    }
}
