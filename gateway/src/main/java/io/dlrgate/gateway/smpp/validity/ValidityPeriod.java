package io.dlrgate.gateway.smpp.validity;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * The SMPP time format of validity_period and schedule_delivery_time (SMPP 3.4 section 7.1.1, 5.0 section 4.7.23).
 * Always 16 characters:
 * <ul>
 *   <li>absolute {@code YYMMDDhhmmsstnnp}: local date and time, {@code t} tenths of a second, {@code nn} the
 *       offset of that local time from UTC in quarter hours (00..48), {@code p} '+' (local time is ahead of UTC) or
 *       '-' (behind UTC);</li>
 *   <li>relative {@code YYMMDDhhmmss000R}: years, months, days, hours, minutes, seconds from the SMSC's "now".</li>
 * </ul>
 * An empty validity_period means "the SMSC's default validity"; it has no instant, so callers treat it before
 * calling {@link #parse}, which rejects it like any other malformed value.
 *
 * <p>Two-digit years are 2000..2099. Relative years and months are added as calendar units in UTC, the rest as
 * fixed lengths.
 */
public final class ValidityPeriod {

    /** The largest relative duration written with days only: 99 days 23:59:59. */
    public static final Duration MAX_RELATIVE = Duration.ofDays(99).plusHours(23).plusMinutes(59).plusSeconds(59);

    private ValidityPeriod() {
    }

    /**
     * Writes a relative validity period, carrying each unit into the next (90 minutes is {@code 000000013000000R},
     * 48 hours {@code 000002000000000R}). Years and months are never written: their length would be the SMSC's to
     * decide, so a duration is exact only in days. Sub-second parts are dropped.
     *
     * @throws IllegalArgumentException for a negative duration or one beyond {@link #MAX_RELATIVE}
     */
    public static String formatRelative(Duration validity) {
        if (validity == null) {
            throw new IllegalArgumentException("validity is required");
        }
        if (validity.isNegative()) {
            throw new IllegalArgumentException("validity must not be negative: " + validity);
        }
        long total = validity.getSeconds();
        if (total > MAX_RELATIVE.getSeconds()) {
            throw new IllegalArgumentException("validity " + validity + " is longer than the relative format holds"
                    + " without months (99 days 23:59:59); send an absolute validity instead");
        }
        long days = total / 86_400;
        long hours = total % 86_400 / 3_600;
        long minutes = total % 3_600 / 60;
        long seconds = total % 60;
        return String.format("0000%02d%02d%02d%02d000R", days, hours, minutes, seconds);
    }

    /**
     * Writes an absolute time in the given offset, which must be a whole number of quarter hours within +-12:00.
     */
    public static String formatAbsolute(Instant instant, ZoneOffset offset) {
        if (instant == null || offset == null) {
            throw new IllegalArgumentException("instant and offset are required");
        }
        int offsetSeconds = offset.getTotalSeconds();
        if (offsetSeconds % 900 != 0 || Math.abs(offsetSeconds) > 48 * 900) {
            throw new IllegalArgumentException("offset " + offset + " is not a whole number of quarter hours"
                    + " within -12:00..+12:00");
        }
        LocalDateTime local = LocalDateTime.ofInstant(instant, offset);
        if (local.getYear() < 2000 || local.getYear() > 2099) {
            throw new IllegalArgumentException("year " + local.getYear() + " cannot be written as YY (2000..2099)");
        }
        int quarters = Math.abs(offsetSeconds) / 900;
        return String.format("%02d%02d%02d%02d%02d%02d%d%02d%c", local.getYear() % 100, local.getMonthValue(),
                local.getDayOfMonth(), local.getHour(), local.getMinute(), local.getSecond(),
                local.getNano() / 100_000_000, quarters, offsetSeconds < 0 ? '-' : '+');
    }

    /** True when the string is a relative time (ends with 'R'), without validating the rest. */
    public static boolean isRelative(String value) {
        return value != null && value.strip().length() == 16
                && Character.toUpperCase(value.strip().charAt(15)) == 'R';
    }

    /**
     * Reads an absolute or relative SMPP time.
     *
     * @param value the 16-character time (a trailing NUL or surrounding whitespace is tolerated)
     * @param now   the reference instant a relative time counts from
     * @return the instant it denotes
     * @throws ValidityPeriodFormatException when the value is empty, not 16 characters, not digits where digits
     *                                       belong, has a field out of range or an unknown last character
     */
    public static Instant parse(String value, Instant now) {
        if (now == null) {
            throw new IllegalArgumentException("reference instant 'now' is required");
        }
        if (value == null) {
            throw new ValidityPeriodFormatException("no SMPP time given (null)");
        }
        String v = value.replace("\u0000", "").strip();
        if (v.isEmpty()) {
            throw new ValidityPeriodFormatException("empty SMPP time (means the SMSC default; it has no instant)");
        }
        if (v.length() != 16) {
            throw new ValidityPeriodFormatException("SMPP time '" + value + "' has " + v.length()
                    + " characters; expected 16 (YYMMDDhhmmsstnnp)");
        }
        for (int i = 0; i < 15; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                throw new ValidityPeriodFormatException("SMPP time '" + value + "' has '" + c + "' at position "
                        + (i + 1) + "; the first 15 characters must be digits");
            }
        }
        int yy = num(v, 0);
        int mo = num(v, 2);
        int dd = num(v, 4);
        int hh = num(v, 6);
        int mi = num(v, 8);
        int ss = num(v, 10);
        int tenths = v.charAt(12) - '0';
        int nn = num(v, 13);
        char p = v.charAt(15);
        switch (p) {
            case 'R', 'r' -> {
                if (nn != 0) {
                    throw new ValidityPeriodFormatException("relative SMPP time '" + value
                            + "' must have 00 in the offset field (nn), not " + v.substring(13, 15));
                }
                ZonedDateTime t = now.atZone(ZoneOffset.UTC)
                        .plusYears(yy).plusMonths(mo).plusDays(dd)
                        .plusHours(hh).plusMinutes(mi).plusSeconds(ss).plusNanos(tenths * 100_000_000L);
                return t.toInstant();
            }
            case '+', '-' -> {
                if (nn > 48) {
                    throw new ValidityPeriodFormatException("SMPP time '" + value + "' has offset " + nn
                            + " quarter hours; at most 48 (12 hours)");
                }
                try {
                    LocalDateTime local = LocalDateTime.of(2000 + yy, mo, dd, hh, mi, ss, tenths * 100_000_000);
                    int offsetSeconds = nn * 900 * (p == '+' ? 1 : -1);
                    return local.toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
                } catch (DateTimeException e) {
                    throw new ValidityPeriodFormatException("SMPP time '" + value + "' is not a possible date and"
                            + " time: " + e.getMessage());
                }
            }
            default -> throw new ValidityPeriodFormatException("SMPP time '" + value + "' ends with '" + p
                    + "'; expected '+' or '-' (absolute) or 'R' (relative)");
        }
    }

    /**
     * Reads a relative SMPP time as a duration from {@code now} (calendar years and months counted from now).
     */
    public static Duration parseRelative(String value, Instant now) {
        if (!isRelative(value)) {
            throw new ValidityPeriodFormatException("SMPP time '" + value + "' is not relative (must end in R)");
        }
        return Duration.between(now, parse(value, now));
    }

    private static int num(String v, int at) {
        return (v.charAt(at) - '0') * 10 + (v.charAt(at + 1) - '0');
    }
}
