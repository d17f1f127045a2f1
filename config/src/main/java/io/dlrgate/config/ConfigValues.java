package io.dlrgate.config;

import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * Parsers and checks of single values, with messages fit for users; shared by the file's sections and the
 * environment overrides. Each throws IllegalArgumentException saying what is wrong.
 */
final class ConfigValues {
    private static final Pattern HOST_NAME = Pattern.compile(
            "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern HEX = Pattern.compile("[+-]?0[xX][0-9a-fA-F]+");

    private ConfigValues() {
    }

    static int parseInteger(String text, long min, long max) {
        BigInteger v;
        String t = text.trim();
        if (DECIMAL.matcher(t).matches()) {
            v = new BigInteger(t);
        } else if (HEX.matcher(t).matches()) {
            boolean neg = t.startsWith("-");
            String digits = t.replaceFirst("^[+-]?0[xX]", "");
            v = new BigInteger(digits, 16);
            if (neg) {
                v = v.negate();
            }
        } else {
            throw new IllegalArgumentException("expected an integer, got \"" + text + "\"");
        }
        if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new IllegalArgumentException("must be between " + min + " and " + max + ", got " + t);
        }
        return v.intValueExact();
    }

    static String checkHost(String text) {
        String h = text.trim();
        if (h.isEmpty()) {
            throw new IllegalArgumentException("must not be blank (use 127.0.0.1, 0.0.0.0, :: or a host name)");
        }
        if (IpAllowList.parseAddress(h) != null) {
            return h;
        }
        boolean looksNumeric = h.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
        if (looksNumeric || h.indexOf(':') >= 0 || !HOST_NAME.matcher(h).matches() || h.length() > 253) {
            throw new IllegalArgumentException("not an IP address or host name: \"" + text + "\"");
        }
        return h;
    }

    static void checkJdbcUrl(String url) {
        if (!url.startsWith("jdbc:postgresql:") || url.length() <= "jdbc:postgresql:".length()) {
            // The URL may hold credentials: do not echo it.
            throw new IllegalArgumentException(
                    "must be a PostgreSQL JDBC URL such as jdbc:postgresql://localhost:5432/dlrgate");
        }
    }

    /** Why a public base URL is unusable, or null: http(s), a host, no query or fragment. */
    static String checkBaseUrl(String url) {
        try {
            URI u = new URI(url);
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                return "must be an http:// or https:// URL, got \"" + url + "\"";
            }
            if (u.getHost() == null || u.getHost().isEmpty()) {
                return "must name a host, got \"" + url + "\"";
            }
            if (u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
                return "must not have a query, fragment or user info, got \"" + url + "\"";
            }
            return null;
        } catch (URISyntaxException e) {
            return "not a URL: " + e.getMessage();
        }
    }
}
