package io.dlrgate.gateway.http;

import io.dlrgate.config.FailureLimits;
import io.dlrgate.gateway.logging.LogRateLimit;
import io.dlrgate.gateway.security.FailureThrottle;
import io.dlrgate.reporting.logging.LogText;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of {@link FailureThrottle} for {@code POST /api/v1/login}, HTTP Basic and API keys: a failed
 * credential is answered only after a delay that grows per (source address, user name), and an address with
 * {@code auth.login_failures.limit} failures within the window gets 429 with {@code Retry-After} until its lockout
 * ends, whatever it sends. The delay is a Vert.x timer: the event loop never waits.
 *
 * <p>Every failure is counted ({@code dlrgate_http_login_failures_total{reason}}) and logged at INFO with the address
 * and the user name (escaped, cut), at most {@link LogRateLimit#DEFAULT_LINES} lines per window; a lockout is logged
 * once when it starts. The source address is the TCP peer: behind a reverse proxy every client shares the proxy's
 * address (see docs/reference/security.md).
 */
final class LoginThrottle {

    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);
    /** A user name in a log line: enough to recognise it, not enough to flood. */
    private static final int LOGGED_NAME_CHARS = 64;

    /** Why a credential was refused: a bounded label. */
    enum Reason {
        /** wrong user name or password (one reason for both, so /metrics does not tell which names exist) */
        CREDENTIALS("credentials"),
        API_KEY("api_key"),
        /** an Authorization header that is not Basic or Bearer, or Basic that is not base64 of name:password */
        MALFORMED("malformed"),
        LOCKED_OUT("locked_out");

        final String label;

        Reason(String label) {
            this.label = label;
        }
    }

    private final Vertx vertx;
    private final FailureLimits limits;
    private final FailureThrottle throttle;
    private final Map<Reason, Counter> failures = new EnumMap<>(Reason.class);
    private final Counter lockouts;
    private final LogRateLimit failureLines = new LogRateLimit();
    private final LogRateLimit lockoutLines = new LogRateLimit();

    LoginThrottle(Vertx vertx, FailureLimits limits, Clock clock, MeterRegistry registry) {
        this.vertx = vertx;
        this.limits = limits;
        this.throttle = new FailureThrottle(FailureThrottle.Policy.of(limits.limit(), limits.window(),
                limits.lockout()), clock);
        for (Reason r : Reason.values()) {
            failures.put(r, Counter.builder("dlrgate_http_login_failures").tag("reason", r.label)
                    .description("Refused logins, HTTP Basic credentials and API keys, by reason").register(registry));
        }
        this.lockouts = Counter.builder("dlrgate_http_login_lockouts")
                .description("Source addresses locked out of logging in for too many failures").register(registry);
    }

    /**
     * Answers 429 with {@code Retry-After} when the request's address is locked out, without looking at its
     * credentials.
     *
     * @return true when it answered (the caller stops)
     */
    boolean refuseIfLockedOut(RoutingContext ctx, String via) {
        Duration locked = throttle.lockedFor(address(ctx));
        if (locked.isZero()) {
            return false;
        }
        failures.get(Reason.LOCKED_OUT).increment();
        failureLines.info(log, "{} refused from {}: locked out for {} s more", via, address(ctx), seconds(locked));
        ctx.response().putHeader("Retry-After", String.valueOf(seconds(locked)));
        ApiServer.json(ctx, 429, new JsonObject().put("error", "too many failed logins from this address: try again "
                + "in " + seconds(locked) + " s").put("retryAfterSeconds", seconds(locked)));
        return true;
    }

    /**
     * Records a refused credential, logs and counts it, and runs {@code answer} (on this event loop) once the delay
     * is over; a malformed header is answered at once (it guesses nothing).
     *
     * @param via  what was tried: "login", "basic", "bearer" (for the log line)
     * @param user the user name given (null for an API key)
     */
    void failed(RoutingContext ctx, String via, String user, Reason reason, Runnable answer) {
        failures.get(reason).increment();
        String address = address(ctx);
        if (reason == Reason.MALFORMED) {
            failureLines.info(log, "{} refused from {}: malformed credentials", via, address);
            answer.run();
            return;
        }
        String key = user == null ? "(api key)" : user;
        FailureThrottle.Failure f = throttle.recordFailure(address, key);
        failureLines.info(log, "{} refused from {} as {}: {}; answered after {} ms", via, address, logged(key),
                reason.label, f.delay().toMillis());
        if (f.lockoutStarted()) {
            lockouts.increment();
            lockoutLines.info(log, "locked out {} for {} s after {} failed logins within {} s", address,
                    limits.lockout().toSeconds(), limits.limit(), limits.window().toSeconds());
        }
        vertx.setTimer(Math.max(1, f.delay().toMillis()), t -> {
            if (!ctx.response().closed()) {
                answer.run();
            }
        });
    }

    /** Forgets the address's failures and the delay of this user from it. */
    void succeeded(RoutingContext ctx, String user) {
        throttle.recordSuccess(address(ctx), user == null ? "(api key)" : user);
    }

    static String address(RoutingContext ctx) {
        var a = ctx.request().remoteAddress();
        return a == null ? "unknown" : a.hostAddress();
    }

    /** Quoted, control characters escaped as in every log line, cut: a user name is whatever the client sent. */
    private static String logged(String user) {
        return '"' + LogText.escape(user.length() > LOGGED_NAME_CHARS ? user.substring(0, LOGGED_NAME_CHARS) + "..." : user)
                + '"';
    }

    private static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }
}
