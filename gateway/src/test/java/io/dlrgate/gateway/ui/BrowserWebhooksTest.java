package io.dlrgate.gateway.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.testing.GatewayHarness;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The Webhooks page (admin): an endpoint is added, its secret shown once, listed, disabled, and refused URLs named. */
class BrowserWebhooksTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final Path ARTIFACTS = Path.of("target", "browser");

    @Test
    void anAdminAddsAnEndpointSeesItsSecretOnceAndDisablesIt() throws Exception {
        Assumptions.assumeTrue(WebDriver.available(), "skipped: no Chromium here");
        try (GatewayHarness gw = GatewayHarness.start("""
                auth:
                  users:
                    - {name: ada, password: ada-password, role: admin}
                carriers:
                  - {id: acme, system_id: acme, password: acme-pw, prefixes: ["+44"]}
                webhooks: {allow_http: true, allow_private: true}
                """);
             WebDriver b = new WebDriver(ARTIFACTS)) {
            b.open(gw.baseUrl() + "/#/webhooks");
            b.type("#login-name", "ada");
            b.type("#login-password", "ada-password");
            b.click("#login-submit");
            b.await("#webhook-url", WAIT);
            b.awaitText("#webhook-list td", "No endpoints yet.", WAIT);
            // Nothing listens on port 9 of the loopback: nothing is sent anywhere else.
            b.type("#webhook-url", "http://127.0.0.1:9/hooks");
            b.click("#webhook-add");
            String secret = b.await("#webhook-secret-value", WAIT);
            assertTrue(b.text("#webhook-secret-value").startsWith("whsec_"), secret);
            b.await("#webhook-1", WAIT);
            assertEquals("1", String.valueOf(b.script("return document.querySelector('#webhook-1 td').textContent")));
            b.screenshot(ARTIFACTS.resolve("webhooks.png"));

            b.script("[...document.querySelectorAll('#webhook-1 button')].find(x => x.textContent === 'Disable').click()");
            org.awaitility.Awaitility.await().atMost(WAIT).until(() ->
                    !new JsonObject(gw.get("/api/v1/webhooks/1").body()).getBoolean("enabled"));

            b.script("document.getElementById('webhook-url').value = ''");
            b.type("#webhook-url", "ftp://127.0.0.1/x");
            b.script("document.getElementById('webhook-form').requestSubmit()");
            b.awaitText("#webhook-error", "url: must be an https URL", WAIT);
        }
    }
}
