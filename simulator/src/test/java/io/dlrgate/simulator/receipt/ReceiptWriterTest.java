package io.dlrgate.simulator.receipt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.cloudhopper.smpp.pdu.BaseSm;
import com.cloudhopper.smpp.pdu.DataSm;
import com.cloudhopper.smpp.pdu.DeliverSm;
import com.cloudhopper.smpp.tlv.Tlv;
import io.dlrgate.simulator.outcome.Stat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ReceiptWriterTest {
    private static final Instant SUBMITTED = Instant.parse("2026-11-27T19:50:07Z");
    private static final Instant DONE = Instant.parse("2026-11-27T19:51:38Z");
    private static final String CONTENT = "Your code is 123456, valid 5 min";

    private static ReceiptFields fields(Stat stat, String err) {
        return new ReceiptFields("1000000042", 1_000_000_042L, "447700900123", "DLRGATE", SUBMITTED, DONE, stat, err,
                CONTENT);
    }

    private static String text(ReceiptDialect d, Stat stat) {
        return new ReceiptWriter(d).text(fields(stat, stat.defaultErr()));
    }

    @Test
    void standardText() {
        assertEquals("id:1000000042 sub:001 dlvrd:001 submit date:2611271950 done date:2611271951 stat:DELIVRD "
                + "err:000 text:Your code is 123456,", text(ReceiptDialect.STANDARD, Stat.DELIVRD));
    }

    @Test
    void everyStatWithItsDefaultErrAndDlvrd() {
        String prefix = "id:1000000042 sub:001 dlvrd:000 submit date:2611271950 done date:2611271951 ";
        String suffix = " text:Your code is 123456,";
        assertEquals(prefix + "stat:UNDELIV err:001" + suffix, text(ReceiptDialect.STANDARD, Stat.UNDELIV));
        assertEquals(prefix + "stat:EXPIRED err:027" + suffix, text(ReceiptDialect.STANDARD, Stat.EXPIRED));
        assertEquals(prefix + "stat:DELETED err:000" + suffix, text(ReceiptDialect.STANDARD, Stat.DELETED));
        assertEquals(prefix + "stat:REJECTD err:013" + suffix, text(ReceiptDialect.STANDARD, Stat.REJECTD));
        assertEquals(prefix + "stat:ENROUTE err:000" + suffix, text(ReceiptDialect.STANDARD, Stat.ENROUTE));
        assertEquals(prefix + "stat:ACCEPTD err:000" + suffix, text(ReceiptDialect.STANDARD, Stat.ACCEPTD));
        assertEquals(prefix + "stat:UNKNOWN err:000" + suffix, text(ReceiptDialect.STANDARD, Stat.UNKNOWN));
        assertEquals(prefix + "stat:SKIPPED err:000" + suffix, text(ReceiptDialect.STANDARD, Stat.SKIPPED));
    }

    @Test
    void upperCaseLabels() {
        assertEquals("ID:1000000042 SUB:001 DLVRD:001 SUBMIT DATE:2611271950 DONE DATE:2611271951 STAT:DELIVRD "
                        + "ERR:000 TEXT:Your code is 123456,",
                text(ReceiptDialect.STANDARD.withLabels(ReceiptDialect.LabelCase.UPPER), Stat.DELIVRD));
    }

    @Test
    void capitalisedTextLabel() {
        assertEquals("id:1000000042 sub:001 dlvrd:001 submit date:2611271950 done date:2611271951 stat:DELIVRD "
                        + "err:000 Text:Your code is 123456,",
                text(ReceiptDialect.STANDARD.withLabels(ReceiptDialect.LabelCase.CAPITALISED_TEXT), Stat.DELIVRD));
    }

    @Test
    void submitDateWithoutSpace() {
        assertEquals("id:1000000042 sub:001 dlvrd:001 submitdate:2611271950 done date:2611271951 stat:DELIVRD "
                + "err:000 text:Your code is 123456,",
                text(ReceiptDialect.STANDARD.withSubmitDateWithoutSpace(true), Stat.DELIVRD));
        assertEquals("ID:1000000042 SUB:001 DLVRD:001 SUBMITDATE:2611271950 DONE DATE:2611271951 STAT:DELIVRD "
                        + "ERR:000 TEXT:Your code is 123456,",
                text(ReceiptDialect.STANDARD.withSubmitDateWithoutSpace(true)
                        .withLabels(ReceiptDialect.LabelCase.UPPER), Stat.DELIVRD));
    }

    @Test
    void twelveAndFourteenDigitDates() {
        assertEquals("id:1000000042 sub:001 dlvrd:001 submit date:261127195007 done date:261127195138 stat:DELIVRD "
                + "err:000 text:Your code is 123456,", text(ReceiptDialect.STANDARD.withDateDigits(12), Stat.DELIVRD));
        assertEquals("id:1000000042 sub:001 dlvrd:001 submit date:20261127195007 done date:20261127195138 "
                + "stat:DELIVRD err:000 text:Your code is 123456,",
                text(ReceiptDialect.STANDARD.withDateDigits(14), Stat.DELIVRD));
    }

    @Test
    void datesInTheDialectsZone() {
        assertEquals("id:1000000042 sub:001 dlvrd:001 submit date:2611272050 done date:2611272051 stat:DELIVRD "
                        + "err:000 text:Your code is 123456,",
                text(ReceiptDialect.STANDARD.withZone(ZoneId.of("Europe/Paris")), Stat.DELIVRD));
    }

    @Test
    void idStyles() {
        ReceiptFields f = new ReceiptFields("812FC7470000001B", 0x812FC7470000001BL, "1", "2", SUBMITTED, DONE,
                Stat.DELIVRD, "000", "hi");
        assertEquals("812FC7470000001B", new ReceiptWriter(ReceiptDialect.STANDARD).idText(f));
        assertEquals("9308878062554710043",
                new ReceiptWriter(ReceiptDialect.STANDARD.withIdStyle(ReceiptDialect.IdStyle.DECIMAL)).idText(f));
        ReceiptFields small = fields(Stat.DELIVRD, "000");
        assertEquals("3B9ACA2A",
                new ReceiptWriter(ReceiptDialect.STANDARD.withIdStyle(ReceiptDialect.IdStyle.HEX)).idText(small));
        assertEquals("000000001000000042", new ReceiptWriter(ReceiptDialect.STANDARD
                .withIdStyle(ReceiptDialect.IdStyle.ZERO_PADDED).withIdWidth(18)).idText(small));
        assertEquals("id:3B9ACA2A sub:001 dlvrd:001 submit date:2611271950 done date:2611271951 stat:DELIVRD "
                        + "err:000 text:Your code is 123456,",
                text(ReceiptDialect.STANDARD.withIdStyle(ReceiptDialect.IdStyle.HEX), Stat.DELIVRD));
        ReceiptFields uuid = new ReceiptFields("5f0c6a1e-2b9d-4c3e-9a8f-0123456789ab", null, "1", "2", SUBMITTED,
                DONE, Stat.DELIVRD, "000", "hi");
        assertEquals("5f0c6a1e-2b9d-4c3e-9a8f-0123456789ab",
                new ReceiptWriter(ReceiptDialect.STANDARD.withIdStyle(ReceiptDialect.IdStyle.HEX)).idText(uuid));
    }

    @Test
    void shortTextAndCustomLength() {
        ReceiptFields f = new ReceiptFields("7", 7L, "1", "2", SUBMITTED, DONE, Stat.UNDELIV, "0xF", "Hi");
        assertEquals("id:7 sub:001 dlvrd:000 submit date:2611271950 done date:2611271951 stat:UNDELIV err:0xF text:Hi",
                new ReceiptWriter(ReceiptDialect.STANDARD).text(f));
        assertEquals("id:7 sub:001 dlvrd:000 submit date:2611271950 done date:2611271951 stat:UNDELIV err:0xF text:",
                new ReceiptWriter(ReceiptDialect.STANDARD.withTextLength(0)).text(f));
    }

    @Test
    void standardPduIsDeliverSmWithTlvsAndShortMessage() throws Exception {
        ReceiptWriter w = new ReceiptWriter(ReceiptDialect.STANDARD);
        BaseSm<?> pdu = w.pdu(fields(Stat.UNDELIV, "001"), false);
        DeliverSm sm = assertInstanceOf(DeliverSm.class, pdu);
        assertEquals(0x04, sm.getEsmClass());
        assertEquals("447700900123", sm.getSourceAddress().getAddress());
        assertEquals("DLRGATE", sm.getDestAddress().getAddress());
        assertEquals("id:1000000042 sub:001 dlvrd:000 submit date:2611271950 done date:2611271951 stat:UNDELIV "
                + "err:001 text:Your code is 123456,", new String(sm.getShortMessage(), StandardCharsets.ISO_8859_1));
        assertArrayEquals("1000000042\0".getBytes(StandardCharsets.US_ASCII), tlv(sm, 0x001E).getValue());
        assertArrayEquals(new byte[] {5}, tlv(sm, 0x0427).getValue());
        assertArrayEquals(new byte[] {3, 0, 1}, tlv(sm, 0x0423).getValue());
        assertNull(sm.getOptionalParameter((short) 0x0424));
    }

    @Test
    void messageStateFollowsSmpp50() throws Exception {
        ReceiptWriter w = new ReceiptWriter(ReceiptDialect.STANDARD);
        int[] expected = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        Stat[] stats = {Stat.ENROUTE, Stat.DELIVRD, Stat.EXPIRED, Stat.DELETED, Stat.UNDELIV, Stat.ACCEPTD,
                Stat.UNKNOWN, Stat.REJECTD, Stat.SKIPPED};
        for (int i = 0; i < stats.length; i++) {
            assertEquals(expected[i], tlv(w.pdu(fields(stats[i], "000"), false), 0x0427).getValueAsByte(),
                    stats[i].name());
        }
    }

    @Test
    void networkErrorCodeAsAsciiDigits() {
        ReceiptWriter w = new ReceiptWriter(ReceiptDialect.STANDARD
                .withNetworkErrorStyle(ReceiptDialect.NetworkErrorStyle.ASCII));
        assertArrayEquals("027".getBytes(StandardCharsets.US_ASCII),
                tlv(w.pdu(fields(Stat.EXPIRED, "027"), false), 0x0423).getValue());
        assertArrayEquals("001".getBytes(StandardCharsets.US_ASCII), w.networkErrorCode("1"));
        ReceiptWriter binary = new ReceiptWriter(ReceiptDialect.STANDARD);
        assertArrayEquals(new byte[] {3, 0x01, 0x2C}, binary.networkErrorCode("300"));
    }

    @Test
    void withoutTlvs() {
        BaseSm<?> pdu = new ReceiptWriter(ReceiptDialect.STANDARD.withTlvs(false)).pdu(fields(Stat.DELIVRD, "000"),
                false);
        assertEquals(0, pdu.getOptionalParameterCount());
    }

    @Test
    void textInMessagePayload() {
        BaseSm<?> pdu = new ReceiptWriter(ReceiptDialect.STANDARD.withTextInPayload(true))
                .pdu(fields(Stat.DELIVRD, "000"), false);
        assertInstanceOf(DeliverSm.class, pdu);
        assertEquals(0, pdu.getShortMessageLength());
        assertEquals("id:1000000042 sub:001 dlvrd:001 submit date:2611271950 done date:2611271951 stat:DELIVRD "
                        + "err:000 text:Your code is 123456,",
                new String(tlv(pdu, 0x0424).getValue(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void dataSmCarriesTheTextInPayload() {
        BaseSm<?> pdu = new ReceiptWriter(ReceiptDialect.STANDARD.withDataSm(true))
                .pdu(fields(Stat.DELETED, "000"), false);
        assertInstanceOf(DataSm.class, pdu);
        assertEquals(0x04, pdu.getEsmClass());
        assertEquals("id:1000000042 sub:001 dlvrd:000 submit date:2611271950 done date:2611271951 stat:DELETED "
                        + "err:000 text:Your code is 123456,",
                new String(tlv(pdu, 0x0424).getValue(), StandardCharsets.ISO_8859_1));
        assertEquals(4, tlv(pdu, 0x0427).getValue()[0]);
    }

    @Test
    void esmClassVariants() {
        ReceiptDialect udhi = ReceiptDialect.STANDARD.withReceiptEsmClass(ReceiptDialect.ESM_RECEIPT_UDHI);
        assertEquals(0x44, new ReceiptWriter(udhi).pdu(fields(Stat.DELIVRD, "000"), false).getEsmClass());
        assertEquals(0x20, new ReceiptWriter(ReceiptDialect.STANDARD).pdu(fields(Stat.ENROUTE, "000"), true)
                .getEsmClass());
        ReceiptDialect enrouteAs04 = ReceiptDialect.STANDARD.withIntermediateEsmClass(ReceiptDialect.ESM_RECEIPT);
        assertEquals(0x04, new ReceiptWriter(enrouteAs04).pdu(fields(Stat.ENROUTE, "000"), true).getEsmClass());
    }

    @Test
    void invalidDialectsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ReceiptDialect.STANDARD.withDateDigits(11));
        assertThrows(IllegalArgumentException.class, () -> ReceiptDialect.STANDARD.withIdWidth(0));
    }

    private static Tlv tlv(BaseSm<?> pdu, int tag) {
        Tlv t = pdu.getOptionalParameter((short) tag);
        if (t == null) {
            throw new AssertionError("TLV 0x" + Integer.toHexString(tag) + " missing");
        }
        return t;
    }
}
