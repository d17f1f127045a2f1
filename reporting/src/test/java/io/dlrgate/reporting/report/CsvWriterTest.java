package io.dlrgate.reporting.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** RFC 4180: commas, quotes, CR and LF force quoting; quotes are doubled; lines end with CRLF; null is empty. */
class CsvWriterTest {

    @Test
    void plainFieldsAreWrittenAsTheyAre() {
        assertEquals("a,b,12,\r\n", CsvWriter.line("a", "b", 12, null));
        assertEquals("+447700900001,GB\r\n", CsvWriter.line("+447700900001", "GB"));
        assertEquals("2024-05-01T10:00:00Z\r\n", CsvWriter.line(Instant.parse("2024-05-01T10:00:00Z")));
    }

    @Test
    void specialCharactersAreQuotedAndQuotesDoubled() {
        assertEquals("\"a,b\"\r\n", CsvWriter.line("a,b"));
        assertEquals("\"say \"\"hi\"\"\"\r\n", CsvWriter.line("say \"hi\""));
        assertEquals("\"line1\nline2\",\"cr\rx\"\r\n", CsvWriter.line("line1\nline2", "cr\rx"));
        assertEquals("\" padded \"\r\n", CsvWriter.line(" padded "));
        assertEquals("\"\"\"\"\r\n", CsvWriter.line("\""));
        assertEquals(",\r\n", CsvWriter.line("", ""));
    }

    @Test
    void cellsASpreadsheetWouldRunAsFormulasGetAQuote() {
        assertEquals("\"'=HYPERLINK(\"\"http://x\"\")\"\r\n", CsvWriter.line("=HYPERLINK(\"http://x\")"));
        assertEquals("'@SUM(1+1),'+1+1,'-2+3\r\n", CsvWriter.line("@SUM(1+1)", "+1+1", "-2+3"));
        assertEquals("'\tx,\"'\rx\"\r\n", CsvWriter.line("\tx", "\rx"));
        assertEquals("\"'=1,2\"\r\n", CsvWriter.line("=1,2"));
    }

    @Test
    void e164NumbersNumbersAndInstantsStayAsTheyAre() {
        assertEquals("+447700900001,+12025550123,-3,2024-05-01T10:00:00Z\r\n", CsvWriter.line("+447700900001",
                "+12025550123", -3, Instant.parse("2024-05-01T10:00:00Z")));
        // not E.164: too long, a leading zero, a letter
        assertEquals("'+4477009000011111,'+0447700900001,'+44x\r\n", CsvWriter.line("+4477009000011111",
                "+0447700900001", "+44x"));
    }

    @Test
    void contentStartIsCutOnAWord() {
        assertEquals("short", SingleSendRow.startOf("short"));
        String s = SingleSendRow.startOf("one two three four five six seven eight nine ten eleven twelve thirteen");
        assertEquals("one two three four five six seven eight nine ten eleven…", s);
        String word = "x".repeat(100);
        assertEquals("x".repeat(60) + "…", SingleSendRow.startOf(word));
        assertEquals("a b", SingleSendRow.startOf("a\n\n b"));
    }
}
