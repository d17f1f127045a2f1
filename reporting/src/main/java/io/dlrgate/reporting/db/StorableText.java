package io.dlrgate.reporting.db;

/**
 * Text as PostgreSQL can store it. A {@code text} value cannot contain U+0000: a statement binding one fails
 * ("invalid byte sequence for encoding UTF8: 0x00"), and in a group-commit batch that failure would refuse every
 * receipt of the batch, again at each of the carrier's retries. Carriers do put NUL bytes inside receipt texts
 * (padding, field separators), so text from the wire passes through here: each U+0000 becomes U+2400 (SYMBOL FOR
 * NULL, shown as ␀), which keeps where the NULs were visible in the stored log.
 */
public final class StorableText {

    /** What U+0000 is stored as. */
    public static final char NUL_SYMBOL = '\u2400';

    private StorableText() {
    }

    /** {@code s} with every U+0000 replaced by {@link #NUL_SYMBOL}; {@code null} stays null. */
    public static String of(String s) {
        if (s == null || s.indexOf('\u0000') < 0) {
            return s;
        }
        return s.replace('\u0000', NUL_SYMBOL);
    }
}
