package io.dlrgate.gateway.webhooks;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A customer's app receiving webhooks, run by the test on 127.0.0.1: it checks every request's signature with its
 * own HMAC code (not the gateway's), answers 500 to a share of requests at random, can be taken down and brought
 * back on the same port, or answer a fixed status. Only requests it answered 2xx count as received.
 */
final class WebhookReceiver implements AutoCloseable {

    /** One event as accepted. */
    record Event(String eventId, String type, long messageId, String tab, String cause) {
    }

    private final Vertx vertx = Vertx.vertx();
    private final Random random;
    private final double failShare;
    private volatile String secret;
    private volatile int fixedStatus;
    private volatile long delayMs;
    private volatile Buffer answerBody = Buffer.buffer("ok");
    private HttpServer server;
    private int port;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger badSignatures = new AtomicInteger();
    private final AtomicInteger badEventIdHeaders = new AtomicInteger();
    /** Accepted events in the order they were accepted. */
    private final List<Event> accepted = new ArrayList<>();
    /** The same, as the JSON they came in. */
    private final List<JsonObject> acceptedJson = new ArrayList<>();

    private WebhookReceiver(double failShare, long seed) {
        this.failShare = failShare;
        this.random = new Random(seed);
    }

    static WebhookReceiver start(double failShare, long seed) throws Exception {
        WebhookReceiver r = new WebhookReceiver(failShare, seed);
        r.listen(0);
        return r;
    }

    private void listen(int onPort) throws Exception {
        server = vertx.createHttpServer().requestHandler(this::handle).listen(onPort, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        port = server.actualPort();
    }

    String url() {
        return "http://127.0.0.1:" + port + "/hooks/dlr";
    }

    void secret(String secret) {
        this.secret = secret;
    }

    /** Every request answered with this status from now on (0: normal behaviour). */
    void answer(int status) {
        this.fixedStatus = status;
    }

    /** Each request answered this much later. */
    void delay(long ms) {
        this.delayMs = ms;
    }

    /** Every answer carries a body of this many bytes from now on. */
    void answerBodyBytes(int bytes) {
        this.answerBody = Buffer.buffer(new byte[bytes]);
    }

    /** Stops listening: connections are refused until {@link #up()}. */
    void down() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    void up() throws Exception {
        listen(port);
    }

    private void handle(HttpServerRequest req) {
        req.body().onSuccess(body -> {
            requests.incrementAndGet();
            int status;
            synchronized (this) {
                status = fixedStatus != 0 ? fixedStatus : random.nextDouble() < failShare ? 500 : 200;
            }
            String sig = req.getHeader("Dlrgate-Signature");
            if (!validSignature(sig, body.getBytes())) {
                badSignatures.incrementAndGet();
                status = 401;
            }
            if (status == 200) {
                JsonArray events = new JsonObject(body).getJsonArray("events");
                List<String> ids = new ArrayList<>();
                synchronized (this) {
                    for (int i = 0; i < events.size(); i++) {
                        JsonObject e = events.getJsonObject(i);
                        ids.add(e.getString("eventId"));
                        acceptedJson.add(e);
                        Long messageId = e.getLong("messageId");
                        accepted.add(new Event(e.getString("eventId"), e.getString("type"),
                                messageId == null ? -1 : messageId, e.getString("tab"), e.getString("cause")));
                    }
                }
                if (!String.join(",", ids).equals(req.getHeader("Dlrgate-Event-Ids"))) {
                    badEventIdHeaders.incrementAndGet();
                }
            }
            int answer = status;
            Buffer answerBody = this.answerBody;
            if (delayMs > 0) {
                vertx.setTimer(delayMs, t -> req.response().setStatusCode(answer).end(answerBody));
            } else {
                req.response().setStatusCode(answer).end(answerBody);
            }
        });
    }

    /** {@code t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}, checked the way a receiver would. */
    private boolean validSignature(String header, byte[] body) {
        if (header == null || secret == null) {
            return false;
        }
        String t = null;
        String v1 = null;
        for (String part : header.split(",")) {
            if (part.startsWith("t=")) {
                t = part.substring(2);
            } else if (part.startsWith("v1=")) {
                v1 = part.substring(3);
            }
        }
        if (t == null || v1 == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
            byte[] expected = mac.doFinal(body);
            long age = Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(t));
            return age < 300 && MessageDigest.isEqual(expected, HexFormat.of().parseHex(v1));
        } catch (Exception e) {
            return false;
        }
    }

    synchronized List<Event> accepted() {
        return List.copyOf(accepted);
    }

    synchronized List<JsonObject> acceptedJson() {
        return List.copyOf(acceptedJson);
    }

    synchronized Set<String> acceptedIds() {
        Set<String> out = new LinkedHashSet<>();
        accepted.forEach(e -> out.add(e.eventId()));
        return out;
    }

    /** Per message, its distinct event ids in the order first accepted. */
    synchronized Map<Long, List<String>> firstOrderPerMessage() {
        Map<Long, LinkedHashSet<String>> m = new LinkedHashMap<>();
        for (Event e : accepted) {
            m.computeIfAbsent(e.messageId(), k -> new LinkedHashSet<>()).add(e.eventId());
        }
        Map<Long, List<String>> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return out;
    }

    int requests() {
        return requests.get();
    }

    int badSignatures() {
        return badSignatures.get();
    }

    int badEventIdHeaders() {
        return badEventIdHeaders.get();
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }
}
