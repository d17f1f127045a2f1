package io.dlrgate.gateway.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.reporting.counters.ReportCounters;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Benchmark (opt-in: {@code -Ddlrgate.bench=true}): p50/p99 of the campaign list, a campaign report and a tab page
 * through the HTTP API with 1,000,000 messages across 1,000 campaigns. Prints figures; asserts only correctness.
 *
 * <pre>mvn -o -B -pl gateway -am test -Dtest=ReportBenchmark -Ddlrgate.bench=true -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
class ReportBenchmark {

    static final int CAMPAIGNS = 1_000;
    static final int PER_CAMPAIGN = 1_000;

    @Test
    void reportLatencies() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("dlrgate.bench"), "benchmark: run with -Ddlrgate.bench=true");
        try (GatewayHarness gw = GatewayHarness.start("""
                carriers:
                  - {id: acme, system_id: acme, password: acme-pw, prefixes: ["+44"]}
                """)) {
            long t0 = System.nanoTime();
            try (Connection c = gw.db().database().connection(); Statement s = c.createStatement()) {
                s.execute("insert into campaigns (name, content, created_by, created_at, last_modified_by, "
                        + "last_modified_at, link_tracking, last_sent_at) select 'Campaign ' || g, 'Hello ' || g, "
                        + "'user' || (g % 17), now() - g * interval '1 hour', 'user' || (g % 13), now() - g * interval '1 hour', "
                        + "g % 10 = 0, now() - g * interval '1 minute' from generate_series(1, " + CAMPAIGNS + ") g");
                s.execute("insert into campaign_sends (campaign_id, sent_by, sent_at, requested, queued, "
                        + "skipped_suppressed, rejected) select id, 'bench', now(), " + PER_CAMPAIGN + ", "
                        + PER_CAMPAIGN + ", 0, 0 from campaigns");
                // 1,000,000 messages, interleaved across campaigns as real traffic would be; tabs 60/20/8/8/4 %.
                for (int chunk = 0; chunk < 10; chunk++) {
                int lo = chunk * CAMPAIGNS * PER_CAMPAIGN / 10;
                int hi = (chunk + 1) * CAMPAIGNS * PER_CAMPAIGN / 10 - 1;
                s.execute("insert into messages (campaign_id, campaign_send_id, source, recipient, country, content, "
                        + "carrier_id, dispatch_state, tab, last_stat, final_by, created_at, sent_at, final_at, "
                        + "validity_deadline) select 1 + (g % " + CAMPAIGNS + "), 1 + (g % " + CAMPAIGNS + "), "
                        + "'campaign', '+4477' || lpad((g / " + CAMPAIGNS + ")::text, 8, '0'), 'GB', 'Hello', 'acme', "
                        + "'submitted', t.tab, t.stat, case when t.tab = 'pending' then null else 'receipt' end, now(), "
                        + "now(), case when t.tab = 'pending' then null else now() end, now() + interval '2 days' "
                        + "from generate_series(" + lo + ", " + hi + ") g cross join lateral (select "
                        + "case when g % 25 < 15 then 'delivered' when g % 25 < 20 then 'pending' when g % 25 < 22 "
                        + "then 'soft-bounces' when g % 25 < 24 then 'hard-bounces' else 'deleted' end as tab, "
                        + "case when g % 25 < 15 then 'DELIVRD' when g % 25 < 20 then 'ENROUTE' when g % 25 < 22 "
                        + "then 'EXPIRED' when g % 25 < 24 then 'UNDELIV' else 'DELETED' end as stat) t");
                }
                // Tracked campaigns: 3 links each, 50,000 clicks in all.
                s.execute("insert into links (campaign_id, url, created_at) select c.id, 'https://example.com/' || c.id "
                        + "|| '/' || k, now() from campaigns c cross join generate_series(1, 3) k where c.link_tracking");
                s.execute("insert into link_clicks (link_id, campaign_id, recipient, clicked_at, user_agent) select "
                        + "l.id, l.campaign_id, '+4477' || lpad((g % 700)::text, 8, '0'), now(), 'bench' from "
                        + "generate_series(1, 50000) g join links l on l.id = 1 + (g % (select count(*) from links))");
                // Seeded around the write paths: recount the maintained report counters once (V11).
                c.setAutoCommit(false);
                ReportCounters.rebuild(c);
                c.commit();
                c.setAutoCommit(true);
                s.execute("vacuum analyze");
            }
            System.out.printf("seeded %,d campaigns, %,d messages in %d s%n", CAMPAIGNS, CAMPAIGNS * PER_CAMPAIGN,
                    (System.nanoTime() - t0) / 1_000_000_000);
            assertEquals((long) CAMPAIGNS * PER_CAMPAIGN, gw.count("select count(*) from messages"));
            Random rnd = new Random(7);
            String[] tabs = {"delivered", "pending", "soft-bounces", "hard-bounces", "deleted"};
            measure(gw, "campaign list (last sent, 50 a page)", 400,
                    () -> "/api/v1/campaigns?limit=50&offset=" + 50 * rnd.nextInt(20));
            measure(gw, "campaign list (by name, search)", 400,
                    () -> "/api/v1/campaigns?sort=name&search=" + (1 + rnd.nextInt(99)));
            measure(gw, "campaign list (by delivered: figures of all)", 100,
                    () -> "/api/v1/campaigns?sort=delivered&order=desc&limit=50");
            measure(gw, "campaign list (by sent, page 1..20)", 200,
                    () -> "/api/v1/campaigns?sort=sent&order=desc&limit=50&offset=" + 50 * rnd.nextInt(20));
            measure(gw, "campaign list (by unique clicks)", 200,
                    () -> "/api/v1/campaigns?sort=uniqueClicks&order=desc&limit=50");
            measure(gw, "campaign list (by total clicks, search)", 200,
                    () -> "/api/v1/campaigns?sort=totalClicks&search=" + (1 + rnd.nextInt(99)));
            measure(gw, "campaign report (overview + links)", 400,
                    () -> "/api/v1/campaigns/" + (1 + rnd.nextInt(CAMPAIGNS)) + "/report");
            measure(gw, "campaign timeline (one pass over its 1,000 messages)", 400,
                    () -> "/api/v1/campaigns/" + (1 + rnd.nextInt(CAMPAIGNS)) + "/timeline");
            measure(gw, "tab page (100 contacts)", 400,
                    () -> "/api/v1/campaigns/" + (1 + rnd.nextInt(CAMPAIGNS)) + "/report/" + tabs[rnd.nextInt(5)]
                            + "?limit=100");
            measure(gw, "tab page, number search", 400,
                    () -> "/api/v1/campaigns/" + (1 + rnd.nextInt(CAMPAIGNS)) + "/report/delivered?number=00"
                            + rnd.nextInt(10));
        }
    }

    interface PathSupplier {
        String next();
    }

    static void measure(GatewayHarness gw, String what, int n, PathSupplier paths) throws Exception {
        for (int i = 0; i < 30; i++) {
            assertEquals(200, gw.get(paths.next()).statusCode());
        }
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            String path = paths.next();
            long t = System.nanoTime();
            HttpResponse<String> r = gw.get(path);
            nanos[i] = System.nanoTime() - t;
            assertEquals(200, r.statusCode(), r.body());
        }
        Arrays.sort(nanos);
        System.out.printf("BENCH %-45s n=%d p50=%6.2f ms p99=%6.2f ms max=%6.2f ms%n", what, n,
                nanos[n / 2] / 1e6, nanos[(int) Math.ceil(n * 0.99) - 1] / 1e6, nanos[n - 1] / 1e6);
    }
}
