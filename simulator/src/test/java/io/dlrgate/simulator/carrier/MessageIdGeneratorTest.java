package io.dlrgate.simulator.carrier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class MessageIdGeneratorTest {
    @Test
    void decimalHexAndZeroPadded() {
        MessageIdGenerator dec = new MessageIdGenerator(IdFormat.DECIMAL, 41, 12, 1);
        assertEquals(new MessageIdGenerator.IssuedId("41", 41L), dec.next());
        assertEquals(new MessageIdGenerator.IssuedId("42", 42L), dec.next());
        MessageIdGenerator hex = new MessageIdGenerator(IdFormat.HEX, 0x812FC7470000001BL, 12, 1);
        assertEquals(new MessageIdGenerator.IssuedId("812FC7470000001B", 0x812FC7470000001BL), hex.next());
        assertEquals("812FC7470000001C", hex.next().text());
        MessageIdGenerator pad = new MessageIdGenerator(IdFormat.ZERO_PADDED, 7, 10, 1);
        assertEquals(new MessageIdGenerator.IssuedId("0000000007", 7L), pad.next());
    }

    @Test
    void uuidsAreValidAndSeeded() {
        MessageIdGenerator a = new MessageIdGenerator(IdFormat.UUID, 0, 12, 99);
        MessageIdGenerator b = new MessageIdGenerator(IdFormat.UUID, 0, 12, 99);
        MessageIdGenerator c = new MessageIdGenerator(IdFormat.UUID, 0, 12, 100);
        MessageIdGenerator.IssuedId id = a.next();
        assertNull(id.numeric());
        UUID u = UUID.fromString(id.text());
        assertEquals(4, u.version());
        assertEquals(2, u.variant());
        assertEquals(id, b.next());
        assertNotEquals(id, c.next());
    }

    @Test
    void formatsParse() {
        assertEquals(IdFormat.ZERO_PADDED, IdFormat.parse("zero-padded"));
        assertEquals(IdFormat.HEX, IdFormat.parse("hex"));
        assertThrows(IllegalArgumentException.class, () -> IdFormat.parse("octal"));
    }

    @Test
    void backoffDoublesUpToTheCeiling() {
        assertEquals(20, ReceiptScheduler.backoff(20, 1000, 1));
        assertEquals(40, ReceiptScheduler.backoff(20, 1000, 2));
        assertEquals(640, ReceiptScheduler.backoff(20, 1000, 6));
        assertEquals(1000, ReceiptScheduler.backoff(20, 1000, 7));
        assertEquals(1000, ReceiptScheduler.backoff(20, 1000, 60));
    }
}
