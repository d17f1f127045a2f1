package io.dlrgate.gateway.intake.parse;

import com.cloudhopper.smpp.pdu.BaseSm;
import com.cloudhopper.smpp.pdu.Pdu;
import com.cloudhopper.smpp.transcoder.DefaultPduTranscoder;
import com.cloudhopper.smpp.transcoder.DefaultPduTranscoderContext;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Receipts written octet by octet as they travel on the wire (SMPP 3.4 section 4.6.1 / 4.7.1 layouts), decoded by
 * ch-smpp's transcoder and then parsed: proves the parser reads what the library really hands it.
 */
class ReceiptParserWireTest {

    private static final DefaultPduTranscoder TRANSCODER = new DefaultPduTranscoder(new DefaultPduTranscoderContext());

    private static final class Octets {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Octets u8(int v) {
            out.write(v);
            return this;
        }

        Octets u16(int v) {
            return u8(v >> 8).u8(v & 0xFF);
        }

        Octets cstr(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            return u8(0);
        }

        Octets bytes(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        Octets tlv(int tag, byte[] value) {
            return u16(tag).u16(value.length).bytes(value);
        }

        byte[] pdu(int commandId, int seq) {
            byte[] body = out.toByteArray();
            Octets p = new Octets();
            int len = 16 + body.length;
            p.u16(len >> 16).u16(len & 0xFFFF).u16(commandId >> 16).u16(commandId & 0xFFFF)
                    .u16(0).u16(0).u16(seq >> 16).u16(seq & 0xFFFF).bytes(body);
            return p.out.toByteArray();
        }
    }

    private static BaseSm<?> decode(byte[] wire) throws Exception {
        Pdu p = TRANSCODER.decode(Unpooled.wrappedBuffer(wire));
        return assertInstanceOf(BaseSm.class, p);
    }

    @Test
    void deliverSmWithTlvsAndTextFromTheWire() throws Exception {
        byte[] text = ("id:0123456789 sub:001 dlvrd:001 submit date:2311271530 done date:2311271531"
                + " stat:DELIVRD err:000 text:Hi").getBytes(StandardCharsets.US_ASCII);
        byte[] wire = new Octets()
                .cstr("")                        // service_type
                .u8(1).u8(1).cstr("447700900123") // source
                .u8(5).u8(0).cstr("DlrGate")      // destination
                .u8(0x04)                         // esm_class: delivery receipt
                .u8(0).u8(0).cstr("").cstr("")    // protocol_id, priority, schedule, validity
                .u8(0).u8(0).u8(0x00).u8(0)       // registered_delivery, replace, data_coding, default_msg_id
                .u8(text.length).bytes(text)
                .tlv(0x001E, "0123456789\0".getBytes(StandardCharsets.US_ASCII))
                .tlv(0x0427, new byte[] {2})
                .tlv(0x0423, new byte[] {3, 0, 0})
                .pdu(0x00000005, 77);

        ParsedReceipt r = new ReceiptParser(ZoneId.of("Europe/London")).parse(decode(wire));

        assertEquals(ParsedReceipt.PduType.DELIVER_SM, r.pduType());
        assertEquals("0123456789", r.receiptedMessageId());
        assertEquals("0123456789", r.textMessageId());
        assertEquals(2, r.messageState());
        assertEquals("DELIVRD", r.stat());
        assertEquals(new NetworkErrorCode(3, 0, NetworkErrorCode.Encoding.BINARY), r.networkErrorCode());
        assertEquals(Instant.parse("2023-11-27T15:30:00Z"), r.submitDate()); // London is UTC in November
        assertEquals(Instant.parse("2023-11-27T15:31:00Z"), r.doneDate());
        assertEquals("Hi", r.text());
        assertEquals(new SmppAddress(1, 1, "447700900123"), r.sourceAddress());
        assertEquals(new SmppAddress(5, 0, "DlrGate"), r.destAddress());
        assertTrue(r.warnings().isEmpty(), r.warnings().toString());
    }

    @Test
    void dataSmReceiptFromTheWire() throws Exception {
        byte[] text = "id:AF01 stat:UNDELIV err:001 done date:2407011200".getBytes(StandardCharsets.US_ASCII);
        byte[] wire = new Octets()
                .cstr("")
                .u8(1).u8(1).cstr("15551230000")
                .u8(0).u8(1).cstr("12345")
                .u8(0x04).u8(0).u8(0x00)          // esm_class, registered_delivery, data_coding
                .tlv(0x0424, text)
                .tlv(0x0423, "001".getBytes(StandardCharsets.US_ASCII))
                .pdu(0x00000103, 78);

        ParsedReceipt r = new ReceiptParser(ZoneId.of("America/New_York")).parse(decode(wire));

        assertEquals(ParsedReceipt.PduType.DATA_SM, r.pduType());
        assertEquals(TextOrigin.MESSAGE_PAYLOAD, r.textOrigin());
        assertEquals("AF01", r.receiptedMessageId());
        assertEquals(FieldSource.TEXT, r.sourceOf(ReceiptField.RECEIPTED_MESSAGE_ID).orElseThrow());
        assertEquals("UNDELIV", r.stat());
        assertEquals("001", r.err());
        assertEquals(new NetworkErrorCode(0, 1, NetworkErrorCode.Encoding.ASCII_DIGITS), r.networkErrorCode());
        assertEquals(Instant.parse("2024-07-01T16:00:00Z"), r.doneDate()); // EDT = UTC-4
        assertEquals(new SmppAddress(0, 1, "12345"), r.destAddress());
    }
}
