package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.fails;
import static io.dlrgate.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code replies}: the keywords that opt a number out of sending and back in. */
class RepliesSectionTest {

    @Test
    void theUsualKeywordsWhenNotConfigured() {
        RepliesConfig r = load("").replies();
        assertEquals(List.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"), r.optOutKeywords());
        assertEquals(List.of("START"), r.optInKeywords());
        assertEquals(Duration.ofMinutes(5), r.duplicateWindow());
    }

    @Test
    void theDuplicateWindowCanBeSetOrTurnedOff() {
        assertEquals(Duration.ofSeconds(90), load("replies: {duplicate_window: 90s}\n").replies().duplicateWindow());
        assertEquals(Duration.ZERO, load("replies: {duplicate_window: 0s}\n").replies().duplicateWindow());
    }

    @Test
    void aDuplicateWindowOverADayIsNamed() {
        assertProblem(fails("replies: {duplicate_window: 2d}\n"), "replies.duplicate_window",
                "must be between 0s and");
    }

    @Test
    void keywordsAreKeptInCapitalsWithoutSpaces() {
        RepliesConfig r = load("replies: {opt_out_keywords: [stop, ' Arrêt ', 'opt out'], opt_in_keywords: [unstop]}\n")
                .replies();
        assertEquals(List.of("STOP", "ARRÊT", "OPTOUT"), r.optOutKeywords());
        assertEquals(List.of("UNSTOP"), r.optInKeywords());
    }

    @Test
    void anEmptyKeywordIsNamedWithItsPlace() {
        assertProblem(fails("replies: {opt_out_keywords: [STOP, '  ']}\n"), "replies.opt_out_keywords[1]",
                "a keyword must not be empty");
    }

    @Test
    void aKeywordListMustBeAList() {
        assertProblem(fails("replies: {opt_in_keywords: START}\n"), "replies.opt_in_keywords",
                "expected a list (e.g. [a, b]), got");
    }

    @Test
    void aKeywordItemMustBeAString() {
        assertProblem(fails("replies: {opt_out_keywords: [{a: 1}]}\n"), "replies.opt_out_keywords[0]",
                "expected a string, got");
    }

    @Test
    void aKeywordCannotBothOptOutAndOptIn() {
        assertProblem(fails("replies: {opt_out_keywords: [STOP], opt_in_keywords: [stop]}\n"),
                "replies.opt_in_keywords", "\"STOP\" is also an opt-out keyword");
    }

    @Test
    void anUnknownKeyIsNamed() {
        assertProblem(fails("replies: {opt_out_keyword: [STOP]}\n"), "replies.opt_out_keyword", "unknown key");
    }
}
