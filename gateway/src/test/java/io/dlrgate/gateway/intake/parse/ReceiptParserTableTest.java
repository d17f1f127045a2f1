package io.dlrgate.gateway.intake.parse;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.BaseSm;
import com.cloudhopper.smpp.pdu.DataSm;
import com.cloudhopper.smpp.pdu.DeliverSm;
import com.cloudhopper.smpp.tlv.Tlv;
import com.cloudhopper.smpp.type.Address;
import io.dlrgate.config.MessageIdFormat;
import io.dlrgate.reporting.correlation.MessageIdNormalizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real-world receipt variants, each written as the raw PDU a carrier sends, with an assertion on every field of
 * the parsed receipt. Expected values are written by hand from the SMPP 3.4 appendix B format, not computed.
 */
class ReceiptParserTableTest {

    static final ZoneId UTC = ZoneOffset.UTC;
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    static final SmppAddress HANDSET = new SmppAddress(1, 1, "447700900123");
    static final SmppAddress BRAND = new SmppAddress(5, 0, "DlrGate");

    /** One variant: the PDU as sent and every expected field. */
    static final class Case {
        final String name;
        boolean dataSm;
        int esm = 0x04;
        int dataCoding = 0x00;
        byte[] shortMessage = new byte[0];
        byte[] payload;
        byte[] tlvId;
        Integer tlvState;
        byte[] tlvNec;
        ZoneId zone = UTC;

        boolean intermediate;
        String id;
        String textId;
        Integer messageState;
        String stat;
        String err;
        NetworkErrorCode nec;
        Instant submit;
        Instant done;
        String sub;
        String dlvrd;
        String text;
        TextOrigin origin = TextOrigin.SHORT_MESSAGE;
        String rawText;
        boolean rawTextSet;
        final Map<ReceiptField, FieldSource> sources = new EnumMap<>(ReceiptField.class);
        final List<String> warnings = new ArrayList<>();
        MessageIdFormat idFormat = MessageIdFormat.STRING;
        String normalizedId;

        Case(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }

        // ---- the PDU ----
        Case sm(String ascii) {
            shortMessage = ascii.getBytes(StandardCharsets.ISO_8859_1);
            if (!rawTextSet) {
                rawText = ascii.replaceAll("[\\s\\u0000]+$", "");
            }
            return this;
        }

        Case smBytes(byte[] octets, int dc, String decoded) {
            shortMessage = octets;
            dataCoding = dc;
            return raw(decoded);
        }

        Case payload(String ascii) {
            payload = ascii.getBytes(StandardCharsets.ISO_8859_1);
            origin = TextOrigin.MESSAGE_PAYLOAD;
            return raw(ascii.replaceAll("[\\s\\u0000]+$", ""));
        }

        Case esm(int v) {
            esm = v;
            return this;
        }

        Case dataSm() {
            dataSm = true;
            return this;
        }

        Case tlvId(String v) {
            tlvId = v.getBytes(StandardCharsets.US_ASCII);
            return this;
        }

        Case tlvState(int v) {
            tlvState = v;
            return this;
        }

        Case tlvNec(int... octets) {
            tlvNec = new byte[octets.length];
            for (int i = 0; i < octets.length; i++) {
                tlvNec[i] = (byte) octets[i];
            }
            return this;
        }

        Case zone(ZoneId z) {
            zone = z;
            return this;
        }

        // ---- expectations ----
        Case raw(String decoded) {
            rawText = decoded;
            rawTextSet = true;
            return this;
        }

        Case noText() {
            origin = TextOrigin.NONE;
            return raw(null);
        }

        Case id(String v) {
            id = v;
            return this;
        }

        Case textId(String v) {
            textId = v;
            return this;
        }

        /** id in both the result and the text. */
        Case ids(String v) {
            id = v;
            textId = v;
            return this;
        }

        Case state(int v) {
            messageState = v;
            return this;
        }

        Case stat(String v) {
            stat = v;
            return this;
        }

        Case err(String v) {
            err = v;
            return this;
        }

        Case nec(int type, int code, NetworkErrorCode.Encoding enc) {
            nec = new NetworkErrorCode(type, code, enc);
            return this;
        }

        Case submit(String isoLocal) {
            submit = LocalDateTime.parse(isoLocal).atZone(zone).toInstant();
            return this;
        }

        Case done(String isoLocal) {
            done = LocalDateTime.parse(isoLocal).atZone(zone).toInstant();
            return this;
        }

        Case sub(String v) {
            sub = v;
            return this;
        }

        Case dlvrd(String v) {
            dlvrd = v;
            return this;
        }

        Case text(String v) {
            text = v;
            return this;
        }

        Case intermediate() {
            intermediate = true;
            return this;
        }

        Case warn(String substring) {
            warnings.add(substring);
            return this;
        }

        Case norm(MessageIdFormat f, String expected) {
            idFormat = f;
            normalizedId = expected;
            return this;
        }

        Case from(ReceiptField f, FieldSource s) {
            sources.put(f, s);
            return this;
        }

        /** Text-sourced fields implied by the expectations (TLV sources are declared with from()). */
        Map<ReceiptField, FieldSource> expectedSources() {
            Map<ReceiptField, FieldSource> m = new EnumMap<>(ReceiptField.class);
            putText(m, ReceiptField.RECEIPTED_MESSAGE_ID, id);
            putText(m, ReceiptField.STAT, stat);
            putText(m, ReceiptField.ERR, err);
            putText(m, ReceiptField.SUBMIT_DATE, submit);
            putText(m, ReceiptField.DONE_DATE, done);
            putText(m, ReceiptField.SUB, sub);
            putText(m, ReceiptField.DLVRD, dlvrd);
            putText(m, ReceiptField.TEXT, text);
            m.putAll(sources);
            return m;
        }

        private static void putText(Map<ReceiptField, FieldSource> m, ReceiptField f, Object v) {
            if (v != null) {
                m.put(f, FieldSource.TEXT);
            }
        }

        BaseSm<?> pdu() throws Exception {
            BaseSm<?> p = dataSm ? new DataSm() : new DeliverSm();
            p.setSequenceNumber(4711);
            p.setEsmClass((byte) esm);
            p.setDataCoding((byte) dataCoding);
            p.setSourceAddress(new Address((byte) 1, (byte) 1, "447700900123"));
            p.setDestAddress(new Address((byte) 5, (byte) 0, "DlrGate"));
            if (!dataSm) {
                p.setShortMessage(shortMessage);
            }
            if (payload != null) {
                p.addOptionalParameter(new Tlv(SmppConstants.TAG_MESSAGE_PAYLOAD, payload));
            }
            if (tlvId != null) {
                byte[] v = new byte[tlvId.length + 1]; // C-octet string with its NUL
                System.arraycopy(tlvId, 0, v, 0, tlvId.length);
                p.addOptionalParameter(new Tlv(SmppConstants.TAG_RECEIPTED_MSG_ID, v));
            }
            if (tlvState != null) {
                p.addOptionalParameter(new Tlv(SmppConstants.TAG_MSG_STATE, new byte[] {tlvState.byteValue()}));
            }
            if (tlvNec != null) {
                p.addOptionalParameter(new Tlv(SmppConstants.TAG_NETWORK_ERROR_CODE, tlvNec));
            }
            return p;
        }
    }

    static Case c(String name) {
        return new Case(name);
    }

    static byte[] ucs2(String s) {
        return s.getBytes(StandardCharsets.UTF_16BE);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static Stream<Case> variants() {
        List<Case> all = new ArrayList<>();

        all.add(c("classic 10-digit dates, DELIVRD")
                .sm("id:1234567890 sub:001 dlvrd:001 submit date:2311271530 done date:2311271531 stat:DELIVRD err:000 text:Your code is 4711")
                .ids("1234567890").sub("001").dlvrd("001").submit("2023-11-27T15:30").done("2023-11-27T15:31")
                .stat("DELIVRD").err("000").text("Your code is 4711").norm(MessageIdFormat.DECIMAL, "1234567890"));

        all.add(c("12-digit dates with seconds")
                .sm("id:2000118271 sub:001 dlvrd:001 submit date:231127153012 done date:231127153145 stat:DELIVRD err:000 text:Hello")
                .ids("2000118271").sub("001").dlvrd("001").submit("2023-11-27T15:30:12").done("2023-11-27T15:31:45")
                .stat("DELIVRD").err("000").text("Hello"));

        all.add(c("14-digit dates with four-digit year, Berlin time")
                .zone(BERLIN)
                .sm("id:77001 sub:001 dlvrd:001 submit date:20240704093005 done date:20240704093107 stat:DELIVRD err:000 text:Summer sale")
                .ids("77001").sub("001").dlvrd("001").submit("2024-07-04T09:30:05").done("2024-07-04T09:31:07")
                .stat("DELIVRD").err("000").text("Summer sale"));

        all.add(c("all-zero dates are null")
                .sm("id:5511200 sub:001 dlvrd:000 submit date:0000000000 done date:000000000000 stat:UNDELIV err:001 text:")
                .ids("5511200").sub("001").dlvrd("000").stat("UNDELIV").err("001"));

        all.add(c("upper-case labels, lower-case stat")
                .sm("ID:ab12cd SUB:001 DLVRD:001 SUBMIT DATE:2311271530 DONE DATE:2311271540 STAT:delivrd ERR:000 TEXT:Hi")
                .ids("ab12cd").sub("001").dlvrd("001").submit("2023-11-27T15:30").done("2023-11-27T15:40")
                .stat("DELIVRD").err("000").text("Hi"));

        all.add(c("mixed-case labels, India carrier zone")
                .zone(KOLKATA)
                .sm("Id:88230 Sub:001 Dlvrd:001 Submit Date:2402291159 Done Date:2402291200 Stat:DELIVRD Err:000 Text:Leap day")
                .ids("88230").sub("001").dlvrd("001").submit("2024-02-29T11:59").done("2024-02-29T12:00")
                .stat("DELIVRD").err("000").text("Leap day"));

        all.add(c("submitdate / donedate without space")
                .sm("id:300001 sub:001 dlvrd:001 submitdate:2311271530 donedate:2311271532 stat:DELIVRD err:000 text:x")
                .ids("300001").sub("001").dlvrd("001").submit("2023-11-27T15:30").done("2023-11-27T15:32")
                .stat("DELIVRD").err("000").text("x"));

        all.add(c("submit_date / done_date with underscore")
                .sm("id:300002 sub:001 dlvrd:001 submit_date:2311271530 done_date:2311271533 stat:DELIVRD err:000 text:y")
                .ids("300002").sub("001").dlvrd("001").submit("2023-11-27T15:30").done("2023-11-27T15:33")
                .stat("DELIVRD").err("000").text("y"));

        all.add(c("Text: capitalised")
                .sm("id:300003 sub:001 dlvrd:001 submit date:2311271530 done date:2311271534 stat:DELIVRD err:000 Text:Welcome aboard")
                .ids("300003").sub("001").dlvrd("001").submit("2023-11-27T15:30").done("2023-11-27T15:34")
                .stat("DELIVRD").err("000").text("Welcome aboard"));

        all.add(c("missing sub and dlvrd")
                .sm("id:300004 submit date:2311271530 done date:2311271535 stat:DELIVRD err:000 text:Short")
                .ids("300004").submit("2023-11-27T15:30").done("2023-11-27T15:35")
                .stat("DELIVRD").err("000").text("Short"));

        all.add(c("minimal: id, stat, err only")
                .sm("id:300005 stat:EXPIRED err:000")
                .ids("300005").stat("EXPIRED").err("000"));

        all.add(c("4-character err")
                .sm("id:300006 sub:001 dlvrd:000 submit date:2311271530 done date:2311281530 stat:UNDELIV err:0001 text:Test")
                .ids("300006").sub("001").dlvrd("000").submit("2023-11-27T15:30").done("2023-11-28T15:30")
                .stat("UNDELIV").err("0001").text("Test"));

        all.add(c("err with letters (carrier-specific hex)")
                .sm("id:300007 sub:001 dlvrd:000 submit date:2311271530 done date:2311271530 stat:REJECTD err:0B1 text:Test")
                .ids("300007").sub("001").dlvrd("000").submit("2023-11-27T15:30").done("2023-11-27T15:30")
                .stat("REJECTD").err("0B1").text("Test"));

        all.add(c("hex id in text")
                .sm("id:812FC7470000001B sub:001 dlvrd:001 submit date:2311271530 done date:2311271531 stat:DELIVRD err:000 text:Hex id")
                .ids("812FC7470000001B").sub("001").dlvrd("001").submit("2023-11-27T15:30").done("2023-11-27T15:31")
                .stat("DELIVRD").err("000").text("Hex id").norm(MessageIdFormat.HEX, "9308878062554710043"));

        all.add(c("decimal id with leading zeros")
                .sm("id:0000012345 sub:001 dlvrd:001 submit date:2311271530 done date:2311271531 stat:DELIVRD err:000 text:Zeros")
                .ids("0000012345").sub("001").dlvrd("001").submit("2023-11-27T15:30").done("2023-11-27T15:31")
                .stat("DELIVRD").err("000").text("Zeros").norm(MessageIdFormat.DECIMAL, "12345"));

        all.add(c("UUID id")
                .sm("id:3F2504E0-4F89-11D3-9A0C-0305E82C3301 sub:001 dlvrd:001 submit date:2311271530 done date:2311271531 stat:DELIVRD err:000 text:uuid")
                .ids("3F2504E0-4F89-11D3-9A0C-0305E82C3301").sub("001").dlvrd("001")
                .submit("2023-11-27T15:30").done("2023-11-27T15:31").stat("DELIVRD").err("000").text("uuid")
                .norm(MessageIdFormat.STRING, "3f2504e0-4f89-11d3-9a0c-0305e82c3301"));

        all.add(c("id with dashes and letters")
                .sm("id:MSG-2023-000042 sub:001 dlvrd:001 submit date:2311271530 done date:2311271531 stat:DELIVRD err:000 text:dash")
                .ids("MSG-2023-000042").sub("001").dlvrd("001").submit("2023-11-27T15:30").done("2023-11-27T15:31")
                .stat("DELIVRD").err("000").text("dash").norm(MessageIdFormat.DECIMAL, "msg-2023-000042"));

        all.add(c("unknown stat token kept as is")
                .sm("id:400001 sub:001 dlvrd:000 submit date:2311271530 done date:2311271530 stat:BLOCKED err:069 text:Promo")
                .ids("400001").sub("001").dlvrd("000").submit("2023-11-27T15:30").done("2023-11-27T15:30")
                .stat("BLOCKED").err("069").text("Promo"));

        // the nine stat words
        String[][] nine = {
                {"ENROUTE", "000", "000"}, {"DELIVRD", "001", "000"}, {"EXPIRED", "000", "027"},
                {"DELETED", "000", "000"}, {"UNDELIV", "000", "001"}, {"ACCEPTD", "000", "000"},
                {"UNKNOWN", "000", "000"}, {"REJECTD", "000", "011"}, {"SKIPPED", "000", "000"}};
        for (String[] s : nine) {
            all.add(c("stat " + s[0])
                    .sm("id:5000" + s[0].length() + s[0] + " sub:001 dlvrd:" + s[1]
                            + " submit date:2311271530 done date:2311300930 stat:" + s[0] + " err:" + s[2] + " text:Stat test")
                    .ids("5000" + s[0].length() + s[0]).sub("001").dlvrd(s[1]).submit("2023-11-27T15:30")
                    .done("2023-11-30T09:30").stat(s[0]).err(s[2]).text("Stat test"));
        }

        all.add(c("message_payload with empty short_message")
                .payload("id:600001 sub:001 dlvrd:001 submit date:2311271530 done date:2311271531 stat:DELIVRD err:000 text:A long message that was sent in the payload")
                .ids("600001").sub("001").dlvrd("001").submit("2023-11-27T15:30").done("2023-11-27T15:31")
                .stat("DELIVRD").err("000").text("A long message that was sent in the payload"));

        all.add(c("data_sm receipt with TLVs and payload")
                .dataSm().tlvId("600002").tlvState(2).tlvNec(3, 0, 0)
                .payload("id:600002 sub:001 dlvrd:001 submit date:2311271530 done date:2311271531 stat:DELIVRD err:000 text:data_sm")
                .ids("600002").state(2).stat("DELIVRD").nec(3, 0, NetworkErrorCode.Encoding.BINARY)
                .sub("001").dlvrd("001").submit("2023-11-27T15:30").done("2023-11-27T15:31").err("000").text("data_sm")
                .from(ReceiptField.RECEIPTED_MESSAGE_ID, FieldSource.TLV).from(ReceiptField.STAT, FieldSource.TLV)
                .from(ReceiptField.MESSAGE_STATE, FieldSource.TLV)
                .from(ReceiptField.NETWORK_ERROR_CODE, FieldSource.TLV));

        all.add(c("esm_class 0x44 (UDHI set, no header)")
                .esm(0x44)
                .sm("id:700001 sub:001 dlvrd:001 submit date:2311271530 done date:2311271531 stat:DELIVRD err:000 text:udhi")
                .ids("700001").sub("001").dlvrd("001").submit("2023-11-27T15:30").done("2023-11-27T15:31")
                .stat("DELIVRD").err("000").text("udhi"));

        String udhBody = "id:700002 sub:001 dlvrd:001 submit date:2311271530 done date:2311271531 stat:DELIVRD err:000 text:part 1";
        all.add(c("esm_class 0x44 with a real concatenation header")
                .esm(0x44)
                .smBytes(concat(new byte[] {0x05, 0x00, 0x03, 0x2A, 0x02, 0x01},
                        udhBody.getBytes(StandardCharsets.US_ASCII)), 0x00, udhBody)
                .ids("700002").sub("001").dlvrd("001").submit("2023-11-27T15:30").done("2023-11-27T15:31")
                .stat("DELIVRD").err("000").text("part 1"));

        all.add(c("intermediate notification 0x20, ENROUTE")
                .esm(0x20).tlvId("700003").tlvState(1)
                .sm("id:700003 sub:001 dlvrd:000 submit date:2311271530 done date:2311271545 stat:ENROUTE err:000 text:Pending")
                .ids("700003").state(1).stat("ENROUTE").intermediate()
                .sub("001").dlvrd("000").submit("2023-11-27T15:30").done("2023-11-27T15:45").err("000").text("Pending")
                .from(ReceiptField.RECEIPTED_MESSAGE_ID, FieldSource.TLV).from(ReceiptField.STAT, FieldSource.TLV)
                .from(ReceiptField.MESSAGE_STATE, FieldSource.TLV));

        all.add(c("TLV-only receipt, empty short_message")
                .tlvId("0A1B2C3D").tlvState(5).tlvNec(3, 0, 1).noText()
                .id("0A1B2C3D").state(5).stat("UNDELIV").nec(3, 1, NetworkErrorCode.Encoding.BINARY)
                .from(ReceiptField.RECEIPTED_MESSAGE_ID, FieldSource.TLV).from(ReceiptField.STAT, FieldSource.TLV)
                .from(ReceiptField.MESSAGE_STATE, FieldSource.TLV)
                .from(ReceiptField.NETWORK_ERROR_CODE, FieldSource.TLV)
                .norm(MessageIdFormat.HEX, "169552957"));

        all.add(c("TLV id differs from text id: TLV wins")
                .tlvId("900001")
                .sm("id:900002 sub:001 dlvrd:001 submit date:2311271530 done date:2311271531 stat:DELIVRD err:000 text:mismatch")
                .id("900001").textId("900002").sub("001").dlvrd("001").submit("2023-11-27T15:30")
                .done("2023-11-27T15:31").stat("DELIVRD").err("000").text("mismatch")
                .from(ReceiptField.RECEIPTED_MESSAGE_ID, FieldSource.TLV)
                .warn("'900001' and text id '900002' disagree"));

        all.add(c("TLV id in hex, text id in decimal (same number)")
                .tlvId("812FC7470000001B").tlvState(2)
                .sm("id:9308878062554710043 sub:001 dlvrd:001 submit date:2311271530 done date:2311271531 stat:DELIVRD err:000 text:hexdec")
                .id("812FC7470000001B").textId("9308878062554710043").state(2).sub("001").dlvrd("001")
                .submit("2023-11-27T15:30").done("2023-11-27T15:31").stat("DELIVRD").err("000").text("hexdec")
                .from(ReceiptField.RECEIPTED_MESSAGE_ID, FieldSource.TLV).from(ReceiptField.STAT, FieldSource.TLV)
                .from(ReceiptField.MESSAGE_STATE, FieldSource.TLV)
                .warn("same number in hex and decimal")
                .norm(MessageIdFormat.HEX, "9308878062554710043"));

        all.add(c("network_error_code as 3 octets (GSM, absent subscriber 27)")
                .tlvNec(0x03, 0x00, 0x1B)
                .sm("id:910001 sub:001 dlvrd:000 submit date:2311271530 done date:2311300930 stat:EXPIRED err:027 text:Off")
                .ids("910001").nec(3, 27, NetworkErrorCode.Encoding.BINARY).sub("001").dlvrd("000")
                .submit("2023-11-27T15:30").done("2023-11-30T09:30").stat("EXPIRED").err("027").text("Off")
                .from(ReceiptField.NETWORK_ERROR_CODE, FieldSource.TLV));

        all.add(c("network_error_code as 3 ASCII digits")
                .tlvNec('0', '3', '4')
                .sm("id:910002 sub:001 dlvrd:000 submit date:2311271530 done date:2311271530 stat:UNDELIV err:034 text:Sys")
                .ids("910002").nec(0, 34, NetworkErrorCode.Encoding.ASCII_DIGITS).sub("001").dlvrd("000")
                .submit("2023-11-27T15:30").done("2023-11-27T15:30").stat("UNDELIV").err("034").text("Sys")
                .from(ReceiptField.NETWORK_ERROR_CODE, FieldSource.TLV));

        String ucs2Text = "id:920001 sub:001 dlvrd:001 submit date:2311271530 done date:2311271531 stat:DELIVRD err:000 text:Привет мир";
        all.add(c("UCS2-coded receipt text (data_coding 8)")
                .smBytes(ucs2(ucs2Text), 0x08, ucs2Text)
                .ids("920001").sub("001").dlvrd("001").submit("2023-11-27T15:30").done("2023-11-27T15:31")
                .stat("DELIVRD").err("000").text("Привет мир"));

        // GSM 03.38 default alphabet, unpacked: £ is 0x01, _ is 0x11, @ is 0x00
        byte[] gsm = concat("id:920002 submit".getBytes(StandardCharsets.US_ASCII), new byte[] {0x11},
                "date:2311271530 done date:2311271531 stat:DELIVRD err:000 text:Only ".getBytes(StandardCharsets.US_ASCII),
                new byte[] {0x01}, "5 ".getBytes(StandardCharsets.US_ASCII), new byte[] {0x00},
                " shop".getBytes(StandardCharsets.US_ASCII));
        all.add(c("GSM default alphabet text (data_coding 0) with £ and @")
                .smBytes(gsm, 0x00, "id:920002 submit_date:2311271530 done date:2311271531 stat:DELIVRD err:000 text:Only £5 @ shop")
                .ids("920002").submit("2023-11-27T15:30").done("2023-11-27T15:31").stat("DELIVRD").err("000")
                .text("Only £5 @ shop"));

        String latin = "id:920003 sub:001 dlvrd:001 submit date:2311271530 done date:2311271531 stat:DELIVRD err:000 text:Café crème";
        all.add(c("Latin-1 text (data_coding 3)")
                .smBytes(latin.getBytes(StandardCharsets.ISO_8859_1), 0x03, latin)
                .ids("920003").sub("001").dlvrd("001").submit("2023-11-27T15:30").done("2023-11-27T15:31")
                .stat("DELIVRD").err("000").text("Café crème"));

        all.add(c("junk fields between and around known ones")
                .sm("id:930001 imsi:234150000000001 sub:001 dlvrd:001 submit date:2311271530 done date:2311271531 mcc:234 mnc:15 stat:DELIVRD err:000 nw:23415 text:Junk around")
                .ids("930001").sub("001").dlvrd("001").submit("2023-11-27T15:30").done("2023-11-27T15:31")
                .stat("DELIVRD").err("000").text("Junk around"));

        all.add(c("extra spaces, tabs and trailing NULs")
                .sm("  id: 930002   sub: 001  dlvrd:001\tsubmit date: 2311271530  done date:2311271531   stat: DELIVRD  err: 000  text:  spaced out  \u0000\u0000")
                .raw("  id: 930002   sub: 001  dlvrd:001\tsubmit date: 2311271530  done date:2311271531   stat: DELIVRD  err: 000  text:  spaced out")
                .ids("930002").sub("001").dlvrd("001").submit("2023-11-27T15:30").done("2023-11-27T15:31")
                .stat("DELIVRD").err("000").text("spaced out"));

        all.add(c("fields in another order, text in the middle")
                .sm("stat:DELIVRD err:000 id:930003 text:Order done date:2311271531 submit date:2311271530 dlvrd:001 sub:001")
                .ids("930003").sub("001").dlvrd("001").submit("2023-11-27T15:30").done("2023-11-27T15:31")
                .stat("DELIVRD").err("000").text("Order"));

        all.add(c("text containing colons stays whole")
                .sm("id:930004 sub:001 dlvrd:001 submit date:2311271530 done date:2311271531 stat:DELIVRD err:000 text:Your code: 1234 stat:ok")
                .ids("930004").sub("001").dlvrd("001").submit("2023-11-27T15:30").done("2023-11-27T15:31")
                .stat("DELIVRD").err("000").text("Your code: 1234 stat:ok"));

        all.add(c("impossible dates are null with a warning")
                .sm("id:930005 sub:001 dlvrd:001 submit date:2313451530 done date:2302301200 stat:DELIVRD err:000 text:bad dates")
                .ids("930005").sub("001").dlvrd("001").stat("DELIVRD").err("000").text("bad dates")
                .warn("submit date '2313451530' is not a possible date")
                .warn("done date '2302301200' is not a possible date"));

        all.add(c("New York carrier, DST summer date")
                .zone(NEW_YORK)
                .sm("id:930006 sub:001 dlvrd:001 submit date:2407011200 done date:2407011201 stat:DELIVRD err:000 text:NY")
                .ids("930006").sub("001").dlvrd("001").submit("2024-07-01T12:00").done("2024-07-01T12:01")
                .stat("DELIVRD").err("000").text("NY"));

        all.add(c("message_state TLV and text stat disagree: TLV wins")
                .tlvState(5)
                .sm("id:930007 sub:001 dlvrd:000 submit date:2311271530 done date:2311271531 stat:DELIVRD err:000 text:clash")
                .ids("930007").state(5).stat("UNDELIV").sub("001").dlvrd("000").submit("2023-11-27T15:30")
                .done("2023-11-27T15:31").err("000").text("clash")
                .from(ReceiptField.STAT, FieldSource.TLV).from(ReceiptField.MESSAGE_STATE, FieldSource.TLV)
                .warn("disagree; kept the TLV"));

        all.add(c("Kannel-style: id decimal, dates with seconds, stat long word")
                .sm("id:4054 sub:001 dlvrd:001 submit date:231127153000 done date:231127153010 stat:DELIVERED err:000 text:")
                .ids("4054").sub("001").dlvrd("001").submit("2023-11-27T15:30").done("2023-11-27T15:30:10")
                .stat("DELIVERED").err("000"));

        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void parsesEveryField(Case c) throws Exception {
        ParsedReceipt r = new ReceiptParser(c.zone).parse(c.pdu());

        assertEquals(c.dataSm ? ParsedReceipt.PduType.DATA_SM : ParsedReceipt.PduType.DELIVER_SM, r.pduType(), "pduType");
        assertEquals(c.esm, r.esmClass(), "esmClass");
        assertEquals(c.intermediate, r.intermediate(), "intermediate");
        assertEquals(c.id, r.receiptedMessageId(), "receiptedMessageId");
        assertEquals(c.textId, r.textMessageId(), "textMessageId");
        assertEquals(c.messageState, r.messageState(), "messageState");
        assertEquals(c.stat, r.stat(), "stat");
        assertEquals(c.err, r.err(), "err");
        assertEquals(c.nec, r.networkErrorCode(), "networkErrorCode");
        assertEquals(c.submit, r.submitDate(), "submitDate");
        assertEquals(c.done, r.doneDate(), "doneDate");
        assertEquals(c.sub, r.sub(), "sub");
        assertEquals(c.dlvrd, r.dlvrd(), "dlvrd");
        assertEquals(c.text, r.text(), "text");
        assertEquals(HANDSET, r.sourceAddress(), "sourceAddress");
        assertEquals(BRAND, r.destAddress(), "destAddress");
        assertEquals(c.origin, r.textOrigin(), "textOrigin");
        assertEquals(c.rawText, r.rawText(), "rawText");
        assertEquals(c.expectedSources(), r.sources(), "sources");
        assertEquals(c.warnings.size(), r.warnings().size(), () -> "warnings: " + r.warnings());
        for (String w : c.warnings) {
            assertTrue(r.warnings().stream().anyMatch(x -> x.contains(w)),
                    () -> "expected a warning containing \"" + w + "\" in " + r.warnings());
        }
        if (c.normalizedId != null) {
            assertEquals(c.normalizedId, MessageIdNormalizer.normalize(r.receiptedMessageId(), c.idFormat),
                    "normalised id");
        }
    }

    @org.junit.jupiter.api.Test
    void tableHasTheVariantsTheReadmePromises() {
        assertTrue(variants().count() >= 48, "the README promises 48 variants; the table has " + variants().count());
    }
}
