package io.dlrgate.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a benchmark hands messages to dlrgate: as campaign sends of {@code chunk} contacts each
 * ({@code POST /api/v1/campaigns/{id}/sends}, the bulk path), or one message per request
 * ({@code POST /api/v1/messages}, as an app sends single messages and as Kannel's sendsms takes them) from
 * {@code concurrency} clients.
 */
final class DlrgateInput {

    private DlrgateInput() {
    }

    /** @param numbers message i goes to {@code numbers[i]} (with '+') */
    static InputDriver.Result send(String mode, int httpPort, List<String> numbers, int chunk, int concurrency)
            throws Exception {
        if (mode.equals("single")) {
            String url = "http://127.0.0.1:" + httpPort + "/api/v1/messages";
            return InputDriver.run(numbers.size(), concurrency, i -> HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + BenchGateway.API_KEY)
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"" + numbers.get(i)
                            + "\",\"content\":\"bench message " + i + "\",\"source\":\"api\"}")).build());
        }
        if (!mode.equals("campaign")) {
            throw new IllegalArgumentException("input: single or campaign, not " + mode);
        }
        BenchGateway.Api api = new BenchGateway.Api(httpPort);
        long t0 = System.nanoTime();
        long campaign = api.createCampaign("bench " + System.nanoTime());
        long accepted = 0;
        for (int from = 0; from < numbers.size(); from += chunk) {
            List<String> part = new ArrayList<>(numbers.subList(from, Math.min(numbers.size(), from + chunk)));
            api.send(campaign, part);
            accepted += part.size();
        }
        return new InputDriver.Result((System.nanoTime() - t0) / 1e9, accepted, 0, null);
    }

    static List<String> numbers(String prefixWithPlus, int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(prefixWithPlus + String.format(Locale.ROOT, "%06d", i));
        }
        return out;
    }
}
