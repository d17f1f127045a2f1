package io.dlrgate.reporting.state;

import static io.dlrgate.config.Tab.DELETED;
import static io.dlrgate.config.Tab.DELIVERED;
import static io.dlrgate.config.Tab.HARD_BOUNCES;
import static io.dlrgate.config.Tab.PENDING;
import static io.dlrgate.config.Tab.SOFT_BOUNCES;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The documented rule for a message of parts, first match wins. */
class PartsRuleTest {

    @Test
    void anyPermanentFailureIsAHardBounceEvenWhileOthersArePending() {
        assertEquals(HARD_BOUNCES, PartsRule.tabOf(List.of(DELIVERED, HARD_BOUNCES), 3));
        assertEquals(HARD_BOUNCES, PartsRule.tabOf(List.of(DELETED, SOFT_BOUNCES, HARD_BOUNCES), 3));
    }

    @Test
    void deletedBeatsExpiredAndPending() {
        assertEquals(DELETED, PartsRule.tabOf(List.of(SOFT_BOUNCES, DELETED, PENDING), 3));
    }

    @Test
    void expiredBeatsPending() {
        assertEquals(SOFT_BOUNCES, PartsRule.tabOf(List.of(SOFT_BOUNCES), 3));
    }

    @Test
    void pendingWhileAnyPartIsPendingOrUnknown() {
        assertEquals(PENDING, PartsRule.tabOf(List.of(DELIVERED, DELIVERED), 3));
        assertEquals(PENDING, PartsRule.tabOf(List.of(DELIVERED, PENDING, DELIVERED), 3));
        assertEquals(PENDING, PartsRule.tabOf(List.of(), 2));
    }

    @Test
    void deliveredOnlyWhenEveryPartIs() {
        assertEquals(DELIVERED, PartsRule.tabOf(List.of(DELIVERED, DELIVERED, DELIVERED), 3));
    }
}
