package io.dlrgate.reporting.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void lineBreaksAndTabsBecomeTheirEscapes() {
        assertEquals("stat:DELIVRD\\nFAKE LOG LINE\\r\\n\\tindented", LogText.escape(
                "stat:DELIVRD\nFAKE LOG LINE\r\n\tindented"));
    }

    @Test
    void otherControlAndInvisibleFormatCharactersBecomeUnicodeEscapes() {
        assertEquals("a\\u0000b\\u001Bc\\u007Fd\\u0085e\\u2028f\\u2029g\\u202Eh",
                LogText.escape("a\u0000b\u001Bc\u007Fd\u0085e\u2028f\u2029g\u202Eh"));
    }

    @Test
    void aBackslashIsDoubledSoALiteralBackslashNIsNotMistakenForAnEscapedLineBreak() {
        assertEquals("a\\\\nb\\nc", LogText.escape("a\\nb\nc"));
    }

    @Test
    void printableTextOfAnyScriptIsUnchanged() {
        String plain = "id:4711 stat:DELIVRD text:café € Ünïcødé 漢字";
        assertSame(plain, LogText.escape(plain), "nothing to escape: not copied");
    }

    @Test
    void nullIsWrittenAsNull() {
        assertEquals("null", LogText.escape(null));
        assertEquals("null", LogText.escape(null, 5));
    }

    @Test
    void longTextIsCutBeforeEscaping() {
        assertEquals("ab\\ncd... (9 characters)", LogText.escape("ab\ncdefgh", 5));
        assertEquals("ab\\nc... (9 characters)", LogText.escape("ab\ncdefgh", 4));
        assertEquals("abc", LogText.escape("abc", 3));
    }
}
