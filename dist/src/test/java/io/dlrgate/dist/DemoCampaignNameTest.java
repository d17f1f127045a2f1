package io.dlrgate.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Rerunning the demo adds a campaign whose name tells it apart from the last run's. */
class DemoCampaignNameTest {

    @Test
    void theNameCarriesWhenTheDemoRan() {
        Instant first = Instant.parse("2026-12-07T02:34:11.600Z");
        assertEquals("Winter sale (demo 2026-12-07 02:34:11 UTC)", DemoCommand.campaignName(first));
        assertNotEquals(DemoCommand.campaignName(first), DemoCommand.campaignName(first.plusSeconds(1)));
    }
}
