package io.dlrgate.gateway.testing;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** {@code GET /api/v1/events} read line by line, as an EventSource reads it. */
public final class EventLines {

    public static final Duration WAIT = Duration.ofSeconds(30);

    private EventLines() {
    }

    /** The lines of the stream at {@code baseUrl}, as they come, opened with the API key. */
    public static BlockingQueue<String> open(HttpClient client, String baseUrl, String apiKey) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        client.sendAsync(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/events"))
                        .header("Authorization", "Bearer " + apiKey).GET().build(),
                HttpResponse.BodyHandlers.ofLines()).thenAccept(r -> {
                    try (Stream<String> s = r.body()) {
                        s.forEach(lines::add);
                    }
                });
        return lines;
    }

    /** The data of the next event of {@code type} (events of other types are skipped). */
    public static JsonObject data(BlockingQueue<String> lines, String type) throws Exception {
        next(lines, ("event: " + type)::equals);
        String data = next(lines, l -> l.startsWith("data: "));
        return new JsonObject(data.substring("data: ".length()));
    }

    public static String next(BlockingQueue<String> lines, Predicate<String> wanted) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String l = lines.poll(100, TimeUnit.MILLISECONDS);
            if (l != null && wanted.test(l)) {
                return l;
            }
        }
        throw new AssertionError("no such line on the event stream within " + WAIT);
    }
}
