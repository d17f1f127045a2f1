package io.dlrgate.reporting.correlation;

import io.dlrgate.config.MessageIdFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.dlrgate.config.MessageIdFormat.DECIMAL;
import static io.dlrgate.config.MessageIdFormat.HEX;
import static io.dlrgate.config.MessageIdFormat.STRING;
import static io.dlrgate.reporting.correlation.MessageIdNormalizer.normalize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MessageIdNormalizerTest {

    @Test
    void hexSubmitIdAndDecimalReceiptIdMeet() {
        assertEquals("9308878062554710043", normalize("812FC7470000001B", HEX));
        assertEquals("9308878062554710043", normalize("9308878062554710043", DECIMAL));
        assertEquals(normalize("812fc7470000001b", HEX), normalize("9308878062554710043", DECIMAL));
    }

    @ParameterizedTest(name = "{1} {0} -> {2}")
    @CsvSource({
            // raw, format, expected
            "0000012345,            DECIMAL, 12345",
            "0,                     DECIMAL, 0",
            "0000,                  DECIMAL, 0",
            "18446744073709551615,  DECIMAL, 18446744073709551615",
            "FFFFFFFFFFFFFFFF,      HEX,     18446744073709551615",
            "ffffffffffffffff,      HEX,     18446744073709551615",
            "0x812FC7470000001B,    HEX,     9308878062554710043",
            "00000000000000FF,      HEX,     255",
            "000000000000000000000000000042, DECIMAL, 42",
            "00000000000000000000FF, HEX,    255",
            "7FFFFFFFFFFFFFFF,      HEX,     9223372036854775807",
            "8000000000000000,      HEX,     9223372036854775808",
            // fallbacks to STRING
            "18446744073709551616,  DECIMAL, 18446744073709551616",
            "10000000000000000,     HEX,     10000000000000000",
            "12A45,                 DECIMAL, 12a45",
            "MSG-0042,              DECIMAL, msg-0042",
            "12-34,                 HEX,     12-34",
            "G123,                  HEX,     g123",
            "-5,                    DECIMAL, -5",
            "+5,                    DECIMAL, +5",
            // STRING
            "3F2504E0-4F89-11D3-9A0C-0305E82C3301, STRING, 3f2504e0-4f89-11d3-9a0c-0305e82c3301",
            "0000012345,            STRING,  0000012345",
            "AbC-01,                STRING,  abc-01",
    })
    void normalises(String raw, MessageIdFormat format, String expected) {
        assertEquals(expected, normalize(raw, format));
    }

    @Test
    void trimsWhitespaceAndTrailingNuls() {
        assertEquals("abc-1", normalize("  ABC-1 \u0000\u0000", STRING));
        assertEquals("12345", normalize(" 0012345\u0000", DECIMAL));
        assertEquals("255", normalize("\tff \u0000", HEX));
    }

    @Test
    void nonAsciiDigitsAreNotNumbers() {
        // Arabic-Indic and full-width digits are Character.isDigit but not what a carrier means
        assertEquals("\u0661\u0662", normalize("\u0661\u0662", DECIMAL));
        assertEquals("\uff11\uff12", normalize("\uff11\uff12", HEX));
    }

    @Test
    void hexAndDecimalOfTheSameTextDiffer() {
        assertNotEquals(normalize("10", HEX), normalize("10", DECIMAL));
        assertEquals("16", normalize("10", HEX));
    }

    @Test
    void nullAndEmpty() {
        assertNull(normalize(null, DECIMAL));
        assertEquals("", normalize("", HEX));
        assertEquals("", normalize(" \u0000", STRING));
        assertThrows(IllegalArgumentException.class, () -> normalize("1", null));
    }
}
