package io.dlrgate.gateway.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Server-side request forgery: a webhook URL may not point into the operator's network unless allowed. */
class WebhookTargetTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1/x", "https://localhost/x", "https://10.1.2.3/x", "https://172.16.0.9/x",
            "https://192.168.1.1/x", "https://169.254.169.254/latest/meta-data", "https://[::1]/x",
            "https://[fd00::1]/x", "https://[fe80::1]/x", "https://100.64.0.1/x", "https://0.0.0.0/x",
            "https://[::ffff:127.0.0.1]/x"})
    void privateTargetsAreRefused(String url) {
        WebhookTarget.RefusedException e = assertThrows(WebhookTarget.RefusedException.class,
                () -> WebhookTarget.resolve(url, false, false));
        assertTrue(e.getMessage().contains("allow_private"), e.getMessage());
    }

    @Test
    void theyAreAllowedWhenTheOperatorSaysSo() throws Exception {
        WebhookTarget t = WebhookTarget.resolve("http://127.0.0.1:8080/hooks?a=1", true, true);
        assertEquals("127.0.0.1", t.address().getHostAddress());
        assertEquals(8080, t.port());
        assertEquals("/hooks?a=1", t.requestUri());
    }

    @Test
    void plainHttpNeedsAllowHttp() {
        WebhookTarget.RefusedException e = assertThrows(WebhookTarget.RefusedException.class,
                () -> WebhookTarget.resolve("http://127.0.0.1/x", false, true));
        assertTrue(e.getMessage().contains("allow_http"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/x", "https://user:pw@example.com/x", "not a url", "https:///x", ""})
    void otherUrlsAreRefusedForTheirForm(String url) {
        assertThrows(WebhookTarget.RefusedException.class, () -> WebhookTarget.parse(url, true));
    }

    @Test
    void aPublicAddressPasses() throws Exception {
        // A literal: no DNS needed, and nothing is sent to it.
        assertEquals(443, WebhookTarget.resolve("https://93.184.216.34/hook", false, false).port());
    }
}
