package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.fails;
import static io.dlrgate.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code webhooks}: how delivery events are pushed to the sender's apps. One test per kind of error. */
class WebhooksSectionTest {

    @Test
    void defaultsAreHttpsOnlyPublicOnlyAndTheDocumentedFigures() {
        WebhooksConfig w = load("").webhooks();
        assertFalse(w.allowHttp());
        assertFalse(w.allowPrivate());
        assertEquals(100, w.maxBatch());
        assertEquals(Duration.ofSeconds(5), w.timeout());
        assertEquals(Duration.ofSeconds(10), w.retryInitial());
        assertEquals(Duration.ofHours(72), w.maxAge());
        assertEquals(4, w.concurrency());
        assertEquals(Duration.ofSeconds(60), w.yieldToIntake());
    }

    @Test
    void everyKeyIsRead() {
        WebhooksConfig w = load("webhooks:\n  allow_http: true\n  allow_private: true\n  max_batch: 10\n"
                + "  timeout: 2s\n  retry_initial: 1s\n  max_age: 1h\n  concurrency: 2\n  yield_to_intake: 5m\n").webhooks();
        assertTrue(w.allowHttp());
        assertTrue(w.allowPrivate());
        assertEquals(10, w.maxBatch());
        assertEquals(Duration.ofSeconds(2), w.timeout());
        assertEquals(Duration.ofSeconds(1), w.retryInitial());
        assertEquals(Duration.ofHours(1), w.maxAge());
        assertEquals(2, w.concurrency());
        assertEquals(Duration.ofMinutes(5), w.yieldToIntake());
    }

    @Test
    void aZeroYieldNeverYields() {
        assertEquals(Duration.ZERO, load("webhooks:\n  yield_to_intake: 0s\n").webhooks().yieldToIntake());
    }

    @Test
    void aYieldOutOfRangeIsNamed() {
        assertProblem(fails("webhooks:\n  yield_to_intake: 500ms\n"), "webhooks.yield_to_intake",
                "0 (never yield) or between 1s and 1h");
        assertProblem(fails("webhooks:\n  yield_to_intake: 2h\n"), "webhooks.yield_to_intake", "between 1s and 1h");
    }

    @Test
    void aNegativeYieldIsNamed() {
        assertProblem(fails("webhooks:\n  yield_to_intake: -5s\n"), "webhooks.yield_to_intake");
    }

    @Test
    void aFlagThatIsNotABooleanIsNamedWithItsLine() {
        ConfigException.Problem p = assertProblem(fails("webhooks:\n  allow_private: yes please\n"),
                "webhooks.allow_private", "expected true or false");
        assertEquals(2, p.line());
    }

    @Test
    void aBatchSizeOutOfRangeIsNamed() {
        assertProblem(fails("webhooks:\n  max_batch: 0\n"), "webhooks.max_batch");
    }

    @Test
    void aTimeoutOutOfRangeIsNamed() {
        assertProblem(fails("webhooks:\n  timeout: 10m\n"), "webhooks.timeout", "between 100ms and 2m");
    }

    @Test
    void aDurationThatIsNotOneIsNamed() {
        assertProblem(fails("webhooks:\n  retry_initial: soon\n"), "webhooks.retry_initial");
    }

    @Test
    void aMaxAgeBelowTheFirstRetryIsNamed() {
        assertProblem(fails("webhooks:\n  retry_initial: 1h\n  max_age: 30m\n"), "webhooks.max_age",
                "at least retry_initial");
    }

    @Test
    void anUnknownKeyIsNamed() {
        assertProblem(fails("webhooks:\n  max_bach: 5\n"), "webhooks.max_bach", "max_batch");
    }
}
