package io.dlrgate.gateway.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.testing.GatewayHarness;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Exports a tab of 1,000,000 contacts as CSV through the HTTP API and prints the heap: the rows stream from a
 * database cursor into HTTP chunks, so the heap live after collections stays flat however many rows there are.
 * The gateway runs in this JVM, so the heap measured is the gateway's (plus the test's reader, which keeps
 * nothing). No timing assertion; the assertion is on rows and on the live heap.
 */
class CsvExportMillionTest {

    static final int ROWS = 1_000_000;
    private static final int SEED_SLICE = 100_000;

    @Test
    void millionRowTabExportStreamsInBoundedHeap() throws Exception {
        try (GatewayHarness gw = GatewayHarness.start("""
                carriers:
                  - {id: acme, system_id: acme, password: acme-pw, prefixes: ["+44"]}
                """)) {
            HttpResponse<String> created = gw.post("/api/v1/campaigns", new JsonObject().put("name", "Big")
                    .put("content", "Hello, \"big\" world").put("createdBy", "qa").encode());
            long campaign = new JsonObject(created.body()).getLong("id");
            long seedStart = System.nanoTime();
            try (Connection c = gw.db().database().connection(); Statement s = c.createStatement()) {
                // Seeded in SQL (the send path is tested elsewhere): a million delivered messages of one campaign,
                // in slices, so that no one statement runs into the pool's 30 s socket timeout on a loaded machine.
                for (int from = 1; from <= ROWS; from += SEED_SLICE) {
                    s.execute("insert into messages (campaign_id, source, recipient, country, content, carrier_id, "
                            + "dispatch_state, tab, last_stat, error, final_by, created_at, sent_at, final_at, "
                            + "validity_deadline) select " + campaign + ", 'campaign', '+4477' || lpad(g::text, 8, '0'), "
                            + "'GB', 'Hello, \"big\" world', 'acme', 'submitted', 'delivered', 'DELIVRD', '000', "
                            + "'receipt', now(), now(), now(), now() + interval '2 days' from generate_series("
                            + from + ", " + Math.min(ROWS, from + SEED_SLICE - 1) + ") g");
                }
                s.execute("analyze messages");
            }
            System.out.printf("seeded %,d messages in %d ms%n", ROWS, (System.nanoTime() - seedStart) / 1_000_000);

            System.gc();
            long baseline = liveHeap();
            AtomicLong peakUsed = new AtomicLong();
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                for (int i = 0; i < 3_000_000 && sampling.get(); i++) {
                    long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                    peakUsed.accumulateAndGet(used, Math::max);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.setDaemon(true);
            sampler.start();
            long maxLiveAfterGc = 0;
            long gcsBefore = gcCount();

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl()
                            + "/api/v1/campaigns/" + campaign + "/report/delivered?format=csv"))
                    .header("Authorization", "Bearer " + GatewayHarness.API_KEY).timeout(Duration.ofMinutes(10)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, r.statusCode());
            long lines = 0;
            long bytes = 0;
            String header;
            String last = null;
            long start = System.nanoTime();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                header = in.readLine();
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines++;
                    bytes += line.length() + 2;
                    last = line;
                    if (lines % 100_000 == 0) {
                        maxLiveAfterGc = Math.max(maxLiveAfterGc, liveHeapAfterLastGc());
                    }
                }
            }
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            sampling.set(false);
            sampler.join(5_000);
            System.gc();
            long after = liveHeap();

            assertEquals("number,country,tab,stat,error,error_class,cause,sent_at,final_at,message_id,carrier,"
                    + "counts_toward_suppression,sender", header);
            assertEquals(ROWS, lines);
            assertTrue(last.startsWith("+447701000000,GB,delivered,DELIVRD,000,,"), last);
            System.out.printf("CSV export: %,d rows, %,d bytes in %,d ms; heap live before %d MB, peak used %d MB, "
                            + "max live after a GC during the export %d MB, live after %d MB; %d GCs%n",
                    lines, bytes, elapsedMs, baseline >> 20, peakUsed.get() >> 20, maxLiveAfterGc >> 20, after >> 20,
                    gcCount() - gcsBefore);
            // A million rows held in memory would be several hundred MB live (rows, strings, the CSV text).
            assertTrue(maxLiveAfterGc - baseline < 150L << 20, "live heap grew by "
                    + ((maxLiveAfterGc - baseline) >> 20) + " MB during the export");
        }
    }

    /** Heap in use right after a full collection. */
    static long liveHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Sum over heap pools of the usage measured right after the last collection of each. */
    static long liveHeapAfterLastGc() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null) {
                sum += p.getCollectionUsage().getUsed();
            }
        }
        return sum;
    }

    static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, g.getCollectionCount());
        }
        return n;
    }
}
