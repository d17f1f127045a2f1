package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.fails;
import static io.dlrgate.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** {@code send.default_country}: the country national-format numbers are read in when a send names none. */
class SendSectionTest {

    @Test
    void noDefaultCountryUnlessConfigured() {
        assertNull(load("").send().defaultCountry());
    }

    @Test
    void aCountryCodeIsReadInCapitals() {
        assertEquals("GB", load("send: {default_country: gb}\n").send().defaultCountry());
    }

    @Test
    void anythingElseIsNamedWithItsKey() {
        assertProblem(fails("send: {default_country: UK44}\n"), "send.default_country",
                "must be a two-letter ISO 3166 country code such as GB, got \"UK44\"");
    }
}
