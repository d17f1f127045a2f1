package io.dlrgate.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Link targets become RFC 3986 ASCII for the Location header; what is already ASCII stays as written. */
class RedirectLocationTest {

    @Test
    void nonAsciiIsPercentEncodedAsUtf8() {
        assertEquals("https://example.com/caf%C3%A9-%E2%82%AC", RedirectLocation.of("https://example.com/café-€"));
        assertEquals("https://example.com/a?q=%F0%9F%98%80#x%C3%A9", RedirectLocation.of("https://example.com/a?q=😀#xé"));
    }

    @Test
    void internationalHostsBecomePunycodeKeepingUserInfoAndPort() {
        assertEquals("https://xn--bcher-kva.example/", RedirectLocation.of("https://bücher.example/"));
        assertEquals("http://ana@xn--mnchen-3ya.example:8080/x", RedirectLocation.of("http://ana@münchen.example:8080/x"));
        assertEquals("https://xn--bcher-kva.example", RedirectLocation.of("https://bücher.example"));
    }

    @Test
    void asciiUrlsAndExistingEscapesAreUnchanged() {
        String url = "https://shop.example.com/spring?utm=sms&x=%20y#top";
        assertEquals(url, RedirectLocation.of(url));
        assertEquals("http://[::1]:8080/p", RedirectLocation.of("http://[::1]:8080/p"));
    }

    @Test
    void charactersAUriCannotHoldAreEscaped() {
        assertEquals("https://example.com/a%7Cb%5Ec%60d%7Be%7D", RedirectLocation.of("https://example.com/a|b^c`d{e}"));
    }
}
