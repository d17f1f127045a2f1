package io.dlrgate.gateway.dispatch.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.LongMessages;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cutting long content into UDH (8- and 16-bit reference) and SAR parts, at escape and surrogate edges. */
class ConcatenationTest {

    private static final LongMessages UDH8 = new LongMessages(LongMessages.Mode.UDH, 8);
    private static final LongMessages UDH16 = new LongMessages(LongMessages.Mode.UDH, 16);
    private static final LongMessages SAR = new LongMessages(LongMessages.Mode.SAR, 8);

    private final MessageEncoder encoder = new MessageEncoder();

    /** Reassembles parts the way a handset does: strip each UDH (its UDHL says how long), join, decode. */
    private static String reassemble(EncodedMessage e, List<Concatenation.Part> parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Concatenation.Part p : parts) {
            byte[] sm = p.shortMessage();
            int skip = p.udh() ? (sm[0] & 0xFF) + 1 : 0;
            all.write(sm, skip, sm.length - skip);
        }
        return MessageDecoder.decode(e.dataCoding(), all.toByteArray());
    }

    private static int units(EncodedMessage e, Concatenation.Part p) {
        int skip = p.udh() ? (p.shortMessage()[0] & 0xFF) + 1 : 0;
        return (p.shortMessage().length - skip) / e.encoding().bytesPerUnit();
    }

    @Test
    void partSizesFollowTheHeader() {
        assertEquals(153, SmsEncoding.GSM7.partMax(6));
        assertEquals(152, SmsEncoding.GSM7.partMax(7));
        assertEquals(67, SmsEncoding.UCS2.partMax(6));
        assertEquals(66, SmsEncoding.UCS2.partMax(7));
        EncodedMessage e = encoder.encode("a".repeat(153 * 3));
        assertEquals(3, Concatenation.partCount(e, UDH8));
        assertEquals(4, Concatenation.partCount(e, UDH16)); // 152 a part: 459 septets need a fourth
        assertEquals(3, Concatenation.partCount(e, SAR));
    }

    @Test
    void singleMessageHasNoHeader() {
        EncodedMessage e = encoder.encode("a".repeat(160));
        List<Concatenation.Part> parts = Concatenation.parts(e, UDH16, 0x1234);
        assertEquals(1, parts.size());
        assertFalse(parts.get(0).udh());
        assertFalse(parts.get(0).sar());
        assertArrayEquals(e.payload(), parts.get(0).shortMessage());
    }

    @Test
    void eightBitHeader() {
        EncodedMessage e = encoder.encode("x".repeat(200));
        List<Concatenation.Part> parts = Concatenation.parts(e, UDH8, 0x1AB); // low 8 bits only
        assertEquals(2, parts.size());
        assertArrayEquals(new byte[] {0x05, 0x00, 0x03, (byte) 0xAB, 2, 1},
                Arrays.copyOf(parts.get(0).shortMessage(), 6));
        assertArrayEquals(new byte[] {0x05, 0x00, 0x03, (byte) 0xAB, 2, 2},
                Arrays.copyOf(parts.get(1).shortMessage(), 6));
        assertEquals(153, units(e, parts.get(0)));
        assertEquals(47, units(e, parts.get(1)));
        assertEquals("x".repeat(200), reassemble(e, parts));
    }

    @Test
    void sixteenBitHeader() {
        EncodedMessage e = encoder.encode("y".repeat(305));
        List<Concatenation.Part> parts = Concatenation.parts(e, UDH16, 0xBEEF);
        assertEquals(3, parts.size()); // 152 + 152 + 1
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(new byte[] {0x06, 0x08, 0x04, (byte) 0xBE, (byte) 0xEF, 3, (byte) (i + 1)},
                    Arrays.copyOf(parts.get(i).shortMessage(), 7));
            assertTrue(parts.get(i).udh());
        }
        assertEquals(152, units(e, parts.get(0)));
        assertEquals("y".repeat(305), reassemble(e, parts));
    }

    @Test
    void sarPartsCarryNoHeader() {
        EncodedMessage e = encoder.encode("z".repeat(400));
        List<Concatenation.Part> parts = Concatenation.parts(e, SAR, 0x10203);
        assertEquals(3, parts.size());
        for (Concatenation.Part p : parts) {
            assertFalse(p.udh());
            assertTrue(p.sar());
            assertEquals(0x0203, p.reference());
            assertEquals(3, p.total());
        }
        assertEquals(153, parts.get(0).shortMessage().length);
        assertEquals("z".repeat(400), reassemble(e, parts));
    }

    @Test
    void gsmEscapeIsNeverSplitAtAPartEdge() {
        for (LongMessages setting : List.of(UDH8, UDH16, SAR)) {
            int max = SmsEncoding.GSM7.partMax(Concatenation.headerBytes(setting));
            // The euro sign (escape + 0x65) would take septets max and max+1: it must open part 2 instead.
            String text = "a".repeat(max - 1) + "\u20AC" + "b".repeat(20) + "{}";
            EncodedMessage e = encoder.encode(text);
            List<Concatenation.Part> parts = Concatenation.parts(e, setting, 7);
            assertEquals(2, parts.size(), setting.toString());
            assertEquals(max - 1, units(e, parts.get(0)), setting.toString());
            byte[] second = parts.get(1).shortMessage();
            int skip = parts.get(1).udh() ? (second[0] & 0xFF) + 1 : 0;
            assertEquals(Gsm7Alphabet.ESCAPE, second[skip], "part 2 starts with the whole escape pair");
            assertEquals(text, reassemble(e, parts), setting.toString());
        }
    }

    @Test
    void surrogatePairIsNeverSplitAtAPartEdge() {
        for (LongMessages setting : List.of(UDH8, UDH16, SAR)) {
            int max = SmsEncoding.UCS2.partMax(Concatenation.headerBytes(setting));
            // The emoji (two UTF-16 units) would straddle the edge of part 1: it must open part 2.
            String text = "\u0416".repeat(max - 1) + "\uD83D\uDE00" + "\u0416".repeat(max) + "\uD83D\uDC4D";
            EncodedMessage e = encoder.encode(text);
            assertEquals(SmsEncoding.UCS2, e.encoding());
            List<Concatenation.Part> parts = Concatenation.parts(e, setting, 300);
            assertEquals(max - 1, units(e, parts.get(0)), setting.toString());
            for (Concatenation.Part p : parts) {
                byte[] sm = p.shortMessage();
                int skip = p.udh() ? (sm[0] & 0xFF) + 1 : 0;
                char first = (char) (((sm[skip] & 0xFF) << 8) | (sm[skip + 1] & 0xFF));
                char last = (char) (((sm[sm.length - 2] & 0xFF) << 8) | (sm[sm.length - 1] & 0xFF));
                assertFalse(Character.isLowSurrogate(first), "a part never starts with a low surrogate");
                assertFalse(Character.isHighSurrogate(last), "a part never ends with a high surrogate");
                assertTrue(units(e, p) <= max);
            }
            assertEquals(text, reassemble(e, parts), setting.toString());
        }
    }
}
