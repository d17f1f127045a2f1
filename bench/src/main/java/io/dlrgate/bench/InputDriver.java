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

    /**
     * @param seconds      from the first request until every request was answered
     * @param latencyNanos each accepted request's time from sent to answered, in no particular order (empty when
     *                     not measured per request)
     */
    record Result(double seconds, long accepted, long refused, String firstRefusal, long[] latencyNanos) {

        Result(double seconds, long accepted, long refused, String firstRefusal) {
            this(seconds, accepted, refused, firstRefusal, new long[0]);
        }

        /** The {@code p}-th percentile (0..100) of the accepted requests' latency in ms; NaN when none was timed. */
        double latencyMillis(double p) {
            if (latencyNanos.length == 0) {
                return Double.NaN;
            }
            long[] sorted = latencyNanos.clone();
            java.util.Arrays.sort(sorted);
            int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
            return sorted[Math.max(0, i)] / 1e6;
        }
    }

    private InputDriver() {
    }

    static Result run(int messages, int concurrency, IntFunction<HttpRequest> request) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        AtomicInteger next = new AtomicInteger();
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        long[] latency = new long[messages];
        String[] first = new String[1];
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int k = 0; k < concurrency; k++) {
            Thread t = new Thread(() -> {
                int i;
                while ((i = next.getAndIncrement()) < messages) {
                    String why;
                    try {
                        HttpRequest req = request.apply(i);
                        long sent = System.nanoTime();
                        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() / 100 == 2) {
                            latency[i] = System.nanoTime() - sent;
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
        double seconds = (System.nanoTime() - t0) / 1e9;
        // join() orders the workers' writes before this read; a refused request left its slot at 0
        return new Result(seconds, accepted.get(), refused.get(), first[0],
                java.util.Arrays.stream(latency).filter(l -> l > 0).toArray());
    }
}
