package io.dlrgate.gateway.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.DeliverSm;
import com.cloudhopper.smpp.type.Address;
import io.dlrgate.config.BindType;
import io.dlrgate.gateway.dispatch.encoding.Gsm7Alphabet;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.TestCarrier;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Replies page in Chromium: replies that came over real SMPP are listed newest first with their kind and what
 * they answer, a text that looks like HTML is shown as text, the number search narrows the list and the CSV link
 * follows it.
 */
class BrowserRepliesTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final Path ARTIFACTS = Path.of("target", "browser");

    static void reply(TestCarrier carrier, String from, String text) throws Exception {
        DeliverSm d = new DeliverSm();
        d.setSourceAddress(new Address((byte) 1, (byte) 1, from));
        d.setDestAddress(new Address((byte) 5, (byte) 0, "DLRGATE"));
        d.setShortMessage(Gsm7Alphabet.encode(text));
        assertEquals(SmppConstants.STATUS_OK, carrier.send(d, WAIT).getCommandStatus());
    }

    @Test
    void aViewerSeesTheRepliesTheirKindsAndSearchesByNumber() throws Exception {
        Assumptions.assumeTrue(WebDriver.available(), "skipped: no Chromium here");
        try (GatewayHarness gw = GatewayHarness.start("""
                auth:
                  users:
                    - {name: vic, password: vic-password, role: viewer}
                carriers:
                  - {id: acme, system_id: acme, password: acme-pw, prefixes: ["+44"]}
                """);
             TestCarrier acme = TestCarrier.to(gw.smppPort()).systemId("acme").password("acme-pw")
                     .bindType(BindType.TRANSCEIVER).onSubmit(s -> TestCarrier.SubmitAnswer.ok("m1")).bind();
             WebDriver b = new WebDriver(ARTIFACTS)) {
            gw.sendAndAwaitSubmitted("+447700900501");
            reply(acme, "447700900501", "See you at 5");
            reply(acme, "447700900502", "<img src=x onerror=alert(1)>");
            reply(acme, "447700900503", "STOP");

            b.open(gw.baseUrl() + "/#/replies");
            b.type("#login-name", "vic");
            b.type("#login-password", "vic-password");
            b.click("#login-submit");
            b.awaitText("#replies-total", "3 replies.", WAIT);
            // Newest first: the STOP, then the HTML-looking text, then the linked reply.
            assertEquals("opt-out,reply,reply", String.valueOf(b.script("return [...document.querySelectorAll("
                    + "'#replies tr[data-kind]')].map(r => r.dataset.kind).join()")));
            assertEquals("Opted out", b.text("#replies tr[data-kind='opt-out'] .pill"));
            assertEquals("<img src=x onerror=alert(1)>", String.valueOf(b.script("return document.querySelectorAll("
                    + "'#replies .reply-text')[1].textContent")), "shown as text");
            assertNull(b.find("#replies img"), "never made into markup");
            assertEquals("single send", String.valueOf(b.script("return document.querySelectorAll("
                    + "'#replies tr[data-kind]')[2].children[4].textContent")));
            assertEquals("unlinked", String.valueOf(b.script("return document.querySelectorAll("
                    + "'#replies tr[data-kind]')[1].children[4].textContent")));
            b.screenshot(ARTIFACTS.resolve("replies.png"));

            b.type("#replies-number", "+447700900503");
            b.awaitText("#replies-total", "1 reply from +447700900503.", WAIT);
            assertEquals("+447700900503", String.valueOf(b.script("return document.querySelector("
                    + "'#replies tr[data-kind] td:nth-child(2)').textContent")));
            String csv = String.valueOf(b.script("return document.getElementById('replies-csv').getAttribute('href')"));
            assertTrue(csv.contains("format=csv") && csv.contains("number=%2B447700900503"), csv);

            b.script("document.getElementById('replies-number').value = ''");
            b.type("#replies-number", "12ab");
            b.awaitText("#replies-total", "Type the digits of a number (optionally starting with +).", WAIT);
        }
    }
}
