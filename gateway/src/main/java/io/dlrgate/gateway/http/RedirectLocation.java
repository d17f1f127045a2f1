package io.dlrgate.gateway.http;

import java.net.IDN;
import java.nio.charset.StandardCharsets;

/**
 * A tracked link's target as an HTTP {@code Location} value: RFC 3986 ASCII, with every character a URI may not
 * hold (non-ASCII, controls, space, {@code " < > \ ^ ` { | }}) percent-encoded as UTF-8 and an internationalised
 * host name in punycode. Why: HTTP header values are bytes, and Vert.x wrote a URL's non-ASCII characters as
 * Latin-1 or {@code ?}: {@code https://example.com/café-€} went to {@code …/caf\xE9-?}, where the {@code ?} even
 * started a query string. Existing {@code %XX} escapes and the URL's structure are kept as written.
 */
final class RedirectLocation {

    private static final String NOT_IN_URIS = " \"<>\\^`{|}";

    private RedirectLocation() {
    }

    static String of(String url) {
        int schemeEnd = url.indexOf("://");
        if (schemeEnd < 0) {
            return percentEncode(url);
        }
        int authorityStart = schemeEnd + 3;
        int authorityEnd = authorityStart;
        while (authorityEnd < url.length() && "/?#".indexOf(url.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        return percentEncode(url.substring(0, authorityStart))
                + asciiAuthority(url.substring(authorityStart, authorityEnd))
                + percentEncode(url.substring(authorityEnd));
    }

    /** {@code user@host:port} with the host in punycode (IDNA); a host IDNA refuses stays percent-encoded. */
    private static String asciiAuthority(String authority) {
        int at = authority.lastIndexOf('@');
        String userInfo = at < 0 ? "" : authority.substring(0, at + 1);
        String hostPort = authority.substring(at + 1);
        int colon = hostPort.startsWith("[") ? hostPort.indexOf(':', hostPort.indexOf(']')) : hostPort.lastIndexOf(':');
        String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        String port = colon < 0 ? "" : hostPort.substring(colon);
        String asciiHost;
        try {
            asciiHost = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            asciiHost = host;
        }
        return percentEncode(userInfo) + percentEncode(asciiHost) + percentEncode(port);
    }

    private static String percentEncode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (cp > 0x20 && cp < 0x7f && NOT_IN_URIS.indexOf(cp) < 0) {
                out.append((char) cp);
                return;
            }
            for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        });
        return out.toString();
    }
}
