package io.dlrgate.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Issue 12, item 4: password guessing over HTTP (the login, HTTP Basic, API keys) is slowed down per (address, user)
 * and locked out per address, with 429 and Retry-After; another address is not held up; every failure is logged
 * (escaped) and counted by reason. How long 1,000 guesses take is computed in FailureThrottleTest.
 */
class LoginThrottleTest {

    static final String USERS = Logins.config("");

    @Test
    void tenFailuresFromAnAddressLockItOutWith429WhileAnotherAddressLogsIn() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (GatewayHarness gw = GatewayHarness.start(USERS, "", clock)) {
            String base = gw.baseUrl();
            // 10 failures of all three kinds from 127.0.0.1: they add up for the address.
            for (int i = 0; i < 4; i++) {
                assertEquals(401, Logins.login(base, "ada", "guess-" + i).statusCode());
            }
            for (int i = 0; i < 3; i++) {
                assertEquals(401, me(base, AccessTest.basic("vic", "guess-" + i)).statusCode());
                assertEquals(401, me(base, "Bearer guess-" + i).statusCode());
            }

            HttpResponse<String> locked = Logins.login(base, "ada", "admin-pass");
            assertEquals(429, locked.statusCode(), "the right password too, while locked out: " + locked.body());
            assertEquals("300", locked.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(locked.body().contains("too many failed logins"), locked.body());
            assertEquals(429, me(base, AccessTest.basic("vic", "viewer-pass")).statusCode(), "Basic too");
            assertEquals(429, me(base, "Bearer " + GatewayHarness.API_KEY).statusCode(), "the API key too");

            assertEquals(200, Logins.loginFrom("127.0.0.2", gw.gateway().httpPort(), "ada", "admin-pass"),
                    "another address is not held up");

            String metrics = gw.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).GET()).body();
            assertEquals(7.0, metric(metrics, "dlrgate_http_login_failures_total{reason=\"credentials\"}"));
            assertEquals(3.0, metric(metrics, "dlrgate_http_login_failures_total{reason=\"api_key\"}"));
            assertEquals(3.0, metric(metrics, "dlrgate_http_login_failures_total{reason=\"locked_out\"}"));
            assertEquals(1.0, metric(metrics, "dlrgate_http_login_lockouts_total"));

            clock.advance(Duration.ofMinutes(5));
            assertEquals(200, Logins.login(base, "ada", "admin-pass").statusCode(), "the lockout is over");
        }
    }

    @Test
    void aWrongPasswordIsAnsweredLaterEachTimeWithoutHoldingUpOtherRequests() throws Exception {
        try (GatewayHarness gw = GatewayHarness.start(Logins.config("  login_failures: {limit: 100}\n"))) {
            String base = gw.baseUrl();
            for (long expected : new long[] {100, 200, 400, 800}) {
                long t0 = System.nanoTime();
                assertEquals(401, Logins.login(base, "ada", "wrong").statusCode());
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms >= expected, "answered after " + ms + " ms, the delay is " + expected + " ms");
            }
            // The 5th waits 1.6 s on a timer: meanwhile the event loop answers others.
            CompletableFuture<HttpResponse<String>> slow = Logins.HTTP.sendAsync(HttpRequest.newBuilder(
                    URI.create(base + "/api/v1/login")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"ada\",\"password\":\"wrong\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, gw.send(HttpRequest.newBuilder(URI.create(base + "/health")).GET()).statusCode());
            assertEquals(200, Logins.me(base, Logins.cookie(base, "vic", "viewer-pass")).statusCode(),
                    "another user logs in meanwhile");
            assertFalse(slow.isDone(), "the delayed failure is still waiting");
            assertEquals(401, slow.get().statusCode());
        }
    }

    @Test
    void parallelGuessesAtStoredPasswordsCannotOutrunTheLockout() throws Exception {
        // A stored password is checked by a slow hash on a worker, and its failure is recorded only when the hash
        // is done: 40 guesses sent at once used to be checked all 40 (each passed the lockout check before any
        // failure was in). Now at most Access.STORE_CHECKS run at once and the rest are told to come back (429),
        // so no more than the limit plus those few are ever checked.
        try (GatewayHarness gw = GatewayHarness.start(USERS)) {
            String base = gw.baseUrl();
            List<CompletableFuture<HttpResponse<String>>> guesses = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                guesses.add(Logins.HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + "/api/v1/login"))
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"mallory\",\"password\":\"guess-" + i
                                + "\"}")).build(), HttpResponse.BodyHandlers.ofString()));
            }
            int checked = 0;
            int toldToWait = 0;
            for (CompletableFuture<HttpResponse<String>> g : guesses) {
                int status = g.get().statusCode();
                if (status == 401) {
                    checked++;
                } else if (status == 429) {
                    toldToWait++;
                }
            }
            System.out.printf("40 parallel guesses: %d checked (401), %d told to wait or locked out (429)%n",
                    checked, toldToWait);
            assertEquals(40, checked + toldToWait, "every guess is answered 401 or 429");
            assertTrue(checked <= 10 + Access.STORE_CHECKS, "at most the limit (10) plus the checks allowed at once "
                    + "were checked, saw " + checked);
        }
    }

    @Test
    void everyFailureIsLoggedWithAddressAndEscapedUserName() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(LoginThrottle.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try (GatewayHarness gw = GatewayHarness.start(USERS)) {
            String base = gw.baseUrl();
            assertEquals(401, Logins.login(base, "eve\nINFO forged admin login ok", "wrong").statusCode());
            assertEquals(401, me(base, "Bearer wrong").statusCode());
            assertEquals(401, me(base, "Basic !!!").statusCode());
            List<String> msgs = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertEquals(3, msgs.size(), msgs.toString());
            assertEquals("login refused from 127.0.0.1 as \"eve\\nINFO forged admin login ok\": credentials; answered "
                    + "after 100 ms", msgs.get(0));
            assertTrue(msgs.get(1).startsWith("bearer refused from 127.0.0.1 as \"(api key)\": api_key"), msgs.get(1));
            assertEquals("basic refused from 127.0.0.1: malformed credentials", msgs.get(2));
            assertTrue(lines.list.stream().allMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.INFO));
            String metrics = gw.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).GET()).body();
            assertEquals(1.0, metric(metrics, "dlrgate_http_login_failures_total{reason=\"malformed\"}"));
        } finally {
            logger.detachAppender(lines);
        }
    }

    static HttpResponse<String> me(String base, String authorization) throws Exception {
        return Logins.HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/me"))
                .header("Authorization", authorization).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static double metric(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        throw new AssertionError("no " + series + " in /metrics");
    }
}
