package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.carrier;
import static io.dlrgate.config.ConfigAssertions.fails;
import static io.dlrgate.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BadTimeZoneTest {

    @Test
    void misspelledRegionSuggestsTheRealOne() {
        ConfigException e = fails("carriers:\n" + carrier("alpha", "receipt_time_zone: Europe/Londn"));
        assertProblem(e, "carriers[0].receipt_time_zone", "unknown time zone \"Europe/Londn\"",
                "did you mean Europe/London?");
    }

    @Test
    void nonsenseZone() {
        ConfigException e = fails("carriers:\n" + carrier("alpha", "receipt_time_zone: Mars/Olympus_Mons_Base"));
        assertProblem(e, "carriers[0].receipt_time_zone", "unknown time zone \"Mars/Olympus_Mons_Base\"",
                "Europe/London");
    }

    @Test
    void regionsAndOffsetsLoad() {
        assertEquals(ZoneId.of("Asia/Kolkata"), load("carriers:\n" + carrier("a", "receipt_time_zone: Asia/Kolkata"))
                .carriers().get(0).receiptTimeZone());
        assertEquals(ZoneOffset.ofHours(2), load("carriers:\n" + carrier("a", "receipt_time_zone: \"+02:00\""))
                .carriers().get(0).receiptTimeZone());
    }
}
