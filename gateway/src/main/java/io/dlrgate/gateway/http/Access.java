package io.dlrgate.gateway.http;

import io.dlrgate.config.AuthConfig;
import io.dlrgate.config.Role;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is calling and what they may do. Credentials, first match wins:
 * <ul>
 *   <li>{@code Authorization: Bearer KEY}: the API key, acting as {@code admin};</li>
 *   <li>{@code Authorization: Basic base64(name:password)}: a user from {@code auth.users};</li>
 *   <li>the {@code dlrgate_session} cookie set by {@code POST /api/v1/login} (the web UI). A state-changing request
 *       on a cookie must also carry {@code X-Requested-With: dlrgate} (another site cannot add that header
 *       without a CORS preflight the gateway never grants), so the cookie alone cannot be ridden.</li>
 * </ul>
 * Missing or wrong credentials: 401; a role that does not include the one needed: 403. Both counted as
 * {@code dlrgate_http_access_denied_total{result="unauthorized"|"forbidden"}}. Secrets are compared in
 * constant time.
 */
final class Access {

    static final String COOKIE = "dlrgate_session";
    static final String PRINCIPAL = "dlrgate.principal";
    static final String CSRF_HEADER = "X-Requested-With";

    /** Who made a request. */
    record Principal(String name, Role role, boolean viaCookie) {
    }

    private record Session(String name, Role role, Instant expires) {
    }

    private final byte[] apiKey;
    private final AuthConfig auth;
    private final Clock clock;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Counter unauthorized;
    private final Counter forbidden;

    Access(String apiKey, AuthConfig auth, Clock clock, MeterRegistry registry) {
        this.apiKey = apiKey.getBytes(StandardCharsets.UTF_8);
        this.auth = auth;
        this.clock = clock;
        this.unauthorized = Counter.builder("dlrgate_http_access_denied").tag("result", "unauthorized")
                .description("HTTP requests refused for missing or wrong credentials").register(registry);
        this.forbidden = Counter.builder("dlrgate_http_access_denied").tag("result", "forbidden")
                .description("HTTP requests refused because the caller's role does not allow them").register(registry);
    }

    /** Authenticates every request it sees; refuses with 401 when there are no valid credentials. */
    Handler<RoutingContext> authenticate() {
        return ctx -> {
            Optional<Principal> p;
            try {
                p = identify(ctx);
            } catch (Denied d) {
                deny(ctx, d.getMessage());
                return;
            }
            if (p.isEmpty()) {
                deny(ctx, "missing credentials: send Authorization: Bearer <api key>, HTTP Basic, or log in");
                return;
            }
            if (p.get().viaCookie() && !isSafe(ctx) && !"dlrgate".equals(ctx.request().getHeader(CSRF_HEADER))) {
                forbidden.increment();
                ApiServer.json(ctx, 403, new JsonObject().put("error", "a request on the session cookie that changes "
                        + "something needs the header " + CSRF_HEADER + ": dlrgate"));
                return;
            }
            ctx.put(PRINCIPAL, p.get());
            ctx.next();
        };
    }

    /** Lets the request through only when its principal's role includes {@code needed}: 403 otherwise. */
    Handler<RoutingContext> require(Role needed) {
        return ctx -> {
            Principal p = ctx.get(PRINCIPAL);
            if (p == null) {
                deny(ctx, "missing credentials");
                return;
            }
            if (!p.role().includes(needed)) {
                forbidden.increment();
                ApiServer.json(ctx, 403, new JsonObject().put("error", "forbidden: this needs the role "
                        + needed.configName() + "; " + p.name() + " is " + p.role().configName()));
                return;
            }
            ctx.next();
        };
    }

    private static boolean isSafe(RoutingContext ctx) {
        String m = ctx.request().method().name();
        return m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS");
    }

    private static final class Denied extends RuntimeException {
        Denied(String why) {
            super(why, null, false, false);
        }
    }

    Optional<Principal> identify(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header != null) {
            if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
                if (!MessageDigest.isEqual(given, apiKey)) {
                    throw new Denied("wrong API key");
                }
                return Optional.of(new Principal("api-key", Role.ADMIN, false));
            }
            if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
                String decoded;
                try {
                    decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new Denied("malformed Basic credentials");
                }
                int colon = decoded.indexOf(':');
                if (colon < 0) {
                    throw new Denied("malformed Basic credentials");
                }
                return Optional.of(checkUser(decoded.substring(0, colon), decoded.substring(colon + 1))
                        .orElseThrow(() -> new Denied("wrong user name or password")));
            }
            throw new Denied("unsupported Authorization scheme: use Bearer or Basic");
        }
        Cookie cookie = ctx.request().getCookie(COOKIE);
        if (cookie != null) {
            Session s = sessions.get(cookie.getValue());
            if (s == null || s.expires().isBefore(clock.instant())) {
                if (s != null) {
                    sessions.remove(cookie.getValue());
                }
                throw new Denied("the session has expired or is unknown: log in again");
            }
            return Optional.of(new Principal(s.name(), s.role(), true));
        }
        return Optional.empty();
    }

    /** A configured user whose password matches, compared in constant time. */
    Optional<Principal> checkUser(String name, String password) {
        Optional<AuthConfig.User> u = auth.user(name);
        byte[] given = password.getBytes(StandardCharsets.UTF_8);
        // Compare against something even for unknown users, so timing does not tell which names exist.
        byte[] expected = u.map(x -> x.password().getBytes(StandardCharsets.UTF_8)).orElse(new byte[given.length + 1]);
        boolean ok = MessageDigest.isEqual(given, expected);
        return ok && u.isPresent() ? Optional.of(new Principal(u.get().name(), u.get().role(), false)) : Optional.empty();
    }

    /** {@code POST /api/v1/login {"name", "password"}}: sets the session cookie. */
    void login(RoutingContext ctx) {
        RequestReader in = RequestReader.of(ctx);
        String name = in.requiredString("name");
        String password = in.requiredString("password");
        Optional<Principal> p = checkUser(name, password);
        if (p.isEmpty()) {
            deny(ctx, "wrong user name or password");
            return;
        }
        byte[] b = new byte[32];
        random.nextBytes(b);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        sessions.entrySet().removeIf(e -> e.getValue().expires().isBefore(clock.instant()));
        sessions.put(token, new Session(p.get().name(), p.get().role(), clock.instant().plus(auth.sessionTtl())));
        ctx.response().addCookie(Cookie.cookie(COOKIE, token).setHttpOnly(true).setPath("/")
                .setSameSite(CookieSameSite.STRICT).setMaxAge(auth.sessionTtl().toSeconds())
                .setSecure(SecurityHeaders.overHttps(ctx)));
        ApiServer.json(ctx, 200, new JsonObject().put("name", p.get().name()).put("role", p.get().role().configName()));
    }

    /** {@code POST /api/v1/logout}: ends the cookie's session. */
    void logout(RoutingContext ctx) {
        Cookie cookie = ctx.request().getCookie(COOKIE);
        if (cookie != null) {
            sessions.remove(cookie.getValue());
        }
        ctx.response().addCookie(Cookie.cookie(COOKIE, "").setPath("/").setMaxAge(0));
        ApiServer.json(ctx, 200, new JsonObject().put("status", "logged out"));
    }

    private void deny(RoutingContext ctx, String why) {
        unauthorized.increment();
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(401)
                .putHeader("WWW-Authenticate", "Bearer realm=\"dlrgate\"")
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", why).encode());
    }

    /** For {@code /metrics} with {@code auth.metrics: authenticated}. */
    boolean authenticated(RoutingContext ctx) {
        try {
            return identify(ctx).isPresent();
        } catch (Denied d) {
            return false;
        }
    }

    void countUnauthorized() {
        unauthorized.increment();
    }
}
