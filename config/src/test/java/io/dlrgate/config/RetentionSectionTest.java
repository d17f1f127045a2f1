package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.fails;
import static io.dlrgate.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code retention} section: values read as written, and each way of getting it wrong named at its key and line. */
class RetentionSectionTest {

    @Test
    void valuesAreRead() {
        assertEquals(new RetentionConfig(Duration.ofDays(90), 6),
                load("retention:\n  messages: 90d\n  partitions_ahead: 6\n").retention());
    }

    @Test
    void defaultsAreFourHundredDaysAndTwoMonthsAhead() {
        assertEquals(new RetentionConfig(Duration.ofDays(400), 2), load("retention:\n").retention());
        assertEquals(RetentionConfig.defaults(), load("smpp:\n  port: 2775\n").retention());
    }

    @Test
    void offKeepsMessagesForever() {
        RetentionConfig r = load("retention: {messages: off}\n").retention();
        assertTrue(r.messagesRetention().isEmpty());
        assertEquals(2, r.partitionsAhead());
    }

    @Test
    void aRetentionShorterThanAMonthIsRefusedAtItsLine() {
        ConfigException e = fails("retention:\n  messages: 30d\n");
        assertEquals("dlrgate.yaml: retention.messages: must be at least 31d (or off), got 30d (line 2)",
                e.getMessage());
    }

    @Test
    void aRetentionShorterThanAMessageMayLiveIsRefused() {
        ConfigException e = fails("dispatch:\n  max_validity: 60d\nretention:\n  messages: 45d\n");
        assertEquals("dlrgate.yaml: retention.messages: must be at least dispatch.max_validity + expiry.grace "
                + "(60d + 5m): a month is dropped that long after it ended, and its messages may live that long; "
                + "got 45d (line 4)", e.getMessage());
        assertEquals(Duration.ofDays(61), load("dispatch:\n  max_validity: 60d\nretention:\n  messages: 61d\n")
                .retention().messages());
    }

    @Test
    void badDuration() {
        assertProblem(fails("retention: {messages: 400}\n"), "retention.messages", "a duration needs a unit");
        assertProblem(fails("retention: {messages: 0s}\n"), "retention.messages", "must be a positive duration");
        assertProblem(fails("retention: {messages: never}\n"), "retention.messages", "not a duration");
    }

    @Test
    void partitionsAheadRange() {
        assertProblem(fails("retention: {partitions_ahead: 0}\n"), "retention.partitions_ahead", "between 1 and 24");
        assertProblem(fails("retention: {partitions_ahead: 25}\n"), "retention.partitions_ahead", "between 1 and 24");
        assertProblem(fails("retention: {partitions_ahead: two}\n"), "retention.partitions_ahead", "an integer");
    }

    @Test
    void unknownKeyAndWrongShape() {
        assertProblem(fails("retention: {mesages: 90d}\n"), "retention.mesages", "unknown key (did you mean messages?)");
        assertProblem(fails("retention: [messages]\n"), "retention", "expected a mapping of keys");
    }

    @Test
    void shippedFileDocumentsTheSection() {
        assertEquals(RetentionConfig.defaults(), ConfigLoader.loadDefault(Map.of()).retention());
    }
}
