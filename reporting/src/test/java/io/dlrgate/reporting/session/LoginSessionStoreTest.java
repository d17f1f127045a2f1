package io.dlrgate.reporting.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.AuthConfig;
import io.dlrgate.config.FailureLimits;
import io.dlrgate.reporting.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Login sessions on a real PostgreSQL: caps, both ends, the purge. Time moves by giving each step its own store. */
class LoginSessionStoreTest {

    static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");
    static final AuthConfig AUTH = new AuthConfig(List.of(), AuthConfig.MetricsAccess.PUBLIC, Duration.ofHours(12),
            Duration.ofMinutes(30), 3, 5, FailureLimits.DEFAULT);
    static final AtomicLong TOKENS = new AtomicLong();

    // One database for the class (creating one costs seconds); each test uses user names of its own, and the purge
    // test, which counts every row, has a database of its own.
    static TestDatabase db;

    @BeforeAll
    static void up() {
        db = TestDatabase.create();
    }

    @AfterAll
    static void down() {
        db.close();
    }

    static LoginSessionStore at(Instant now) {
        return at(db, now);
    }

    static LoginSessionStore at(TestDatabase in, Instant now) {
        return new LoginSessionStore(in.database().dataSource(), Clock.fixed(now, ZoneOffset.UTC), AUTH);
    }

    static String token() {
        byte[] b = new byte[32];
        long n = TOKENS.incrementAndGet();
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (n >>> (8 * i));
        }
        return HexFormat.of().formatHex(b);
    }

    @Test
    void aSessionIsFoundByItsHashUntilDeleted() throws Exception {
        String t = token();
        assertEquals(List.of(), at(T0).create(t, "ada"));
        LoginSessionStore.Session s = at(T0.plusSeconds(5)).find(t).orElseThrow();
        assertEquals("ada", s.userName());
        assertEquals(T0.plus(Duration.ofHours(12)), s.expiresAt());
        assertTrue(at(T0).find(token()).isEmpty(), "an unknown hash");
        assertTrue(at(T0).delete(t));
        assertFalse(at(T0).delete(t));
        assertTrue(at(T0).find(t).isEmpty());
    }

    @Test
    void theUsersOldestSessionsGoBeyondThePerUserCap() throws Exception {
        String[] t = new String[5];
        for (int i = 0; i < 5; i++) {
            t[i] = token();
            List<String> dropped = at(T0.plusSeconds(i)).create(t[i], "cap");
            assertEquals(i < 3 ? List.of() : List.of(t[i - 3]), dropped, "login " + (i + 1));
        }
        at(T0).create(token(), "bob");
        for (int i = 0; i < 5; i++) {
            assertEquals(i >= 2, at(T0.plusSeconds(10)).find(t[i]).isPresent(), "session " + (i + 1));
        }
        assertEquals(1, db.count("select count(*) from login_sessions where user_name = 'bob'"), "bob keeps his");
    }

    @Test
    void aSessionEndsAtItsAbsoluteEndEvenWhenUsed() throws Exception {
        String t = token();
        at(T0).create(t, "abe");
        Instant now = T0;
        while (now.plus(Duration.ofMinutes(20)).isBefore(T0.plus(Duration.ofHours(12)))) {
            now = now.plus(Duration.ofMinutes(20));
            assertTrue(at(now).find(t).isPresent(), "used every 20 min, at " + now);
        }
        assertTrue(at(T0.plus(Duration.ofHours(12))).find(t).isEmpty());
    }

    @Test
    void theIdleEndSlidesWithUse() throws Exception {
        String t = token();
        at(T0).create(t, "ida");
        assertTrue(at(T0.plus(Duration.ofMinutes(29))).find(t).isPresent());
        assertTrue(at(T0.plus(Duration.ofMinutes(58))).find(t).isPresent(), "29 min after the last use");
        assertTrue(at(T0.plus(Duration.ofMinutes(88))).find(t).isEmpty(), "30 min after the last use");
        assertEquals(Set.of(), at(T0.plus(Duration.ofMinutes(88))).live(List.of(t)));
    }

    @Test
    void useWithinTheTouchIntervalWritesNothing() throws Exception {
        String t = token();
        at(T0).create(t, "tom");
        String lastSeen = "select (extract(epoch from last_seen_at) * 1000)::bigint from login_sessions "
                + "where user_name = 'tom'";
        at(T0.plusSeconds(59)).find(t);
        assertEquals(T0.toEpochMilli(), db.count(lastSeen), "within a minute of the last write");
        at(T0.plusSeconds(60)).find(t);
        assertEquals(T0.plusSeconds(60).toEpochMilli(), db.count(lastSeen));
    }

    @Test
    void liveTellsWhichAreLive() throws Exception {
        String a = token();
        String b = token();
        at(T0).create(a, "lea");
        at(T0.plus(Duration.ofMinutes(20))).create(b, "lou");
        assertEquals(Set.of(a, b), at(T0.plus(Duration.ofMinutes(25))).live(List.of(a, b, token())));
        assertEquals(Set.of(b), at(T0.plus(Duration.ofMinutes(31))).live(List.of(a, b)));
        assertEquals(Set.of(), at(T0).live(List.of()));
    }

    @Test
    void thePurgeDeletesEndedSessionsAndTrimsToTheGlobalCapInBoundedBatches() throws Exception {
        try (TestDatabase own = TestDatabase.create()) {
            purge(own);
        }
    }

    private static void purge(TestDatabase db) throws Exception {
        for (int i = 0; i < 4; i++) {
            at(db, T0).create(token(), "idle" + i); // idle from T0 + 30 min
        }
        String[] recent = new String[7];
        for (int i = 0; i < 2; i++) {
            recent[i] = token();
            at(db, T0.plus(Duration.ofMinutes(20 + i))).create(recent[i], "user" + i);
        }
        LoginSessionStore later = at(db, T0.plus(Duration.ofMinutes(31)));
        assertEquals(3, later.purge(1, 3), "3 statements of 1 row at most");
        assertEquals(3, db.count("select count(*) from login_sessions"));
        assertEquals(1, later.purge(100, 10), "the last idle one");

        for (int i = 2; i < 7; i++) {
            recent[i] = token();
            at(db, T0.plus(Duration.ofMinutes(20 + i))).create(recent[i], "user" + i);
        }
        assertEquals(2, later.purge(100, 10), "7 sessions, the cap is 5");
        assertEquals(Set.of(recent[2], recent[3], recent[4], recent[5], recent[6]), later.live(List.of(recent)),
                "the least recently used went");
        assertEquals(0, later.purge(100, 10));
    }

    @Test
    void aMalformedHashIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> at(T0).find("abc"));
    }
}
