package io.dlrgate.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * The input side of a benchmark: N HTTP requests, one message each, from a few concurrent clients over keep-alive
 * connections, as an application would send (Kannel's sendsms, dlrgate's {@code POST /api/v1/messages}). Each
 * request must be answered 2xx; the rest are counted, not retried.
 */
final class InputDriver {

    /** @param seconds from the first request until every request was answered */
    record Result(double seconds, long accepted, long refused, String firstRefusal) {
    }

    private InputDriver() {
    }

    static Result run(int messages, int concurrency, IntFunction<HttpRequest> request) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        AtomicInteger next = new AtomicInteger();
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        String[] first = new String[1];
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int k = 0; k < concurrency; k++) {
            Thread t = new Thread(() -> {
                int i;
                while ((i = next.getAndIncrement()) < messages) {
                    String why;
                    try {
                        HttpResponse<String> r = http.send(request.apply(i), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() / 100 == 2) {
                            accepted.incrementAndGet();
                            continue;
                        }
                        why = r.statusCode() + " " + r.body();
                    } catch (Exception e) {
                        why = e.toString();
                    }
                    refused.incrementAndGet();
                    synchronized (first) {
                        if (first[0] == null) {
                            first[0] = why.length() > 200 ? why.substring(0, 200) : why;
                        }
                    }
                }
            }, "bench-input-" + k);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return new Result((System.nanoTime() - t0) / 1e9, accepted.get(), refused.get(), first[0]);
    }
}
