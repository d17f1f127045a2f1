package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.carrier;
import static io.dlrgate.config.ConfigAssertions.fails;
import static io.dlrgate.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.yaml.Durations;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationParsingTest {

    @ParameterizedTest
    @CsvSource({
            "48h, PT48H",
            "10m, PT10M",
            "5ms, PT0.005S",
            "30s, PT30S",
            "2d, PT48H",
            "1h30m, PT1H30M",
            "1h 30m, PT1H30M",
            "250us, PT0.00025S",
            "7ns, PT0.000000007S",
            "PT48H, PT48H",
            "pt10s, PT10S",
            "P2D, PT48H",
            "P1DT12H, PT36H",
            "48H, PT48H",
            "0s, PT0S"})
    void parses(String text, String iso) {
        assertEquals(Duration.parse(iso), Durations.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "h", "10", "1.5h", "10 parsecs", "10y", "-5s", "5s10", "PTxyz", "99999999999999999999d"})
    void rejects(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertTrue(e.getMessage().length() > 10, e.getMessage());
    }

    @Test
    void bareNumberAsksForAUnit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("30"));
        assertEquals("a duration needs a unit: \"30\" (write e.g. 30s, 30ms, or PT30S)", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"PT48H, 2d", "PT10M, 10m", "PT0.005S, 5ms", "PT1H30M, 1h30m", "PT0S, 0s", "PT26H0.5S, 1d2h500ms",
            "PT0.0000015S, 1us500ns"})
    void formatsShortAndRoundTrips(String iso, String text) {
        Duration d = Duration.parse(iso);
        assertEquals(text, Durations.format(d));
        assertEquals(d, Durations.parse(Durations.format(d)));
    }

    @Test
    void configDurationsInBothForms() {
        GatewayConfig c = load("dispatch: {submit_timeout: PT15S, idle_poll: 50ms}\n"
                + "carriers:\n" + carrier("a", "default_validity: 1d12h"));
        assertEquals(Duration.ofSeconds(15), c.dispatch().submitTimeout());
        assertEquals(Duration.ofMillis(50), c.dispatch().idlePoll());
        assertEquals(Duration.ofHours(36), c.carriers().get(0).defaultValidity());
    }

    @Test
    void badDurationInTheFileNamesTheKey() {
        assertProblem(fails("smpp: {bind_timeout: 5}\n"), "smpp.bind_timeout", "a duration needs a unit: \"5\"");
        assertProblem(fails("receipts: {orphan_max_age: forever}\n"), "receipts.orphan_max_age",
                "not a duration: \"forever\"");
        assertProblem(fails("receipts: {max_batch_delay: [5ms]}\n"), "receipts.max_batch_delay",
                "expected a duration", "got a list");
    }
}
