package io.dlrgate.simulator.carrier;

import java.util.Locale;
import java.util.Objects;
import java.util.Random;

/**
 * Issues a carrier's message ids: a counter from {@code start} rendered in the chosen format, or seeded UUIDs.
 * Not thread-safe: the carrier calls it under its decision lock so ids follow the order of arrival.
 */
public final class MessageIdGenerator {
    /** An issued id with its numeric value (null for UUIDs). */
    public record IssuedId(String text, Long numeric) {
    }

    private final IdFormat format;
    private final int width;
    private final Random uuidRandom;
    private long next;

    /**
     * @param format the dialect
     * @param start  first numeric value (treated as unsigned)
     * @param width  width of zero-padded ids
     * @param seed   seed of the UUID stream
     */
    public MessageIdGenerator(IdFormat format, long start, int width, long seed) {
        this.format = Objects.requireNonNull(format, "format");
        if (width < 1 || width > 64) {
            throw new IllegalArgumentException("id width must be 1..64, got " + width);
        }
        this.width = width;
        this.next = start;
        this.uuidRandom = new Random(seed ^ 0x1D5EEDL);
    }

    public IssuedId next() {
        if (format == IdFormat.UUID) {
            long msb = (uuidRandom.nextLong() & ~0xF000L) | 0x4000L;             // version 4
            long lsb = (uuidRandom.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
            return new IssuedId(new java.util.UUID(msb, lsb).toString(), null);
        }
        long v = next++;
        String text = switch (format) {
            case DECIMAL -> Long.toUnsignedString(v);
            case HEX -> Long.toHexString(v).toUpperCase(Locale.ROOT);
            case ZERO_PADDED -> {
                String d = Long.toUnsignedString(v);
                yield d.length() >= width ? d : "0".repeat(width - d.length()) + d;
            }
            case UUID -> throw new AssertionError();
        };
        return new IssuedId(text, v);
    }
}
