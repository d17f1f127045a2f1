package io.dlrgate.simulator.carrier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.dlrgate.simulator.outcome.Part;
import org.junit.jupiter.api.Test;

/** Reading a user data header, whatever a peer sends: a bad header makes an ordinary message, never an error. */
class ConcatPartsTest {
    static byte[] b(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    @Test
    void eightAndSixteenBitReferencesAreRead() {
        assertEquals(new Part(Part.Scheme.UDH8, 0xFE, 2, 3, 0), ConcatParts.udh(b(5, 0, 3, 0xFE, 3, 2, 'h')));
        assertEquals(new Part(Part.Scheme.UDH16, 0xABCD, 3, 3, 0),
                ConcatParts.udh(b(6, 8, 4, 0xAB, 0xCD, 3, 3, 'h')));
        // another element first (a port address), then the concatenation element
        assertEquals(new Part(Part.Scheme.UDH8, 1, 1, 2, 0),
                ConcatParts.udh(b(11, 5, 4, 0x0B, 0x84, 0x23, 0xF0, 0, 3, 1, 2, 1, 'x')));
    }

    @Test
    void headersThatDescribeNoPartAreNoPart() {
        assertNull(ConcatParts.udh(b()), "empty");
        assertNull(ConcatParts.udh(b(9, 0, 3, 1, 2, 1)), "UDHL past the end");
        assertNull(ConcatParts.udh(b(5, 0, 9, 1, 2, 1)), "element past the header");
        assertNull(ConcatParts.udh(b(5, 0, 3, 1, 2, 0)), "part 0");
        assertNull(ConcatParts.udh(b(5, 0, 3, 1, 2, 3)), "part 3 of 2");
        assertNull(ConcatParts.udh(b(5, 0, 3, 1, 0, 0)), "no parts");
        assertNull(ConcatParts.udh(b(4, 0x24, 2, 1, 1, 'x')), "no concatenation element");
    }

    @Test
    void aPartAgainWithTheSameTextIsAResendAndWithAnotherTextANewMessage() {
        ConcatParts parts = new ConcatParts();
        Part p1 = new Part(Part.Scheme.UDH8, 5, 1, 2, 0);
        Part p2 = new Part(Part.Scheme.UDH8, 5, 2, 2, 0);
        assertEquals(1, parts.group("447700", p1, "ab").message());
        assertEquals(1, parts.group("447700", p2, "cd").message());
        assertEquals(1, parts.group("447700", p2, "cd").message(), "resent: the same message");
        assertEquals(2, parts.group("447711", p1, "ab").message(), "another number: another message");
        assertEquals(3, parts.group("447700", p1, "xy").message(), "a reused reference: a new message");
        assertEquals(3, parts.group("447700", p2, "zz").message());
    }
}
