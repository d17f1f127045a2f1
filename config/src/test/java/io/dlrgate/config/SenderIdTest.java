package io.dlrgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The three sender forms, their TON/NPI, and a refusal naming the sender and the rule for everything else. */
class SenderIdTest {

    private static void refused(String text, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SenderId.parse(text));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "\"" + f + "\" not in: " + e.getMessage());
        }
    }

    @Test
    void alphanumericUpToElevenGsmCharacters() {
        SenderId s = SenderId.parse("Acme Shop 1");
        assertEquals(SenderId.Form.ALPHANUMERIC, s.form());
        assertEquals(5, s.form().ton());
        assertEquals(0, s.form().npi());
        assertEquals("Acme Shop 1", s.address());
        assertEquals(SenderId.Form.ALPHANUMERIC, SenderId.parse("A@b_c$-.&'!").form());
    }

    @Test
    void shortCodesAreThreeToEightDigits() {
        assertEquals(SenderId.Form.SHORT_CODE, SenderId.parse("123").form());
        assertEquals(SenderId.Form.SHORT_CODE, SenderId.parse("12345678").form());
        assertEquals(3, SenderId.parse("60123").form().ton());
        refused("12", "\"12\" is 2 digits", "3 to 8");
        refused("123456789", "9 digits", "E.164");
    }

    @Test
    void internationalNumbersAreE164AndGoOnTheWireWithoutThePlus() {
        SenderId s = SenderId.parse("+447700900123");
        assertEquals(SenderId.Form.INTERNATIONAL, s.form());
        assertEquals(1, s.form().ton());
        assertEquals(1, s.form().npi());
        assertEquals("447700900123", s.address());
        refused("+0447700900", "not an international number");
        refused("+44 7700 900123", "not an international number");
        refused("+1234567", "not an international number");
    }

    @Test
    void twelveCharactersAreRefused() {
        refused("Acme Shop 12", "\"Acme Shop 12\" is 12 characters", "at most 11");
    }

    @Test
    void charactersOutsideGsmAsciiAreRefused() {
        refused("Café", "\"Café\" holds characters", "GSM 7-bit");
        refused("Acme{1}", "holds characters");
        refused("Shop\u0000", "\\u0000");
        refused("Shop😀", "holds characters");
    }

    @Test
    void emptyAndSpaceEdgedAndLetterlessAreRefused() {
        refused("", "is empty");
        refused(null, "is empty");
        refused(" Acme", "starts or ends with a space");
        refused("12-34", "has no letter");
    }
}
