package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.fails;
import static io.dlrgate.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code expiry} section: values read as written, and each way of getting it wrong named at its key. */
class ExpirySectionTest {

    @Test
    void valuesAreRead() {
        ExpiryConfig e = load("expiry:\n  grace: 90s\n  sweep_interval: 250ms\n  batch_size: 100\n"
                + "  late_receipts: ignore\n").expiry();
        assertEquals(new ExpiryConfig(Duration.ofSeconds(90), Duration.ofMillis(250), 100,
                ExpiryConfig.LateReceipts.IGNORE), e);
    }

    @Test
    void lateReceiptsIsCaseInsensitiveAndDefaultsToDeliveredWins() {
        assertEquals(ExpiryConfig.LateReceipts.DELIVERED_WINS,
                load("expiry:\n  late_receipts: Delivered_Wins\n").expiry().lateReceipts());
        assertEquals(ExpiryConfig.LateReceipts.DELIVERED_WINS, load("expiry:\n  grace: 1m\n").expiry().lateReceipts());
        assertEquals(ExpiryConfig.defaults(), load("expiry:\n").expiry());
    }

    @Test
    void zeroGraceIsAllowedButNotNegative() {
        assertEquals(Duration.ZERO, load("expiry: {grace: 0s}\n").expiry().grace());
        assertProblem(fails("expiry: {grace: -PT1M}\n"), "expiry.grace", "must be a non-negative duration");
        assertProblem(fails("expiry: {grace: 8d}\n"), "expiry.grace", "must be at most 7d, got 8d");
    }

    @Test
    void sweepIntervalRange() {
        assertProblem(fails("expiry: {sweep_interval: 0s}\n"), "expiry.sweep_interval", "must be a positive duration");
        assertProblem(fails("expiry: {sweep_interval: 50ms}\n"), "expiry.sweep_interval",
                "must be between 100ms and 1h, got 50ms");
        assertProblem(fails("expiry: {sweep_interval: 2h}\n"), "expiry.sweep_interval",
                "must be between 100ms and 1h, got 2h");
        assertEquals(Duration.ofHours(1), load("expiry: {sweep_interval: 1h}\n").expiry().sweepInterval());
    }

    @Test
    void batchSizeRangeAndType() {
        assertProblem(fails("expiry: {batch_size: 0}\n"), "expiry.batch_size", "must be between 1 and 100000, got 0");
        assertProblem(fails("expiry: {batch_size: 100001}\n"), "expiry.batch_size",
                "must be between 1 and 100000, got 100001");
        assertProblem(fails("expiry: {batch_size: 2.5}\n"), "expiry.batch_size", "expected an integer");
    }

    @Test
    void unknownPolicyNamesTheChoices() {
        ConfigException e = fails("expiry:\n  late_receipts: ignored\n");
        assertEquals("dlrgate.yaml: expiry.late_receipts: unknown value \"ignored\" (did you mean ignore?); "
                + "expected one of delivered_wins, ignore (line 2)", e.getMessage());
    }

    @Test
    void badDurationAndUnknownKey() {
        assertProblem(fails("expiry: {grace: 5}\n"), "expiry.grace", "a duration needs a unit");
        assertProblem(fails("expiry: {sweep_intervall: 10s}\n"), "expiry.sweep_intervall",
                "unknown key (did you mean sweep_interval?)");
        assertProblem(fails("expiry: [grace]\n"), "expiry", "expected a mapping of keys");
    }

    @Test
    void shippedFileDocumentsTheSection() {
        assertEquals(ExpiryConfig.defaults(), ConfigLoader.loadDefault(Map.of()).expiry());
    }
}
