package io.dlrgate.gateway.dispatch.encoding;

import com.cloudhopper.commons.charset.CharsetUtil;
import com.cloudhopper.commons.charset.GSMCharset;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageEncoderTest {

    private final MessageEncoder encoder = new MessageEncoder();

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    /** Decodes what segments(ref) returned, with or without UDH. */
    private static String decodeSegments(EncodedMessage m, int ref) {
        List<byte[]> segs = m.segments(ref);
        if (m.fitsSingle()) {
            assertEquals(1, segs.size());
            return MessageDecoder.decode(m.dataCoding(), segs.get(0));
        }
        return MessageDecoder.decodeConcatenated(m.dataCoding(), segs);
    }

    @Test
    void pureGsm() {
        EncodedMessage m = encoder.encode("Hello @ world $5, 100% ok?");
        assertEquals(SmsEncoding.GSM7, m.encoding());
        assertEquals(0x00, m.dataCoding());
        assertEquals(26, m.length());
        assertTrue(m.fitsSingle());
        assertFalse(m.hasUdh());
        assertEquals(1, m.segmentCount());
        byte[] p = m.payload();
        assertEquals('H', p[0]);
        assertEquals(0x00, p[6]);            // '@' is septet 0x00
        assertEquals(0x02, p[14]);           // '$' is septet 0x02, not ASCII 0x24
        assertArrayEquals(p, m.segments(7).get(0));
        for (byte b : p) {
            assertTrue(b >= 0 && b <= 0x7F, "unpacked septets, one per byte");
        }
    }

    @Test
    void extensionCharactersCountDouble() {
        String ext = "\u20AC[]{}~^\\|";
        EncodedMessage m = encoder.encode(ext);
        assertEquals(SmsEncoding.GSM7, m.encoding());
        assertEquals(18, m.length());
        assertArrayEquals(bytes(0x1B, 0x65, 0x1B, 0x3C, 0x1B, 0x3E, 0x1B, 0x28, 0x1B, 0x29, 0x1B, 0x3D,
                0x1B, 0x14, 0x1B, 0x2F, 0x1B, 0x40), m.payload());
        assertEquals(ext, MessageDecoder.decode(0x00, m.payload()));
        // 80 euro signs = 160 septets: one message; 81 do not fit
        assertTrue(encoder.encode("\u20AC".repeat(80)).fitsSingle());
        assertFalse(encoder.encode("\u20AC".repeat(81)).fitsSingle());
        // the form feed is an extension character too
        assertArrayEquals(bytes(0x1B, 0x0A), encoder.encode("\f").payload());
    }

    @Test
    void gsmBoundary160And161() {
        EncodedMessage m160 = encoder.encode("a".repeat(160));
        assertTrue(m160.fitsSingle());
        assertEquals(1, m160.segmentCount());
        assertEquals(160, m160.segments(1).get(0).length);

        EncodedMessage m161 = encoder.encode("a".repeat(161));
        assertFalse(m161.fitsSingle());
        assertTrue(m161.hasUdh());
        assertEquals(2, m161.segmentCount());
        assertArrayEquals(new int[] {153, 8}, m161.partLengths());
        List<byte[]> segs = m161.segments(0x42);
        assertEquals(6 + 153, segs.get(0).length);
        assertEquals(6 + 8, segs.get(1).length);
        assertArrayEquals(bytes(0x05, 0x00, 0x03, 0x42, 0x02, 0x01), java.util.Arrays.copyOf(segs.get(0), 6));
        assertArrayEquals(bytes(0x05, 0x00, 0x03, 0x42, 0x02, 0x02), java.util.Arrays.copyOf(segs.get(1), 6));

        // an extension character makes 159 characters 160 septets (fits) and 160 characters 161 septets (not)
        assertTrue(encoder.encode("a".repeat(158) + "\u20AC").fitsSingle());
        assertFalse(encoder.encode("a".repeat(159) + "\u20AC").fitsSingle());

        // 306 septets = exactly 2 parts, 307 = 3
        assertEquals(2, encoder.encode("a".repeat(306)).segmentCount());
        assertEquals(3, encoder.encode("a".repeat(307)).segmentCount());
    }

    @Test
    void ucs2Boundary70And71() {
        EncodedMessage m70 = encoder.encode("\u0436".repeat(70)); // Cyrillic zhe: not GSM
        assertEquals(SmsEncoding.UCS2, m70.encoding());
        assertEquals(0x08, m70.dataCoding());
        assertEquals(70, m70.length());
        assertEquals(140, m70.payload().length);
        assertTrue(m70.fitsSingle());
        assertEquals(0x04, m70.payload()[0]);
        assertEquals(0x36, m70.payload()[1]);

        EncodedMessage m71 = encoder.encode("\u0436".repeat(71));
        assertFalse(m71.fitsSingle());
        assertArrayEquals(new int[] {67, 4}, m71.partLengths());
        List<byte[]> segs = m71.segments(255);
        assertEquals(6 + 134, segs.get(0).length);
        assertEquals(6 + 8, segs.get(1).length);
        assertEquals((byte) 0xFF, segs.get(0)[3]);

        // a single non-GSM character turns the whole message to UCS-2
        EncodedMessage mixed = encoder.encode("a".repeat(100) + "\u0436");
        assertEquals(SmsEncoding.UCS2, mixed.encoding());
        assertEquals(2, mixed.segmentCount());
    }

    @Test
    void emojiSurrogatePairIsNeverSplitAcrossParts() {
        String grin = "\uD83D\uDE00"; // U+1F600, two UTF-16 units
        // 66 units, then the pair would take units 67 and 68: it must move whole to part 2
        String text = "\u0436".repeat(66) + grin + "\u0436".repeat(10);
        EncodedMessage m = encoder.encode(text);
        assertEquals(SmsEncoding.UCS2, m.encoding());
        assertEquals(78, m.length());
        assertArrayEquals(new int[] {66, 12}, m.partLengths());
        List<byte[]> segs = m.segments(9);
        for (byte[] seg : segs) {
            String part = MessageDecoder.decode(0x08, java.util.Arrays.copyOfRange(seg, 6, seg.length));
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                if (Character.isHighSurrogate(c)) {
                    assertTrue(i + 1 < part.length() && Character.isLowSurrogate(part.charAt(i + 1)), "split pair");
                } else if (Character.isLowSurrogate(c)) {
                    assertTrue(i > 0 && Character.isHighSurrogate(part.charAt(i - 1)), "split pair");
                }
            }
        }
        assertEquals(text, MessageDecoder.decodeConcatenated(0x08, segs));

        // the pair exactly filling units 66 and 67 stays in part 1
        EncodedMessage fits = encoder.encode("\u0436".repeat(65) + grin + "\u0436".repeat(10));
        assertArrayEquals(new int[] {67, 10}, fits.partLengths());

        // 35 emoji = 70 units: single message; 36 = 72 units: 67 would split a pair, so 66 + 6
        assertTrue(encoder.encode(grin.repeat(35)).fitsSingle());
        assertArrayEquals(new int[] {66, 6}, encoder.encode(grin.repeat(36)).partLengths());
    }

    @Test
    void escapePairIsNeverSplitAcrossParts() {
        // 152 septets, then the euro (2 septets) would straddle 153/154: it goes whole into part 2
        String text = "a".repeat(152) + "\u20AC" + "b".repeat(10);
        EncodedMessage m = encoder.encode(text);
        assertEquals(164, m.length());
        assertArrayEquals(new int[] {152, 12}, m.partLengths());
        List<byte[]> segs = m.segments(3);
        assertEquals(0x1B, segs.get(1)[6]);
        assertEquals(0x65, segs.get(1)[7]);
        assertTrue(segs.get(0)[segs.get(0).length - 1] != 0x1B, "part 1 must not end with a lone escape");
        assertEquals(text, MessageDecoder.decodeConcatenated(0x00, segs));

        // the pair exactly at septets 152 and 153 stays in part 1
        EncodedMessage fits = encoder.encode("a".repeat(151) + "\u20AC" + "b".repeat(10));
        assertArrayEquals(new int[] {153, 10}, fits.partLengths());
    }

    @Test
    void greekCapitalsFromTheGsmTable() {
        String greek = "\u0394\u03A6\u0393\u039B\u03A9\u03A0\u03A8\u03A3\u0398\u039E"; // ΔΦΓΛΩΠΨΣΘΞ
        EncodedMessage m = encoder.encode(greek);
        assertEquals(SmsEncoding.GSM7, m.encoding());
        assertArrayEquals(bytes(0x10, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A), m.payload());
        assertEquals(greek, MessageDecoder.decode(0x00, m.payload()));
        // Greek capital Alpha looks like Latin A but is not in the table: no folding, UCS-2
        assertEquals(SmsEncoding.UCS2, encoder.encode("\u0391\u0392").encoding());
        // nor is small c cedilla (0x09 is the capital)
        assertEquals(SmsEncoding.UCS2, encoder.encode("\u00E7a").encoding());
        assertEquals(SmsEncoding.GSM7, encoder.encode("\u00C7a").encoding());
    }

    @Test
    void roundTripOfWhatWeEncode() {
        String grin = "\uD83D\uDE00";
        List<String> texts = List.of(
                "",
                "Hi",
                "Your code is 1234. Reply STOP to opt out.",
                "\u20AC[]{}~^\\|\f @\u00A3$\u00A5\u00E8\u00E9\u00F9\u00EC\u00F2\u00C7\n\u00D8\u00F8\r\u00C5\u00E5_"
                        + "\u00C6\u00E6\u00DF\u00C9\u00A4\u00A1\u00C4\u00D6\u00D1\u00DC\u00A7\u00BF\u00E4\u00F6\u00F1\u00FC\u00E0",
                "a".repeat(500),
                "{x}".repeat(200),
                "\u0436".repeat(500),
                grin.repeat(100),
                "Mixed " + grin + " text " + "\u4F60\u597D".repeat(60) + " \u20AC",
                "\u20AC".repeat(300));
        for (String t : texts) {
            EncodedMessage m = encoder.encode(t);
            assertEquals(t, MessageDecoder.decode(m.dataCoding(), m.payload()), "payload round trip: " + m);
            assertEquals(t, decodeSegments(m, 200), "segments round trip: " + m);
            if (!m.fitsSingle()) {
                int max = m.encoding() == SmsEncoding.GSM7 ? 6 + 153 : 6 + 134;
                for (byte[] s : m.segments(1)) {
                    assertTrue(s.length <= max, "segment too long: " + s.length);
                    assertTrue(s.length <= 6 + 140 * 8 / 7, "never over one SMS");
                }
                assertEquals(m.segmentCount(), m.segments(1).size());
            }
        }
    }

    @Test
    void everyGsmCharacterMatchesCloudhoppersIndependentTable() {
        int representable = 0;
        for (int c = 0; c < 0x10000; c++) {
            if (Character.isSurrogate((char) c)) {
                continue;
            }
            String s = String.valueOf((char) c);
            boolean ours = Gsm7Alphabet.canEncode(s);
            boolean theirs = GSMCharset.canRepresent(s);
            assertEquals(theirs, ours, String.format("U+%04X", c));
            if (ours) {
                representable++;
                assertArrayEquals(CharsetUtil.CHARSET_GSM.encode(s), Gsm7Alphabet.encode(s),
                        String.format("U+%04X", c));
                assertEquals(s, CharsetUtil.CHARSET_GSM.decode(Gsm7Alphabet.encode(s)), String.format("U+%04X", c));
            }
        }
        assertEquals(127 + 10, representable); // 128 basic minus ESC, plus 10 extension characters
    }

    @Test
    void limitsAndBadInput() {
        assertThrows(IllegalArgumentException.class, () -> encoder.encode("a".repeat(200)).segments(256));
        assertThrows(IllegalArgumentException.class, () -> encoder.encode("a".repeat(200)).segments(-1));
        // 255 parts of 153 septets is the most an 8-bit header can number
        assertEquals(255, encoder.encode("a".repeat(255 * 153)).segments(0).size());
        EncodedMessage huge = encoder.encode("a".repeat(255 * 153 + 1));
        assertEquals(256, huge.segmentCount());
        assertThrows(IllegalStateException.class, () -> huge.segments(0));
        assertTrue(huge.fitsMessagePayload());
        assertFalse(encoder.encode("\u0436".repeat(40_000)).fitsMessagePayload());
        assertThrows(NullPointerException.class, () -> encoder.encode(null));
        assertThrows(IllegalArgumentException.class, () -> Gsm7Alphabet.encode("\u0436"));
        assertThrows(IllegalArgumentException.class, () -> MessageDecoder.decode(0x04, new byte[0]));
        // the payload is a copy
        EncodedMessage m = encoder.encode("abc");
        m.payload()[0] = 0x7F;
        assertEquals('a', m.payload()[0]);
    }

    @Test
    void emptyContentIsOneEmptyGsmMessage() {
        EncodedMessage m = encoder.encode("");
        assertEquals(SmsEncoding.GSM7, m.encoding());
        assertTrue(m.fitsSingle());
        assertEquals(1, m.segmentCount());
        assertEquals(0, m.segments(0).get(0).length);
    }

    @Test
    void decoderReadsUnknownEscapesAsTheBasicCharacter() {
        assertEquals("A", Gsm7Alphabet.decode(bytes(0x1B, 0x41)));
        assertEquals("a", Gsm7Alphabet.decode(bytes(0x61, 0x1B)));
        assertThrows(IllegalArgumentException.class, () -> Gsm7Alphabet.decode(bytes(0x80)));
    }
}
