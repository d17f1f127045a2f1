package io.dlrgate.gateway.ui;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.commons.util.windowing.WindowFuture;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.DeliverSm;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import io.dlrgate.config.BindType;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.TestCarrier;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The web UI in real headless Chromium (Debian's chromium + chromedriver, driven over W3C WebDriver): log in as
 * a viewer, open a campaign, switch tabs, watch a count change live when a receipt arrives over SMPP, open a
 * single-send preview. Screenshots are kept under target/browser/ as artifacts.
 */
class BrowserReportTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final Path ARTIFACTS = Path.of("target", "browser");

    @Test
    void loginCampaignTabsLiveCountAndPreview() throws Exception {
        Assumptions.assumeTrue(WebDriver.available(), "skipped: no Chromium here (" + WebDriver.CHROMIUM + " and "
                + WebDriver.CHROMEDRIVER + " are needed; install with: apt-get install -y chromium chromium-driver)");
        try (GatewayHarness gw = gatewayWithViewerVera(); TestCarrier acme = acmeCarrier(gw)) {
            long campaign = new JsonObject(gw.post("/api/v1/campaigns", new JsonObject().put("name", "Browser spring")
                    .put("content", "Spring is here").put("createdBy", "ana").encode()).body()).getLong("id");
            assertEquals(202, gw.post("/api/v1/campaigns/" + campaign + "/sends", new JsonObject()
                    .put("contacts", List.of("+447700900401", "+447700900402", "+447700900403"))
                    .put("sentBy", "ana").encode()).statusCode());
            String preview = "Hello Vera, your order 42 has shipped and will arrive on Thursday between 9 and 11; "
                    + "reply STOP to opt out";
            long single = new JsonObject(gw.post("/api/v1/messages", new JsonObject().put("to", "+447700900499")
                    .put("content", preview).put("source", "ui").put("from", "Acme").encode()).body()).getLong("id");
            await().atMost(WAIT).until(() -> gw.count("select count(*) from messages where dispatch_state = 'submitted'") == 4);
            receipt(acme, "acme-447700900401", "DELIVRD");

            try (WebDriver b = new WebDriver(ARTIFACTS)) {
                b.open(gw.baseUrl() + "/");
                b.await("#login-name", WAIT);
                assertEquals("none", b.script("return getComputedStyle(document.getElementById('nav')).display"),
                        "no nav links before logging in");
                b.type("#login-name", "vera");
                b.type("#login-password", "wrong-password");
                b.click("#login-submit");
                b.awaitText("#login-error", "Wrong name or password.", WAIT);
                b.script("document.getElementById('login-password').value = ''");
                b.type("#login-password", "vera-password");
                b.click("#login-submit");

                b.click("a[data-campaign-id='" + campaign + "']");
                b.awaitText("#count-delivered", "1", WAIT);
                b.awaitText("#count-pending", "2", WAIT);
                b.awaitText("#live", "● live", WAIT);
                b.awaitText("#fig-sender", "DLRGATE", WAIT); // the campaign names no sender: the default
                b.click("#tab-hard-bounces");
                b.awaitText("#tab-hard-bounces", "Hard bounces0\n0%", WAIT); // the count, then its share of sent
                assertEquals("true", String.valueOf(b.script(
                        "return document.getElementById('tab-hard-bounces').getAttribute('aria-selected')")));
                b.awaitText("#tab-panel tbody td", "No contacts in this tab.", WAIT);
                b.awaitText("#tab-page", "Page 1 of 1 · 0 contacts", WAIT);
                // A disabled control looks disabled (not like the enabled tab buttons next to it).
                assertEquals("not-allowed", b.script("return getComputedStyle(document.getElementById('tab-previous')).cursor"));
                assertNotEquals(b.script("return getComputedStyle(document.getElementById('tab-delivered')).backgroundColor"),
                        b.script("return getComputedStyle(document.getElementById('tab-previous')).backgroundColor"));

                // A receipt arrives over SMPP: the count and the open tab change without a reload.
                Object marker = b.script("window.__noReload = 'still-here'; return window.__noReload");
                receipt(acme, "acme-447700900402", "UNDELIV");
                b.awaitText("#count-hard-bounces", "1", WAIT);
                b.awaitText("#count-pending", "1", WAIT);
                b.awaitText("#tab-panel tbody td", "+447700900402", WAIT);
                // The row shows the class stored with the failure (as GET /api/v1/messages/{id} has it) and why.
                long bounced = gw.count("select id from messages where recipient = '+447700900402'");
                String stored = new JsonObject(gw.get("/api/v1/messages/" + bounced).body()).getString("errorClass");
                assertEquals("permanent", stored, "an UNDELIV nobody explained (err 000) is taken at its word");
                assertEquals("+447700900402|GB|UNDELIV|000|permanent — counts toward suppression|Carrier receipt",
                        String.valueOf(b.script(
                        "return Array.from(document.querySelectorAll('#tab-panel tbody tr')[0].cells).slice(0, 6)"
                                + ".map(c => c.textContent).join('|')")));
                assertEquals(marker, b.script("return window.__noReload"), "the page was not reloaded");
                b.awaitText("#tab-page", "Page 1 of 1 · 1 contact", WAIT);
                // Dates name their zone: the reader's own, as the browser names it.
                assertEquals(Boolean.TRUE, b.script("const cell = document.querySelectorAll('#tab-panel tbody tr')[0].cells[6];"
                        + "const zone = new Intl.DateTimeFormat(undefined, {timeZoneName: 'short'}).formatToParts(new Date())"
                        + ".find(p => p.type === 'timeZoneName').value;"
                        + "return cell.textContent.endsWith(' ' + zone) && cell.querySelector('time').dateTime.length > 0"));
                b.screenshot(ARTIFACTS.resolve("campaign-report.png"));

                b.click("a[data-nav='single-sends']");
                b.awaitText("#view tbody td.sender", "Acme", WAIT);
                b.click("button[data-preview-id='" + single + "']");
                b.awaitText("#preview-content", preview, WAIT);
                assertEquals(Boolean.TRUE, b.script("return document.getElementById('preview').open"));
                Path shot = ARTIFACTS.resolve("single-send-preview.png");
                b.screenshot(shot);
                assertTrue(Files.size(shot) > 1000, "screenshot written");

                // A viewer's Settings: the admin-only controls are disabled and look it.
                b.click("#preview-close");
                b.click("a[data-nav='settings']");
                b.await("#suppress-number", WAIT);
                assertEquals("not-allowed|not-allowed", String.valueOf(b.script("return [document.getElementById('suppress-number'),"
                        + " document.querySelector('#view form button')].map(e => e.disabled && getComputedStyle(e).cursor).join('|')")));

                // The Carriers page: acme bound in as a transceiver, its window and rates; it refreshes by itself,
                // so when acme drops its connection the page turns to "Down since" without a reload.
                b.click("a[data-nav='carriers']");
                b.await("[data-carrier='acme'] tr[data-direction='in']", WAIT);
                assertEquals("in (carrier bound)|transceiver|0 / 100", String.valueOf(b.script(
                        "const c = document.querySelector(\"[data-carrier='acme'] tr[data-direction='in']\").cells;"
                                + "return [c[0].textContent, c[1].textContent, c[4].textContent].join('|')")));
                b.await("[data-carrier='acme'] [data-state='up']", WAIT);
                assertEquals(Boolean.TRUE, b.script("const n = new Intl.NumberFormat(undefined, {maximumFractionDigits: 2})"
                        + ".format(20000); return document.querySelector(\"[data-carrier='acme'] [data-field='effective-rate']\")"
                        + ".textContent === n + '/s of ' + n + '/s'"), "full rate: nothing throttled");
                b.screenshot(ARTIFACTS.resolve("carriers.png"));
                Object pageMarker = b.script("window.__carriersPage = 'same'; return window.__carriersPage");
                acme.drop();
                b.await("[data-carrier='acme'] [data-state='down']", Duration.ofSeconds(30));
                assertEquals(pageMarker, b.script("return window.__carriersPage"), "refreshed, not reloaded");
                System.out.println("browser screenshots: " + ARTIFACTS.toAbsolutePath());
            }
        }
    }

    /**
     * 1,500 receipts stream in while the Delivered tab is open: its rows refresh during the stream (at least once a
     * second, not only when events pause), and a reader who moved to page 2 and scrolled stays there.
     */
    @Test
    void rowsGrowWhileReceiptsStream() throws Exception {
        Assumptions.assumeTrue(WebDriver.available(), "skipped: no Chromium here");
        int total = 1500;
        try (GatewayHarness gw = gatewayWithViewerVera(); TestCarrier acme = acmeCarrier(gw)) {
            long campaign = new JsonObject(gw.post("/api/v1/campaigns", new JsonObject().put("name", "Browser stream")
                    .put("content", "Stream").put("createdBy", "ana").encode()).body()).getLong("id");
            List<String> numbers = IntStream.range(0, total).mapToObj(i -> String.format("+4477009%05d", i)).toList();
            assertEquals(202, gw.post("/api/v1/campaigns/" + campaign + "/sends", new JsonObject()
                    .put("contacts", numbers).put("sentBy", "ana").encode()).statusCode());
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    gw.count("select count(*) from messages where dispatch_state = 'submitted'") == total);
            receipt(acme, "acme-" + numbers.get(0).substring(1), "DELIVRD");
            receipt(acme, "acme-" + numbers.get(1).substring(1), "DELIVRD");

            try (WebDriver b = new WebDriver(ARTIFACTS)) {
                b.open(gw.baseUrl() + "/#/campaigns/" + campaign + "/delivered");
                b.type("#login-name", "vera");
                b.type("#login-password", "vera-password");
                b.click("#login-submit");
                b.awaitText("#count-delivered", "2", WAIT);
                b.awaitText("#live", "● live", WAIT);
                await().atMost(WAIT).until(() -> rows(b) == 2);

                ExecutorService streamer = Executors.newSingleThreadExecutor();
                try {
                    Future<?> stream = streamer.submit(() -> {
                        // A steady stream of ~10 s, the window kept busy: tab events far closer together than the
                        // quiet period, as from a busy carrier.
                        List<WindowFuture<Integer, PduRequest, PduResponse>> answers = new ArrayList<>();
                        for (String n : numbers.subList(2, total)) {
                            answers.add(acme.session().sendRequestPdu(receiptPdu("acme-" + n.substring(1), "DELIVRD"),
                                    10_000, true));
                            Thread.sleep(6);
                        }
                        for (WindowFuture<Integer, PduRequest, PduResponse> answer : answers) {
                            assertTrue(answer.await(10_000), "deliver_sm answered");
                            assertEquals(SmppConstants.STATUS_OK, answer.getResponse().getCommandStatus());
                        }
                        return null;
                    });
                    // Watch the rows' own total (repainted with the rows, unlike the tab counts) while the stream
                    // runs; once page 1 is full, the reader moves on to page 2 and scrolls down.
                    long began = System.nanoTime();
                    Set<String> totalsSeen = new HashSet<>();
                    boolean onPage2 = false;
                    while (!stream.isDone()) {
                        String pager = pagerText(b);
                        if (!pager.isEmpty()) {
                            totalsSeen.add(pager.substring(pager.indexOf('·')));
                        }
                        if (!onPage2 && rows(b) == 50) {
                            b.script("document.getElementById('tab-next').click()"); // by script: rows repaint meanwhile
                            await().atMost(WAIT).until(() -> pagerText(b).startsWith("Page 2 of"));
                            onPage2 = true;
                        }
                        if (onPage2 && rows(b) >= 30 && ((Number) b.script("return window.scrollY")).longValue() == 0) {
                            assertEquals(400L, ((Number) b.script("window.scrollTo(0, 400); return window.scrollY"))
                                    .longValue());
                        }
                        Thread.sleep(100); // polling pace
                    }
                    long seconds = Duration.ofNanos(System.nanoTime() - began).toSeconds();
                    int refreshes = totalsSeen.size() - 1;
                    System.out.println("rows refreshed " + refreshes + " times during a " + seconds + " s stream");
                    assertTrue(refreshes >= Math.max(3, seconds / 3), "rows refreshed during the stream, not only "
                            + "after it: " + refreshes + " times in " + seconds + " s");
                    stream.get(2, TimeUnit.MINUTES);
                } finally {
                    streamer.shutdownNow();
                }
                // Read by script: WebDriver's element reads may scroll the element into view.
                await().atMost(WAIT).until(() -> pagerText(b).equals("Page 2 of 30 · 1,500 contacts"));
                assertEquals("1,500", b.script("return document.getElementById('count-delivered').textContent"));
                assertEquals(50L, rows(b));
                assertEquals(numbers.get(50), b.script(
                        "return document.querySelector('#tab-panel tbody tr td').textContent"), "still on page 2");
                assertEquals(400L, ((Number) b.script("return window.scrollY")).longValue(), "still scrolled where left");
                b.screenshot(ARTIFACTS.resolve("campaign-stream.png"));
            }
        }
    }

    /**
     * An admin's Settings: the suppressed list (250 numbers) is searched by the start of a number and paged, its
     * CSV link keeps the search; the threshold and mode are changed and saved with a confirmation and the rule now
     * in force, which says that transient failures never count.
     */
    @Test
    void adminEditsSuppressionSettingsAndPagesTheSuppressedList() throws Exception {
        Assumptions.assumeTrue(WebDriver.available(), "skipped: no Chromium here");
        try (GatewayHarness gw = GatewayHarness.start("""
                auth:
                  users:
                    - {name: ada, password: ada-password, role: admin}
                carriers:
                  - {id: acme, system_id: acme, password: acme-pw, prefixes: ["+44"]}
                """)) {
            try (java.sql.Connection c = gw.db().database().dataSource().getConnection();
                 java.sql.Statement st = c.createStatement()) {
                st.executeUpdate("insert into suppressions (number, reason, created_at, created_by) select "
                        + "'+4477009' || lpad(i::text, 5, '0'), 'manual', now() - i * interval '1 minute', 'ada' "
                        + "from generate_series(0, 249) i");
            }
            try (WebDriver b = new WebDriver(ARTIFACTS)) {
                b.open(gw.baseUrl() + "/#/settings");
                b.type("#login-name", "ada");
                b.type("#login-password", "ada-password");
                b.click("#login-submit");
                b.awaitText("#suppressed-page", "Page 1 of 3 · 250 numbers", WAIT);
                b.click("#suppressed-next");
                b.awaitText("#suppressed-page", "Page 2 of 3 · 250 numbers", WAIT);
                assertEquals("+447700900100", b.script("return document.querySelector('#view tbody td').textContent"));
                b.type("#suppressed-search", "44770090012");
                b.awaitText("#suppressed-page", "Page 1 of 1 · 10 numbers", WAIT);
                assertTrue(String.valueOf(b.script("return document.getElementById('suppressed-csv').href"))
                        .endsWith("/api/v1/suppressions?number=44770090012&format=csv"));

                // A number that is not suppressed (its UNDELIVs were transient, say): the rule says why.
                b.script("document.getElementById('suppressed-search').value = ''");
                b.type("#suppressed-search", "+447700900999");
                b.awaitText("#view tbody td", "No suppressed number starts with +447700900999. A number is suppressed "
                        + "after 3 consecutive permanent (hard) bounces (a delivery starts the count again); transient "
                        + "failures (phone off, busy, network trouble: most UNDELIV receipts) never count, nor do "
                        + "invalid or unroutable numbers.", WAIT);

                b.await("#suppress-threshold", WAIT);
                b.script("document.getElementById('suppress-threshold').value = ''");
                b.type("#suppress-threshold", "5");
                b.script("const m = document.getElementById('suppress-mode'); m.value = 'total';");
                assertEquals(Boolean.FALSE, b.script("return document.getElementById('suppress-invalid').checked"),
                        "invalid numbers do not count by default");
                b.click("#suppress-invalid");
                b.click("#settings-save");
                b.awaitText("#settings-saved", "Saved. The new rule applies to bounces from now on.", WAIT);
                b.awaitText("#suppress-rule", "A number is suppressed after 5 permanent (hard) bounces in total; "
                        + "transient failures (phone off, busy, network trouble: most UNDELIV receipts) never count; "
                        + "invalid and unroutable numbers (filed at the send) do.", WAIT);
                JsonObject now = new JsonObject(gw.get("/api/v1/settings").body());
                assertEquals(5, now.getInteger("suppressionThreshold"));
                assertEquals("total", now.getString("suppressionMode"));
                assertEquals(Boolean.TRUE, now.getBoolean("countInvalidNumbers"));
                b.screenshot(ARTIFACTS.resolve("settings-saved.png"));
            }
        }
    }

    /**
     * The report shows each tab's share of sent and the delivery rate (and keeps them as receipts arrive), the text
     * that was sent, the carrier of each row, and a chart of the five tabs over time drawn by the page as an SVG;
     * the campaign list shows the delivery rate.
     */
    @Test
    void ratesChartTextSentAndCarrier() throws Exception {
        Assumptions.assumeTrue(WebDriver.available(), "skipped: no Chromium here");
        try (GatewayHarness gw = gatewayWithViewerVera(); TestCarrier acme = acmeCarrier(gw)) {
            long campaign = new JsonObject(gw.post("/api/v1/campaigns", new JsonObject().put("name", "Browser rates")
                    .put("content", "Rates are here").put("createdBy", "ana").encode()).body()).getLong("id");
            List<String> numbers = List.of("+447700900501", "+447700900502", "+447700900503", "+447700900504");
            assertEquals(202, gw.post("/api/v1/campaigns/" + campaign + "/sends", new JsonObject()
                    .put("contacts", numbers).put("sentBy", "ana").encode()).statusCode());
            await().atMost(WAIT).until(() -> gw.count("select count(*) from messages where dispatch_state = 'submitted'") == 4);
            receipt(acme, "acme-447700900501", "DELIVRD");
            receipt(acme, "acme-447700900502", "UNDELIV");

            try (WebDriver b = new WebDriver(ARTIFACTS)) {
                b.open(gw.baseUrl() + "/");
                b.type("#login-name", "vera");
                b.type("#login-password", "vera-password");
                b.click("#login-submit");
                b.awaitText("td[data-delivery-rate='" + campaign + "']", "25%", WAIT);

                b.click("a[data-campaign-id='" + campaign + "']");
                b.awaitText("#count-delivered", "1", WAIT);
                b.awaitText("#live", "● live", WAIT);
                assertEquals("25%|25%|50%|0%|25%|0%", rates(b));
                b.awaitText("#sent-content", "Rates are here", WAIT);
                b.awaitText("#tab-panel tbody td", "+447700900501", WAIT);
                assertEquals("acme", b.script("const row = document.querySelector('#tab-panel tbody tr');"
                        + "return row.cells[row.cells.length - 1].textContent"), "the carrier column");

                // The chart: one line per tab, each ending at the tab's count (the line at the top is the largest).
                b.await("#timeline-chart polyline", WAIT);
                assertEquals("delivered|pending|soft-bounces|hard-bounces|deleted", b.script(
                        "return Array.from(document.querySelectorAll('#timeline-chart polyline')).map(p => p.dataset.tab)"
                                + ".join('|')"));
                assertEquals(Boolean.TRUE, b.script("return Array.from(document.querySelectorAll("
                        + "'#timeline-chart polyline')).every(p => p.points.length >= 2 && p.getBBox().width > 0)"),
                        "every series is drawn across the chart");
                assertEquals("pending", b.script("const ends = Array.from(document.querySelectorAll("
                        + "'#timeline-chart polyline')).map(p => [p.dataset.tab, p.points[p.points.length - 1].y]);"
                        + "ends.sort((a, c) => a[1] - c[1]); return ends[0][0]"), "Pending (2) ends highest");
                assertEquals(Boolean.TRUE, b.script("return document.getElementById('timeline-chart').getAttribute("
                        + "'aria-label').includes('Pending 2')"));

                // A receipt: the shares move with the counts, without a reload.
                receipt(acme, "acme-447700900503", "DELIVRD");
                b.awaitText("#fig-delivery-rate", "50%", WAIT);
                assertEquals("50%|50%|25%|0%|25%|0%", rates(b));
                b.screenshot(ARTIFACTS.resolve("campaign-rates.png"));

                // An UNDELIV classed transient (err 027, absent subscriber): its row says it did not count toward
                // suppression, and why (the rule in force, in its tooltip and once under the rows).
                receipt(acme, "acme-447700900504", "UNDELIV", "027");
                b.click("#tab-hard-bounces");
                b.awaitText("#tab-panel tbody tr:nth-child(2) td", "+447700900504", WAIT); // not Delivered's 2 rows
                String rule = new JsonObject(gw.get("/api/v1/settings").body()).getString("rule");
                assertEquals("+447700900502|permanent — counts toward suppression|true\n"
                        + "+447700900504|transient — not counted toward suppression|" + rule, b.script(
                        "return Array.from(document.querySelectorAll('#tab-panel tbody tr')).map(r => [r.cells[0]"
                                + ".textContent, r.cells[4].textContent, r.cells[4].querySelector('small').dataset.counts"
                                + " === 'true' ? 'true' : r.cells[4].querySelector('small').title].join('|')).join('\\n')"));
                b.awaitText("#suppression-rule", "Suppression: " + rule, WAIT);
                b.screenshot(ARTIFACTS.resolve("campaign-not-counted.png"));
            }
        }
    }

    /** The delivery rate, then each tab's share as its button shows it, read in one script. */
    static String rates(WebDriver b) throws Exception {
        return String.valueOf(b.script("return [document.getElementById('fig-delivery-rate').textContent].concat("
                + "['delivered', 'pending', 'soft-bounces', 'hard-bounces', 'deleted'].map(t => "
                + "document.getElementById('rate-' + t).textContent)).join('|')"));
    }

    /** The tab pager's text, read in one script (the rows repaint under a find-then-read). */
    static String pagerText(WebDriver b) throws Exception {
        return String.valueOf(b.script("const e = document.getElementById('tab-page'); return e ? e.textContent : ''"));
    }

    static long rows(WebDriver b) throws Exception {
        return ((Number) b.script("return document.querySelectorAll('#tab-panel tbody tr[data-message-id]').length"))
                .longValue();
    }

    static GatewayHarness gatewayWithViewerVera() throws Exception {
        return GatewayHarness.start("""
                auth:
                  users:
                    - {name: vera, password: vera-password, role: viewer}
                carriers:
                  - {id: acme, system_id: acme, password: acme-pw, prefixes: ["+44"], max_submit_rate: 20000}
                """);
    }

    /** The carrier acme, bound, accepting every submit with the message id "acme-" + the number's digits. */
    static TestCarrier acmeCarrier(GatewayHarness gw) {
        return TestCarrier.to(gw.smppPort()).systemId("acme").password("acme-pw").bindType(BindType.TRANSCEIVER)
                .onSubmit(s -> TestCarrier.SubmitAnswer.ok("acme-" + s.getDestAddress().getAddress())).bind();
    }

    static void receipt(TestCarrier carrier, String id, String stat) throws Exception {
        receipt(carrier, id, stat, "000");
    }

    static void receipt(TestCarrier carrier, String id, String stat, String err) throws Exception {
        assertEquals(SmppConstants.STATUS_OK, carrier.sendDeliverSm(receiptPdu(id, stat, err)).getCommandStatus());
    }

    static DeliverSm receiptPdu(String id, String stat) {
        return receiptPdu(id, stat, "000");
    }

    static DeliverSm receiptPdu(String id, String stat, String err) {
        String dlvrd = "DELIVRD".equals(stat) ? "001" : "000";
        return TestCarrier.receipt("id:" + id + " sub:001 dlvrd:" + dlvrd
                + " submit date:2401011200 done date:2401011205 stat:" + stat + " err:" + err + " text:x");
    }
}
