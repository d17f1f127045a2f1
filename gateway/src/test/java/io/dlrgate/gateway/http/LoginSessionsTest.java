package io.dlrgate.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 6: login sessions live in PostgreSQL, hashed: a restart keeps them, every instance on the database
 * knows them, a logout anywhere ends them; per-user cap, sliding idle end, absolute end. The cost of a login at
 * 50,000 sessions is shown by {@code dlrgate bench logins}, not timed here.
 */
class LoginSessionsTest {

    static final String USERS = Logins.config("""
              session_ttl: 2h
              session_idle_timeout: 30m
              max_sessions_per_user: 2
            """);

    @Test
    void aRestartKeepsTheSessionAndTheStoreHoldsOnlyItsHash() throws Exception {
        GatewayHarness gw = GatewayHarness.start(USERS);
        try {
            String cookie = Logins.cookie(gw.baseUrl(), "ada", "admin-pass");
            String token = cookie.substring(cookie.indexOf('=') + 1);
            assertEquals(1, gw.count("select count(*) from login_sessions where token_hash = "
                    + "sha256(convert_to('" + token + "', 'UTF8'))"), "stored as the SHA-256 of the token");
            assertEquals(0, gw.count("select count(*) from login_sessions where encode(token_hash, 'escape') like '%"
                    + token + "%' or user_name like '%" + token + "%'"), "the token itself is nowhere");

            gw.gateway().close(); // a deploy: the process goes, the database stays
            try (Gateway again = Gateway.start(gw.gateway().config(), Clock.systemUTC())) {
                String base = "http://127.0.0.1:" + again.httpPort();
                assertEquals(200, Logins.me(base, cookie).statusCode(), "the session survived the restart");
            }
        } finally {
            gw.db().close();
        }
    }

    @Test
    void everyInstanceOnTheDatabaseKnowsTheSessionAndALogoutOnOneEndsItOnAll() throws Exception {
        try (GatewayHarness gw = GatewayHarness.start(USERS);
             Gateway second = Gateway.start(gw.gateway().config(), Clock.systemUTC())) {
            String other = "http://127.0.0.1:" + second.httpPort();
            String cookie = Logins.cookie(gw.baseUrl(), "vic", "viewer-pass");
            assertEquals(200, Logins.me(other, cookie).statusCode(), "made on one, valid on the other");
            assertEquals(200, Logins.logout(other, cookie).statusCode());
            assertEquals(401, Logins.me(gw.baseUrl(), cookie).statusCode(), "a logout on the other ends it here");
        }
    }

    @Test
    void aNewLoginBeyondThePerUserCapEndsTheOldest() throws Exception {
        try (GatewayHarness gw = GatewayHarness.start(USERS)) {
            String base = gw.baseUrl();
            String first = Logins.cookie(base, "ada", "admin-pass");
            String second = Logins.cookie(base, "ada", "admin-pass");
            String vic = Logins.cookie(base, "vic", "viewer-pass");
            String third = Logins.cookie(base, "ada", "admin-pass");
            assertEquals(401, Logins.me(base, first).statusCode(), "the oldest of ada's three");
            assertEquals(200, Logins.me(base, second).statusCode());
            assertEquals(200, Logins.me(base, third).statusCode());
            assertEquals(200, Logins.me(base, vic).statusCode(), "another user's session is not touched");
        }
    }

    @Test
    void aSessionEndsAfterThirtyIdleMinutesAndUseMovesThatEnd() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (GatewayHarness gw = GatewayHarness.start(USERS, "", clock)) {
            String base = gw.baseUrl();
            String cookie = Logins.cookie(base, "ada", "admin-pass");
            for (int i = 0; i < 3; i++) {
                clock.advance(Duration.ofMinutes(25));
                assertEquals(200, Logins.me(base, cookie).statusCode(), "used every 25 min: " + (i + 1));
            }
            clock.advance(Duration.ofMinutes(30));
            assertEquals(401, Logins.me(base, cookie).statusCode(), "30 min unused");

            String used = Logins.cookie(base, "ada", "admin-pass");
            for (int i = 0; i < 4; i++) {
                clock.advance(Duration.ofMinutes(29));
                assertEquals(200, Logins.me(base, used).statusCode(), "used every 29 min: " + (i + 1));
            }
            clock.advance(Duration.ofMinutes(5));
            assertEquals(401, Logins.me(base, used).statusCode(), "past auth.session_ttl (2h) however used");
        }
    }
}
