package io.dlrgate.gateway.http;

import io.dlrgate.gateway.logging.LogRateLimit;
import io.dlrgate.reporting.session.LoginSessionStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Web UI login sessions for the event loop: every store call runs on Vert.x's worker pool and completes a
 * {@link Future} back on the caller's event loop. The cookie carries a random 256-bit token; the store knows only
 * its SHA-256, so nothing in the database logs anyone in. Several instances may share the database: a session made
 * on one is valid on all, and nothing is cached here, so a logout anywhere holds everywhere at the next request.
 *
 * <p>Also ends what hangs on a session: live-event streams close at logout here at once, and within
 * {@link #STREAM_CHECK_INTERVAL} when the session ended otherwise (expiry, the per-user cap, a logout on another
 * instance). Ended sessions are purged from the store every {@link #PURGE_INTERVAL} in bounded batches.
 */
final class LoginSessions implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LoginSessions.class);
    static final Duration STREAM_CHECK_INTERVAL = Duration.ofSeconds(5);
    static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);
    private static final int PURGE_BATCH = 1000;
    private static final int PURGE_MAX_BATCHES = 10;
    /** What {@link #newToken()} makes: 32 bytes, base64url without padding. Anything else is not looked up. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final Vertx vertx;
    private final LoginSessionStore store;
    private final SessionStreams streams = new SessionStreams();
    private final SecureRandom random = new SecureRandom();
    private final LogRateLimit failureLines = new LogRateLimit();
    private long purgeTimer = -1;
    private long checkTimer = -1;

    LoginSessions(Vertx vertx, LoginSessionStore store) {
        this.vertx = vertx;
        this.store = store;
    }

    SessionStreams streams() {
        return streams;
    }

    /** Starts the purge and the streams' check. */
    void start() {
        purgeTimer = vertx.setPeriodic(PURGE_INTERVAL.toMillis(), t -> purge());
        checkTimer = vertx.setPeriodic(STREAM_CHECK_INTERVAL.toMillis(), t -> checkStreams());
    }

    /** A new session of {@code userName}: its token, for the cookie. The user's sessions beyond the cap end. */
    Future<String> create(String userName) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        return vertx.executeBlocking(() -> store.create(hash(token), userName), false).map(dropped -> {
            streams.closeAll(dropped);
            return token;
        });
    }

    /** The live session of a cookie's token, its idle end moved on; empty for an unknown, ended or malformed one. */
    Future<Optional<LoginSessionStore.Session>> find(String token) {
        if (!TOKEN.matcher(token).matches()) {
            return Future.succeededFuture(Optional.empty());
        }
        return vertx.executeBlocking(() -> store.find(hash(token)), false);
    }

    /** Ends the session of a cookie's token and closes its live streams. */
    Future<Void> end(String token) {
        if (!TOKEN.matcher(token).matches()) {
            return Future.succeededFuture();
        }
        String h = hash(token);
        return vertx.executeBlocking(() -> store.delete(h), false).map(deleted -> {
            streams.closeAll(List.of(h));
            return null;
        });
    }

    private void purge() {
        vertx.executeBlocking(() -> store.purge(PURGE_BATCH, PURGE_MAX_BATCHES), false)
                .onFailure(e -> failureLines.warn(log, "login session purge failed, tried again in {}: {}",
                        PURGE_INTERVAL, e.toString()));
    }

    private void checkStreams() {
        Set<String> open = streams.sessions();
        if (open.isEmpty()) {
            return;
        }
        vertx.executeBlocking(() -> store.live(open), false)
                .onSuccess(live -> streams.retainOnly(open, live))
                .onFailure(e -> failureLines.warn(log, "could not check the sessions of live streams, tried again "
                        + "in {}: {}", STREAM_CHECK_INTERVAL, e.toString()));
    }

    /** SHA-256 of the token, 64 hex digits: what the store knows a session by. */
    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public void close() {
        vertx.cancelTimer(purgeTimer);
        vertx.cancelTimer(checkTimer);
    }
}
