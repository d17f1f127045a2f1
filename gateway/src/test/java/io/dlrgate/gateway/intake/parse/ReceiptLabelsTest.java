package io.dlrgate.gateway.intake.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The hand-written label scanner against the regular expression it replaced, which stays here as the reference
 * grammar: the same labels, at the same places, for real receipt texts and for 200,000 seeded random strings made
 * of the pieces that make the grammar hard (the date labels with every separator, NUL, tabs, Unicode spaces and
 * letters that only Unicode case folding would confuse with ASCII).
 */
class ReceiptLabelsTest {

    private static final Pattern REFERENCE = Pattern.compile(
            "(?<![^\\s\\u0000])((?:submit|done)[\\s_\\-]*date|[A-Za-z][A-Za-z0-9_\\-]*)\\s*:",
            Pattern.CASE_INSENSITIVE);

    private static final String[] PIECES = {
        "id", "ID", "sub", "dlvrd", "submit", "SUBMIT", "Submit", "done", "DoNe", "date", "Date", "submitdate",
        "stat", "err", "text", "Text", "imsi", " ", "  ", "\t", "\n", "\r", "\u000B", "\f", "\u0000", "\u2003", ":",
        "_", "-", "0", "12", "DELIVRD", "x", "é", "\u0131", "\u017F", "K", "\u212A", "a:b", "id :", "date:", "submıt",
        "ſubmit", "done_-_date", "submit \t date",
    };

    @Test
    void realReceiptTextsGiveTheSameLabelsAsTheReferenceGrammar() {
        for (String text : List.of(
                "id:1234567890 sub:001 dlvrd:001 submit date:2611271200 done date:2611271201 stat:DELIVRD err:000 text:Hello",
                "ID:abc SUB:1 DLVRD:1 SUBMITDATE:20261127120000 DONEDATE:20261127120100 STAT:UNDELIV ERR:0001 Text:x: y",
                "id: 77 stat : EXPIRED err:0 submit_date:0000000000 done-date:2611271200 imsi:1234 text:",
                "\u0000id:1\u0000stat:DELIVRD",
                "junk before id:5 stat:DELIVRD",
                "no labels at all",
                "")) {
            assertEquals(reference(text), labels(text), text);
        }
    }

    @Test
    void seededRandomTextsGiveTheSameLabelsAsTheReferenceGrammar() {
        SplittableRandom random = new SplittableRandom(20261127L);
        int withLabels = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder sb = new StringBuilder();
            int pieces = random.nextInt(1, 14);
            for (int k = 0; k < pieces; k++) {
                sb.append(PIECES[random.nextInt(PIECES.length)]);
            }
            String text = sb.toString();
            List<String> expected = reference(text);
            assertEquals(expected, labels(text), () -> "text " + escape(text));
            if (!expected.isEmpty()) {
                withLabels++;
            }
        }
        // The corpus must exercise the grammar, not only strings without labels.
        assertTrue(withLabels > 50_000, "only " + withLabels + " texts had labels");
    }

    @Test
    void aLabelNamesItsFieldWhateverTheCaseAndSeparators() {
        List<ReceiptText.Label> found = ReceiptLabels.find("Submit_-Date:1 DONE  date :2 STAT:x weird-label:y");
        assertEquals(List.of(ReceiptText.Known.SUBMIT_DATE, ReceiptText.Known.DONE_DATE, ReceiptText.Known.STAT,
                ReceiptText.Known.UNKNOWN), found.stream().map(ReceiptText.Label::kind).toList());
        assertEquals(List.of("Submit_-Date", "DONE  date", "STAT", "weird-label"),
                found.stream().map(ReceiptText.Label::name).toList());
    }

    /** "name@start..valueStart" for each label the scanner finds. */
    private static List<String> labels(String text) {
        List<String> out = new ArrayList<>();
        for (ReceiptText.Label l : ReceiptLabels.find(text)) {
            out.add(l.name() + "@" + l.start() + ".." + l.valueStart());
        }
        return out;
    }

    private static List<String> reference(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            out.add(m.group(1) + "@" + m.start() + ".." + m.end());
        }
        return out;
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04X", (int) c));
        }
        return sb.toString();
    }
}
