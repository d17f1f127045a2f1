package io.dlrgate.gateway.ui;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppConstants;
import io.dlrgate.config.BindType;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.TestCarrier;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
        try (GatewayHarness gw = GatewayHarness.start("""
                auth:
                  users:
                    - {name: vera, password: vera-password, role: viewer}
                carriers:
                  - {id: acme, system_id: acme, password: acme-pw, prefixes: ["+44"], max_submit_rate: 20000}
                """);
             TestCarrier acme = TestCarrier.to(gw.smppPort()).systemId("acme").password("acme-pw")
                     .bindType(BindType.TRANSCEIVER)
                     .onSubmit(s -> TestCarrier.SubmitAnswer.ok("acme-" + s.getDestAddress().getAddress())).bind()) {
            long campaign = new JsonObject(gw.post("/api/v1/campaigns", new JsonObject().put("name", "Browser spring")
                    .put("content", "Spring is here").put("createdBy", "ana").encode()).body()).getLong("id");
            assertEquals(202, gw.post("/api/v1/campaigns/" + campaign + "/sends", new JsonObject()
                    .put("contacts", List.of("+447700900401", "+447700900402", "+447700900403"))
                    .put("sentBy", "ana").encode()).statusCode());
            String preview = "Hello Vera, your order 42 has shipped and will arrive on Thursday between 9 and 11; "
                    + "reply STOP to opt out";
            long single = new JsonObject(gw.post("/api/v1/messages", new JsonObject().put("to", "+447700900499")
                    .put("content", preview).put("source", "ui").encode()).body()).getLong("id");
            await().atMost(WAIT).until(() -> gw.count("select count(*) from messages where dispatch_state = 'submitted'") == 4);
            receipt(acme, "acme-447700900401", "DELIVRD");

            try (WebDriver b = new WebDriver(ARTIFACTS)) {
                b.open(gw.baseUrl() + "/");
                b.await("#login-name", WAIT);
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
                b.click("#tab-hard-bounces");
                b.awaitText("#tab-hard-bounces", "Hard bounces0", WAIT);
                assertEquals("true", String.valueOf(b.script(
                        "return document.getElementById('tab-hard-bounces').getAttribute('aria-selected')")));
                b.awaitText("#tab-panel tbody td", "No contacts in this tab.", WAIT);

                // A receipt arrives over SMPP: the count and the open tab change without a reload.
                Object marker = b.script("window.__noReload = 'still-here'; return window.__noReload");
                receipt(acme, "acme-447700900402", "UNDELIV");
                b.awaitText("#count-hard-bounces", "1", WAIT);
                b.awaitText("#count-pending", "1", WAIT);
                b.awaitText("#tab-panel tbody td", "+447700900402", WAIT);
                // The row shows the class stored with the failure (as GET /api/v1/messages/{id} has it) and why.
                long bounced = gw.count("select id from messages where recipient = '+447700900402'");
                String stored = new JsonObject(gw.get("/api/v1/messages/" + bounced).body()).getString("errorClass");
                assertTrue(stored != null, "UNDELIV is classed when stored");
                assertEquals("+447700900402|GB|UNDELIV|000|" + stored + "|Carrier receipt", String.valueOf(b.script(
                        "return Array.from(document.querySelectorAll('#tab-panel tbody tr')[0].cells).slice(0, 6)"
                                + ".map(c => c.textContent).join('|')")));
                assertEquals(marker, b.script("return window.__noReload"), "the page was not reloaded");
                b.screenshot(ARTIFACTS.resolve("campaign-report.png"));

                b.click("a[data-nav='single-sends']");
                b.click("button[data-preview-id='" + single + "']");
                b.awaitText("#preview-content", preview, WAIT);
                assertEquals(Boolean.TRUE, b.script("return document.getElementById('preview').open"));
                Path shot = ARTIFACTS.resolve("single-send-preview.png");
                b.screenshot(shot);
                assertTrue(Files.size(shot) > 1000, "screenshot written");
                System.out.println("browser screenshots: " + ARTIFACTS.toAbsolutePath());
            }
        }
    }

    static void receipt(TestCarrier carrier, String id, String stat) throws Exception {
        String dlvrd = "DELIVRD".equals(stat) ? "001" : "000";
        assertEquals(SmppConstants.STATUS_OK, carrier.sendDeliverSm(TestCarrier.receipt("id:" + id + " sub:001 dlvrd:"
                + dlvrd + " submit date:2401011200 done date:2401011205 stat:" + stat + " err:000 text:x"))
                .getCommandStatus());
    }
}
