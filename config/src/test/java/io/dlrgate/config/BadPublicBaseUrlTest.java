package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.fails;
import static io.dlrgate.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BadPublicBaseUrlTest {

    @Test
    void notHttp() {
        assertProblem(fails("http:\n  public_base_url: ftp://example.com\n"), "http.public_base_url",
                "must be an http:// or https:// URL");
    }

    @Test
    void withQuery() {
        assertProblem(fails("http:\n  public_base_url: https://example.com/?x=1\n"), "http.public_base_url",
                "must not have a query");
    }

    @Test
    void defaultAndTrailingSlash() {
        assertEquals("http://127.0.0.1:8080", load("").http().publicBaseUrl());
        assertEquals("https://go.example.com/s", load("http:\n  public_base_url: https://go.example.com/s/\n")
                .http().publicBaseUrl());
    }
}
