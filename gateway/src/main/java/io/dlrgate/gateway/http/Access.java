package io.dlrgate.gateway.http;

import io.dlrgate.config.AuthConfig;
import io.dlrgate.config.Role;
import io.dlrgate.gateway.logging.LogRateLimit;
import io.dlrgate.reporting.session.LoginSessionStore;
import io.dlrgate.reporting.user.UserStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is calling and what they may do. Credentials, first match wins:
 * <ul>
 *   <li>{@code Authorization: Bearer KEY}: the API key, acting as {@code admin};</li>
 *   <li>{@code Authorization: Basic base64(name:password)}: a user from {@code auth.users}, else {@code admin} with
 *       the API key as password ({@link #API_KEY_USER}), else a user kept in the store ({@link UserStore}: its
 *       slow hash is checked on a worker);</li>
 *   <li>the {@code dlrgate_session} cookie set by {@code POST /api/v1/login} (the web UI). A state-changing request
 *       on a cookie must also carry {@code X-Requested-With: dlrgate} (another site cannot add that header
 *       without a CORS preflight the gateway never grants), so the cookie alone cannot be ridden.</li>
 * </ul>
 * Missing or wrong credentials: 401; a role that does not include the one needed: 403. Both counted as
 * {@code dlrgate_http_access_denied_total{result="unauthorized"|"forbidden"}}. Secrets are compared in
 * constant time. A wrong password or key is answered late and an address that keeps guessing is locked out
 * ({@link LoginThrottle}); sessions live in the store ({@link LoginSessions}). Nothing here blocks the event loop.
 */
final class Access {

    private static final Logger log = LoggerFactory.getLogger(Access.class);
    private static final LogRateLimit OUTAGE_LINES = new LogRateLimit();
    static final String COOKIE = "dlrgate_session";
    static final String PRINCIPAL = "dlrgate.principal";
    static final String CSRF_HEADER = "X-Requested-With";
    /**
     * The user name the API key logs in as (web UI or Basic), with the role admin: whoever holds the key can always
     * get into the UI, even with no user configured. A configured user of that name is tried first.
     */
    static final String API_KEY_USER = "admin";

    /**
     * Who made a request.
     *
     * @param sessionHash the login session it came on (its token's hash), or null for an API key or HTTP Basic
     */
    record Principal(String name, Role role, String sessionHash) {
        boolean viaCookie() {
            return sessionHash != null;
        }
    }

    private final byte[] apiKey;
    private final AuthConfig auth;
    private final LoginThrottle throttle;
    private final LoginSessions sessions;
    private final Vertx vertx;
    private final UserStore users;
    private final Semaphore storeChecks = new Semaphore(STORE_CHECKS);
    private final Counter unauthorized;
    private final Counter forbidden;

    Access(Vertx vertx, String apiKey, AuthConfig auth, LoginSessionStore store, UserStore users, Clock clock,
           MeterRegistry registry) {
        this.vertx = vertx;
        this.users = users;
        this.apiKey = apiKey.getBytes(StandardCharsets.UTF_8);
        this.auth = auth;
        this.throttle = new LoginThrottle(vertx, auth.loginFailures(), clock, registry);
        this.sessions = new LoginSessions(vertx, store);
        this.unauthorized = Counter.builder("dlrgate_http_access_denied").tag("result", "unauthorized")
                .description("HTTP requests refused for missing or wrong credentials").register(registry);
        this.forbidden = Counter.builder("dlrgate_http_access_denied").tag("result", "forbidden")
                .description("HTTP requests refused because the caller's role does not allow them").register(registry);
    }

    LoginSessions sessions() {
        return sessions;
    }

    /** Authenticates every request it sees; refuses with 401 when there are no valid credentials. */
    Handler<RoutingContext> authenticate() {
        return ctx -> identify(ctx, p -> {
            if (p.viaCookie() && !isSafe(ctx) && !"dlrgate".equals(ctx.request().getHeader(CSRF_HEADER))) {
                forbidden.increment();
                ApiServer.json(ctx, 403, new JsonObject().put("error", "a request on the session cookie that changes "
                        + "something needs the header " + CSRF_HEADER + ": dlrgate"));
                return;
            }
            ctx.put(PRINCIPAL, p);
            ctx.next();
        });
    }

    /** {@code /metrics} as {@code auth.metrics} says: anyone, any credentials, or nobody (404). */
    Handler<RoutingContext> metricsAccess() {
        return ctx -> {
            switch (auth.metrics()) {
                case OFF -> ctx.response().setStatusCode(404).end();
                case AUTHENTICATED -> identify(ctx, p -> ctx.next());
                default -> ctx.next();
            }
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

    /** Finds the request's principal and hands it to {@code then}, or answers 401/429/503 itself. */
    private void identify(RoutingContext ctx, Handler<Principal> then) {
        String header = ctx.request().getHeader("Authorization");
        if (header != null) {
            identifyByHeader(ctx, header, then);
            return;
        }
        Cookie cookie = ctx.request().getCookie(COOKIE);
        if (cookie == null) {
            deny(ctx, "missing credentials: send Authorization: Bearer <api key>, HTTP Basic, or log in");
            return;
        }
        // The lookup is a query on a worker: hold the body back until a handler is there to take it.
        boolean paused = !ctx.request().isEnded();
        if (paused) {
            ctx.request().pause();
        }
        sessions.find(cookie.getValue()).compose(found -> found.isEmpty() ? Future.succeededFuture(Optional.<Principal>empty())
                : roleOf(found.get().userName()).map(role -> role.map(r -> new Principal(found.get().userName(), r,
                        found.get().tokenHash())))).onComplete(looked -> {
            if (paused) {
                ctx.request().resume();
            }
            if (looked.failed()) {
                unavailable(ctx, looked.cause());
                return;
            }
            Optional<Principal> p = looked.result();
            if (p.isEmpty()) {
                deny(ctx, "the session has expired or is unknown: log in again");
                return;
            }
            then.handle(p.get());
        });
    }

    private void identifyByHeader(RoutingContext ctx, String header, Handler<Principal> then) {
        boolean bearer = header.regionMatches(true, 0, "Bearer ", 0, 7);
        boolean basic = header.regionMatches(true, 0, "Basic ", 0, 6);
        String via = bearer ? "bearer" : "basic";
        if (!bearer && !basic) {
            throttle.failed(ctx, "authorization", null, LoginThrottle.Reason.MALFORMED,
                    () -> deny(ctx, "unsupported Authorization scheme: use Bearer or Basic"));
            return;
        }
        if (throttle.refuseIfLockedOut(ctx, via)) {
            return;
        }
        if (bearer) {
            byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
            if (!MessageDigest.isEqual(given, apiKey)) {
                throttle.failed(ctx, via, null, LoginThrottle.Reason.API_KEY, () -> deny(ctx, "wrong API key"));
                return;
            }
            throttle.succeeded(ctx, null);
            then.handle(new Principal("api-key", Role.ADMIN, null));
            return;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            decoded = "";
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throttle.failed(ctx, via, null, LoginThrottle.Reason.MALFORMED,
                    () -> deny(ctx, "malformed Basic credentials"));
            return;
        }
        String name = decoded.substring(0, colon);
        boolean paused = !ctx.request().isEnded();
        if (paused) {
            ctx.request().pause();
        }
        checkUser(name, decoded.substring(colon + 1)).onComplete(checked -> {
            if (paused) {
                ctx.request().resume();
            }
            if (checked.failed()) {
                unavailable(ctx, checked.cause());
                return;
            }
            if (checked.result().isEmpty()) {
                throttle.failed(ctx, via, name, LoginThrottle.Reason.CREDENTIALS,
                        () -> deny(ctx, "wrong user name or password"));
                return;
            }
            throttle.succeeded(ctx, name);
            then.handle(checked.result().get());
        });
    }

    /**
     * A configured user whose password matches, else {@link #API_KEY_USER} with the API key (both compared in
     * constant time), else a stored user whose password matches (on a worker: a query and a slow hash).
     */
    private Future<Optional<Principal>> checkUser(String name, String password) {
        Optional<Principal> configured = checkConfigured(name, password);
        if (configured.isPresent()) {
            return Future.succeededFuture(configured);
        }
        // A configured name with a wrong password still pays for a store lookup and a slow hash, whose answer is
        // thrown away (the configured user wins). Answering it at once would tell a guesser, by timing, which names
        // are configured: the one kind of name not worth guessing further was the quickest to refuse.
        boolean configuredName = auth.user(name).isPresent();
        // A stored password costs a slow hash on a worker, and a failure is only recorded once that hash is done:
        // without a bound, a burst of parallel guesses would all be checked before the lockout could start, and
        // would queue unbounded hashing on the workers the session lookups need. At most STORE_CHECKS run at once;
        // beyond that the request is told to come back (429), which counts as nothing and guesses nothing.
        if (!storeChecks.tryAcquire()) {
            return Future.failedFuture(new ChecksBusy());
        }
        return vertx.executeBlocking(() -> users.check(name, password), false)
                .map(role -> configuredName ? Optional.<Role>empty() : role)
                .map(role -> role.map(r -> new Principal(name, r, null)))
                .onComplete(done -> storeChecks.release());
    }

    /** Stored-password checks under way at once, for all addresses together. */
    static final int STORE_CHECKS = 4;

    /** Too many stored-password checks under way: answered 429, not counted as a failure. */
    static final class ChecksBusy extends RuntimeException {
        ChecksBusy() {
            super("too many logins are being checked at once", null, false, false);
        }
    }

    private Optional<Principal> checkConfigured(String name, String password) {
        Optional<AuthConfig.User> u = auth.user(name);
        byte[] given = password.getBytes(StandardCharsets.UTF_8);
        // Compare against something even for unknown users, so timing does not tell which names exist.
        byte[] expected = u.map(x -> x.password().getBytes(StandardCharsets.UTF_8)).orElse(new byte[given.length + 1]);
        boolean ok = MessageDigest.isEqual(given, expected);
        if (ok && u.isPresent()) {
            return Optional.of(new Principal(u.get().name(), u.get().role(), null));
        }
        if (API_KEY_USER.equals(name) && MessageDigest.isEqual(given, apiKey)) {
            return Optional.of(new Principal(API_KEY_USER, Role.ADMIN, null));
        }
        return Optional.empty();
    }

    /**
     * The role of a logged-in user name: a configured user's, admin for {@link #API_KEY_USER}, else a stored
     * user's (a query on a worker); empty if the user is gone.
     */
    private Future<Optional<Role>> roleOf(String userName) {
        Optional<Role> configured = auth.user(userName).map(AuthConfig.User::role);
        if (configured.isPresent()) {
            return Future.succeededFuture(configured);
        }
        // The store before the API key's name: a stored user called admin (user add refuses the name, but a store
        // may predate that) keeps its own role on the cookie, never gains admin from the name alone.
        Future<Optional<Role>> stored = vertx.executeBlocking(() -> users.role(userName), false);
        return API_KEY_USER.equals(userName)
                ? stored.map(r -> r.isPresent() ? r : Optional.of(Role.ADMIN))
                : stored;
    }

    /** {@code POST /api/v1/login {"name", "password"}}: sets the session cookie. */
    void login(RoutingContext ctx) {
        if (throttle.refuseIfLockedOut(ctx, "login")) {
            return;
        }
        RequestReader in = RequestReader.of(ctx);
        String name = in.requiredString("name");
        String password = in.requiredString("password");
        checkUser(name, password).onComplete(checked -> {
            if (checked.failed()) {
                unavailable(ctx, checked.cause());
                return;
            }
            if (checked.result().isEmpty()) {
                throttle.failed(ctx, "login", name, LoginThrottle.Reason.CREDENTIALS,
                        () -> deny(ctx, "wrong user name or password"));
                return;
            }
            throttle.succeeded(ctx, name);
            startSession(ctx, checked.result().get());
        });
    }

    private void startSession(RoutingContext ctx, Principal who) {
        sessions.create(who.name()).onComplete(created -> {
            if (created.failed()) {
                unavailable(ctx, created.cause());
                return;
            }
            // Max-Age is the absolute end; the idle end is the store's to enforce (a cookie cannot slide).
            ctx.response().addCookie(Cookie.cookie(COOKIE, created.result()).setHttpOnly(true).setPath("/")
                    .setSameSite(CookieSameSite.STRICT).setMaxAge(auth.sessionTtl().toSeconds())
                    .setSecure(SecurityHeaders.overHttps(ctx)));
            ApiServer.json(ctx, 200, new JsonObject().put("name", who.name()).put("role", who.role().configName()));
        });
    }

    /** {@code POST /api/v1/logout}: ends the cookie's session and closes its live streams. */
    void logout(RoutingContext ctx) {
        Cookie cookie = ctx.request().getCookie(COOKIE);
        (cookie == null ? Future.<Void>succeededFuture() : sessions.end(cookie.getValue()))
                .onComplete(ended -> {
                    if (ended.failed()) {
                        unavailable(ctx, ended.cause());
                        return;
                    }
                    ctx.response().addCookie(Cookie.cookie(COOKIE, "").setPath("/").setMaxAge(0));
                    ApiServer.json(ctx, 200, new JsonObject().put("status", "logged out"));
                });
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

    /** The session store could not answer (database down): 503, the reason class only. */
    private static void unavailable(RoutingContext ctx, Throwable e) {
        if (e instanceof ChecksBusy) {
            ctx.response().putHeader("Retry-After", "1");
            ApiServer.json(ctx, 429, new JsonObject().put("error", e.getMessage() + "; try again in a second")
                    .put("retryAfterSeconds", 1));
            return;
        }
        OUTAGE_LINES.warn(log, "{} {}: login sessions unavailable: {}", ctx.request().method(), ctx.request().path(), e.toString());
        ApiServer.json(ctx, 503, new JsonObject().put("error", "login sessions are unavailable; try again later")
                .put("reason", e.getClass().getSimpleName()));
    }
}
