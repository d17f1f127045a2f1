package io.dlrgate.gateway.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where an endpoint's requests go, checked against server-side request forgery: {@code https} (plain {@code http}
 * only when allowed), and every address the host resolves to must be public unless private ones are allowed:
 * loopback, link-local, private (RFC 1918, IPv6 unique local), carrier-grade NAT, unspecified and multicast
 * addresses are refused. The request then goes to the address checked here (not to a second resolution, which a
 * hostile DNS server could answer differently).
 *
 * @param address the resolved address the request is sent to
 */
public record WebhookTarget(URI uri, boolean https, String host, int port, String requestUri, InetAddress address) {

    /** A URL or its target that may not be used, with why. */
    public static final class RefusedException extends Exception {
        public RefusedException(String message) {
            super(message);
        }
    }

    /** The URL's form alone (no resolution): scheme, host, no user info. */
    public static URI parse(String url, boolean allowHttp) throws RefusedException {
        if (url == null || url.isBlank()) {
            throw new RefusedException("is empty");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new RefusedException("is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && allowHttp)) {
            throw new RefusedException(scheme.equals("http")
                    ? "must be https (plain http only when webhooks.allow_http is on)" : "must be an https URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new RefusedException("has no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new RefusedException("must not carry a user name or password");
        }
        if (uri.getRawFragment() != null) {
            throw new RefusedException("must not have a #fragment");
        }
        return uri;
    }

    /** Parses, resolves (blocking: DNS) and checks every address the host has. */
    public static WebhookTarget resolve(String url, boolean allowHttp, boolean allowPrivate) throws RefusedException {
        URI uri = parse(url, allowHttp);
        String host = uri.getHost();
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(bare);
        } catch (UnknownHostException e) {
            throw new RefusedException("host " + bare + " does not resolve");
        }
        if (!allowPrivate) {
            for (InetAddress a : all) {
                String why = nonPublic(a);
                if (why != null) {
                    throw new RefusedException("host " + bare + " resolves to " + a.getHostAddress() + ", a " + why
                            + " address (allowed only when webhooks.allow_private is on)");
                }
            }
        }
        boolean https = uri.getScheme().equalsIgnoreCase("https");
        int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String requestUri = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        return new WebhookTarget(uri, https, bare, port, requestUri, all[0]);
    }

    /** Why an address is not a public one, or null when it is. */
    static String nonPublic(InetAddress a) {
        if (a.isLoopbackAddress()) {
            return "loopback";
        }
        if (a.isLinkLocalAddress()) {
            return "link-local";
        }
        if (a.isSiteLocalAddress()) {
            return "private";
        }
        if (a.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (a.isMulticastAddress()) {
            return "multicast";
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 100 && second >= 64 && second < 128) {
                return "carrier-grade NAT";
            }
            if (first == 0 || (first == 169 && second == 254) || first >= 240) {
                return "reserved";
            }
        } else if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return "private (unique local)";
            }
        }
        return null;
    }
}
