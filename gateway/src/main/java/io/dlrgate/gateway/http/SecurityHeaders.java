package io.dlrgate.gateway.http;

import io.dlrgate.config.HttpConfig;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Browser protections on every response, UI and API alike: the UI's own files are the only scripts, styles and
 * images a page may use, no other site may frame it (clickjacking), no URL leaks to another site in a Referer, and
 * nothing is sniffed into a type it was not sent as. Also decides whether the session cookie must be
 * {@code Secure} (see {@link #overHttps}).
 */
final class SecurityHeaders implements Handler<RoutingContext> {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
            + "form-action 'self'";
    private static final String OVER_HTTPS = "dlrgate.overHttps";

    private final boolean publicBaseUrlIsHttps;

    SecurityHeaders(HttpConfig config) {
        this.publicBaseUrlIsHttps = config.publicBaseUrlIsHttps();
    }

    @Override
    public void handle(RoutingContext ctx) {
        ctx.response().headers()
                .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .set("Referrer-Policy", "no-referrer")
                .set("X-Content-Type-Options", "nosniff")
                .set("X-Frame-Options", "DENY"); // frame-ancestors for browsers without CSP level 2
        // X-Forwarded-Proto is trusted here only to add a restriction: a client claiming https gets a cookie it
        // can then only send over https.
        ctx.put(OVER_HTTPS, publicBaseUrlIsHttps || ctx.request().isSSL()
                || "https".equalsIgnoreCase(ctx.request().getHeader("X-Forwarded-Proto")));
        ctx.next();
    }

    /**
     * Whether cookies set in this response must be {@code Secure}: the request came over HTTPS (directly or through
     * a proxy that says so), or {@code http.public_base_url} is https (users reach the gateway through TLS).
     */
    static boolean overHttps(RoutingContext ctx) {
        return Boolean.TRUE.equals(ctx.get(OVER_HTTPS));
    }
}
