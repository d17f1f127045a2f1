package io.dlrgate.gateway.balancer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppConstants;
import io.dlrgate.config.BindType;
import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.gateway.testing.Haproxy;
import io.dlrgate.gateway.testing.SharedStore;
import io.dlrgate.gateway.testing.TestCarrier;
import io.vertx.core.json.JsonObject;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real HAProxy, run with the very {@code ops/haproxy.cfg} that docker-compose.yml mounts, in front of two gateway
 * instances on one PostgreSQL, all on loopback: carriers' binds through it land on both instances and the receipts
 * sent over both are stored; a login through it holds on whichever instance answers; when one instance stops, new
 * requests and new binds go to the other.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HaproxyTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final int MESSAGES = 10;

    final List<TestCarrier> carriers = new ArrayList<>();
    SharedStore store;
    Haproxy haproxy;

    @AfterEach
    void tearDown() {
        carriers.forEach(TestCarrier::close);
        if (haproxy != null) {
            haproxy.close();
        }
        if (store != null) {
            store.close();
        }
    }

    @Test
    void twoInstancesBehindHaproxyShareBindsAndLoginsAndOneTakesOverWhenTheOtherStops() throws Exception {
        Path binary = Haproxy.binary(); // before anything starts: missing, the test fails at once
        store = new SharedStore();
        Gateway one = store.start();
        Gateway two = store.start();
        haproxy = Haproxy.start(binary, one, two);
        String front = "http://127.0.0.1:" + haproxy.httpPort();
        await().atMost(WAIT).ignoreException(ConnectException.class).until(() -> {
            haproxy.assertRunning();
            return status(get(front + "/ready", null)) == 200;
        });

        // Binds: one per connection, least connections first, so the two binds land on the two instances.
        TestCarrier first = bind();
        await().atMost(WAIT).until(() -> sessions(one) == 1);
        TestCarrier second = bind();
        await().atMost(WAIT).until(() -> sessions(two) == 1);
        assertEquals(1, sessions(one), "the second bind went to the other instance");

        // Messages sent through HAProxy's HTTP port; each instance submits over its own bind. The receipts go back
        // over both binds (every other one over each), so both instances store receipts.
        for (int i = 0; i < MESSAGES; i++) {
            HttpResponse<String> r = postWithKey(front + "/api/v1/messages",
                    new JsonObject().put("to", number(i)).put("content", "hi " + i));
            assertEquals(202, r.statusCode(), r.body());
        }
        await().atMost(WAIT).until(() -> first.submitCount() + second.submitCount() == MESSAGES);
        for (int i = 0; i < MESSAGES; i++) {
            TestCarrier over = i % 2 == 0 ? first : second;
            String id = "m" + number(i).substring(1);
            assertEquals(SmppConstants.STATUS_OK, over.sendDeliverSm(TestCarrier.receipt("id:" + id
                    + " sub:001 dlvrd:001 stat:DELIVRD err:000 text:hi")).getCommandStatus());
        }
        assertEquals(MESSAGES, store.count("select count(*) from messages where tab = 'delivered'"));

        // A login through HAProxy holds on both instances (sessions are in the store): through HAProxy (round
        // robin: both answer in turn) and on each instance directly.
        String cookie = login(front);
        for (int i = 0; i < 4; i++) {
            assertEquals(200, status(get(front + "/api/v1/me", cookie)), "GET /api/v1/me through HAProxy");
        }
        assertEquals(200, status(get(SharedStore.baseUrl(one) + "/api/v1/me", cookie)));
        assertEquals(200, status(get(SharedStore.baseUrl(two) + "/api/v1/me", cookie)));

        // Instance one stops: every request through HAProxy is answered (by two), and a new bind lands on two.
        one.close();
        for (int i = 0; i < 6; i++) {
            assertEquals(200, status(get(front + "/api/v1/me", cookie)), "GET /api/v1/me after instance one stopped");
        }
        TestCarrier rebound = bind();
        assertTrue(rebound.isBound());
        await().atMost(WAIT).until(() -> sessions(two) == 2);
    }

    /** A carrier bound through HAProxy's SMPP port, answering every submit with the id m + the number. */
    TestCarrier bind() {
        TestCarrier c = TestCarrier.to(haproxy.smppPort()).systemId("acme").password("acme-pw")
                .bindType(BindType.TRANSCEIVER)
                .onSubmit(s -> TestCarrier.SubmitAnswer.ok("m" + s.getDestAddress().getAddress())).bind();
        carriers.add(c);
        return c;
    }

    static String number(int i) {
        return String.format("+447700%06d", i);
    }

    /** The carrier's sessions on this instance, asked of the instance itself (not through HAProxy). */
    static int sessions(Gateway g) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(SharedStore.baseUrl(g)
                        + "/api/v1/carriers")).header("Authorization", "Bearer " + SharedStore.API_KEY)
                .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
        return new JsonObject(r.body()).getJsonArray("carriers").getJsonObject(0).getJsonArray("sessions").size();
    }

    static String login(String base) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/login"))
                .header("Content-Type", "application/json").header("X-Requested-With", "dlrgate").timeout(WAIT)
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("name", "ada")
                        .put("password", "admin-pass").encode())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    static HttpResponse<String> get(String url, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(WAIT);
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> postWithKey(String url, JsonObject body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer "
                        + SharedStore.API_KEY).header("Content-Type", "application/json").timeout(WAIT)
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
    }

    static int status(HttpResponse<String> r) {
        return r.statusCode();
    }
}
