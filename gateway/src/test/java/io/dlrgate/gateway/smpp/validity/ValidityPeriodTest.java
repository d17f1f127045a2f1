package io.dlrgate.gateway.smpp.validity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValidityPeriodTest {

    private static final Instant NOW = Instant.parse("2024-03-10T22:15:00Z");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "PT48H,          000002000000000R",
            "PT72H,          000003000000000R",
            "PT90M,          000000013000000R",
            "PT10M,          000000001000000R",
            "PT0S,           000000000000000R",
            "PT59S,          000000000059000R",
            "PT61S,          000000000101000R",
            "PT25H1M1S,      000001010101000R",
            "P7DT23H59M59S,  000007235959000R",
            "PT2376H,        000099000000000R",
            "P99DT23H59M59S, 000099235959000R",
            "PT1.9S,         000000000001000R",
    })
    void formatsRelative(Duration d, String expected) {
        assertEquals(expected, ValidityPeriod.formatRelative(d));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT48H", "PT90M", "PT10M", "P3D", "PT1S", "P99DT23H59M59S", "PT36H30M15S"})
    void relativeRoundTrip(String iso) {
        Duration d = Duration.parse(iso);
        String v = ValidityPeriod.formatRelative(d);
        assertEquals(16, v.length());
        assertTrue(ValidityPeriod.isRelative(v));
        assertEquals(NOW.plus(d), ValidityPeriod.parse(v, NOW));
        assertEquals(d, ValidityPeriod.parseRelative(v, NOW));
    }

    @Test
    void relativeTooLongOrNegativeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ValidityPeriod.formatRelative(Duration.ofDays(100)));
        assertThrows(IllegalArgumentException.class, () -> ValidityPeriod.formatRelative(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> ValidityPeriod.formatRelative(null));
    }

    @Test
    void relativeWithYearsAndMonthsCountsCalendarUnitsFromNow() {
        // 1 year 2 months 3 days 04:05:06 from 2024-03-10T22:15:00Z
        assertEquals(Instant.parse("2025-05-14T02:20:06Z"), ValidityPeriod.parse("010203040506000R", NOW));
        // tenths of a second are honoured
        assertEquals(Instant.parse("2024-03-10T22:15:01.500Z"), ValidityPeriod.parse("000000000001500R", NOW));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "240310221500000+, 2024-03-10T22:15:00Z",
            "240310221500004+, 2024-03-10T21:15:00Z",   // +01:00 (4 quarters)
            "240310221500004-, 2024-03-10T23:15:00Z",   // -01:00
            "240311034500022+, 2024-03-10T22:15:00Z",   // +05:30 India (22 quarters)
            "240310180000016-, 2024-03-10T22:00:00Z",   // -04:00 (16 quarters)
            "240311040000023+, 2024-03-10T22:15:00Z",   // +05:45 Nepal (23 quarters)
            "240310221507348-, 2024-03-11T10:15:07.300Z", // -12:00, tenths 3
            "240229235959948+, 2024-02-29T11:59:59.900Z", // +12:00, leap day
    })
    void parsesAbsolute(String value, String expected) {
        assertEquals(Instant.parse(expected), ValidityPeriod.parse(value, NOW));
        assertFalse(ValidityPeriod.isRelative(value));
    }

    @ParameterizedTest
    @CsvSource({
            "2024-03-10T22:15:00Z,    +01:00,  240310231500004+",
            "2024-03-10T22:15:00Z,    -04:00,  240310181500016-",
            "2024-03-10T22:15:00Z,    +05:45,  240311040000023+",
            "2024-03-10T22:15:00.700Z, Z,      240310221500700+",
            "2024-12-31T23:30:00Z,    +12:00,  250101113000048+",
            "2024-01-01T00:00:00Z,    -12:00,  231231120000048-",
    })
    void absoluteRoundTrip(String instant, String offset, String expected) {
        Instant t = Instant.parse(instant);
        String v = ValidityPeriod.formatAbsolute(t, ZoneOffset.of(offset));
        assertEquals(expected, v);
        assertEquals(t, ValidityPeriod.parse(v, NOW));
    }

    @Test
    void absoluteOffsetMustBeQuarterHours() {
        assertThrows(IllegalArgumentException.class,
                () -> ValidityPeriod.formatAbsolute(NOW, ZoneOffset.ofHoursMinutes(1, 10)));
        assertThrows(IllegalArgumentException.class,
                () -> ValidityPeriod.formatAbsolute(NOW, ZoneOffset.ofHours(13)));
    }

    @Test
    void toleratesTrailingNulAndWhitespace() {
        assertEquals(NOW.plus(Duration.ofHours(48)), ValidityPeriod.parse(" 000002000000000R\u0000", NOW));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",                    // empty: SMSC default, no instant
            "   ",
            "00000200000000R",     // 15 characters
            "0000020000000000R",   // 17 characters
            "00000200000000AR",    // letter where a digit belongs
            "000002000000000X",    // unknown last character
            "000002000000010R",    // relative with a non-zero offset field
            "241310221500000+",    // month 13
            "240230221500000+",    // 30 February
            "240310251500000+",    // hour 25
            "240310226000000+",    // minute 60
            "240310221500049+",    // offset beyond 12 hours
            "2403102215000 4+",    // space inside
    })
    void rejectsMalformed(String value) {
        ValidityPeriodFormatException e = assertThrows(ValidityPeriodFormatException.class,
                () -> ValidityPeriod.parse(value, NOW));
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void malformedMessagesSayWhatIsWrong() {
        assertTrue(ValidityPeriod.parse("000002000000000R", NOW).isAfter(NOW));
        String m = assertThrows(ValidityPeriodFormatException.class,
                () -> ValidityPeriod.parse("000002000000000X", NOW)).getMessage();
        assertTrue(m.contains("'X'"), m);
        m = assertThrows(ValidityPeriodFormatException.class,
                () -> ValidityPeriod.parse("0002", NOW)).getMessage();
        assertTrue(m.contains("expected 16"), m);
        m = assertThrows(ValidityPeriodFormatException.class,
                () -> ValidityPeriod.parse(null, NOW)).getMessage();
        assertTrue(m.contains("null"), m);
        assertThrows(ValidityPeriodFormatException.class, () -> ValidityPeriod.parseRelative("240310221500000+", NOW));
    }
}
