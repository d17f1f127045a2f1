package io.dlrgate.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.dlrgate.gateway.testing.EventLines;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 12, item 13: a live-event stream opened on a session cookie ends when the session does: at logout at once,
 * at its idle end within {@link LoginSessions#STREAM_CHECK_INTERVAL}. A stream opened with the API key is not
 * touched.
 */
class LogoutClosesStreamsTest {

    static final String USERS = Logins.config("");
    static final Duration WAIT = Duration.ofSeconds(30);

    /** An open event stream: its lines, and a future that completes when the server ends it. */
    record Stream(BlockingQueue<String> lines, CompletableFuture<Void> ended) {
    }

    static Stream open(String base, String header, String value) throws Exception {
        return open(Logins.HTTP, base, header, value);
    }

    static Stream open(HttpClient client, String base, String header, String value) throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        CompletableFuture<Void> ended = client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/api/v1/events"))
                        .header(header, value).GET().build(), HttpResponse.BodyHandlers.ofLines())
                .thenAccept(r -> {
                    try (java.util.stream.Stream<String> s = r.body()) {
                        s.forEach(lines::add);
                    } catch (java.io.UncheckedIOException e) {
                        // a closed connection ends the stream as well as a clean end does
                    }
                });
        String first = lines.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals("retry: 2000", first, "the stream is open");
        return new Stream(lines, ended);
    }

    /** Over HTTP/1.1 (a connection per stream, as browsers do in cleartext) and HTTP/2 (streams share one). */
    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void logoutEndsTheSessionsStreamsAndNoOthers(HttpClient.Version version) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(version).build();
        try (GatewayHarness gw = GatewayHarness.start(USERS)) {
            String base = gw.baseUrl();
            String cookie = Logins.cookie(base, "vic", "viewer-pass");
            String otherCookie = Logins.cookie(base, "vic", "viewer-pass");
            Stream mine = open(client, base, "Cookie", cookie);
            Stream mineToo = open(client, base, "Cookie", cookie);
            Stream otherSession = open(client, base, "Cookie", otherCookie);
            Stream apiKey = open(client, base, "Authorization", "Bearer " + GatewayHarness.API_KEY);

            assertEquals(200, Logins.logout(base, cookie).statusCode());
            mine.ended().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            mineToo.ended().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(401, Logins.me(base, cookie).statusCode());

            // The others still deliver: a send is a queued event on each.
            assertEquals(202, gw.post("/api/v1/messages", "{\"to\":\"+447700900123\",\"content\":\"x\"}").statusCode());
            for (Stream s : new Stream[] {otherSession, apiKey}) {
                EventLines.next(s.lines(), "event: queued"::equals);
                assertFalse(s.ended().isDone());
            }
        }
    }

    @Test
    void theIdleEndOfTheSessionEndsItsStreams() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (GatewayHarness gw = GatewayHarness.start(USERS, "", clock)) {
            String base = gw.baseUrl();
            Stream s = open(base, "Cookie", Logins.cookie(base, "vic", "viewer-pass"));
            clock.advance(Duration.ofMinutes(31));
            s.ended().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
