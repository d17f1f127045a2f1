package io.dlrgate.gateway.tls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.EnquireLink;
import io.dlrgate.config.BindType;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.TestCarrier;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole gateway with both listeners on TLS: a carrier binds over TLS, takes the submit and sends the receipt that
 * lands in the report; HTTPS serves the API and health, the login cookie is {@code Secure}; and a reload (what
 * SIGHUP does) puts a renewed certificate on new HTTPS and SMPP connections while an open session stays bound.
 */
class GatewayTlsTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String CONFIG = """
            auth:
              users:
                - {name: ada, password: admin-pass, role: admin}
            carriers:
              - {id: acme, system_id: acme, password: acme-pw, prefixes: ["+44"], max_binds: 2}
            """;

    @TempDir
    Path dir;

    GatewayHarness gw;
    final List<TestCarrier> carriers = new ArrayList<>();

    @AfterEach
    void tearDown() {
        carriers.forEach(TestCarrier::close);
        if (gw != null) {
            gw.close();
        }
    }

    private TestCertificates certs;
    private TestCertificates.Issued cert;

    private void start() throws Exception {
        certs = TestCertificates.in(dir);
        cert = certs.server("gateway");
        String files = "{cert: " + cert.files().cert() + ", key: " + cert.files().key() + "}";
        gw = GatewayHarness.start(CONFIG, "  tls: {port: 0, cert: " + cert.files().cert() + ", key: "
                + cert.files().key() + "}\n", "  tls: " + files + "\n", Clock.systemUTC());
        gw.withClient(client());
    }

    private HttpClient client() {
        return HttpClient.newBuilder().sslContext(certs.jdkClientTrustingCa()).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private TestCarrier bindOverTls(String messageId) {
        TestCarrier c = TestCarrier.to(gw.gateway().smppTlsPort()).systemId("acme").password("acme-pw")
                .bindType(BindType.TRANSCEIVER).tls(certs.clientTrustingCa())
                .onSubmit(s -> TestCarrier.SubmitAnswer.ok(messageId)).bind();
        carriers.add(c);
        return c;
    }

    @Test
    void aReceiptOverTlsReachesTheReportAndHttpsServesTheApi() throws Exception {
        start();
        assertTrue(gw.baseUrl().startsWith("https://"), gw.baseUrl());
        HttpResponse<String> health = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/health")).GET());
        assertEquals(200, health.statusCode());
        assertEquals(cert.serial(), peerSerial(health));

        TestCarrier acme = bindOverTls("acme-tls-1");
        long id = gw.sendSingle("+447700900001", "hello over tls", null);
        assertEquals("447700900001", acme.awaitSubmits(1, WAIT).get(0).destination());
        await().atMost(WAIT).until(() -> "submitted".equals(message(id).getString("dispatchState")));
        assertEquals(SmppConstants.STATUS_OK, acme.sendDeliverSm(TestCarrier.receipt(
                "id:acme-tls-1 sub:001 dlvrd:001 submit date:2612070900 done date:2612070901 stat:DELIVRD err:000 text:"))
                .getCommandStatus());
        await().atMost(WAIT).until(() -> "delivered".equals(message(id).getString("tab")));
    }

    @Test
    void theLoginCookieIsSecureOverHttps() throws Exception {
        start();
        HttpResponse<String> login = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/v1/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"ada\",\"password\":\"admin-pass\"}")));
        assertEquals(200, login.statusCode(), login.body());
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(List.of(setCookie.split(";\\s*")).stream().anyMatch(a -> a.equalsIgnoreCase("Secure")), setCookie);
    }

    @Test
    void aReloadPutsTheRenewedCertificateOnNewConnectionsOnly() throws Exception {
        start();
        TestCarrier old = bindOverTls("acme-1");
        TestCertificates.Issued renewed = certs.server("renewed");
        renewed.copyTo(cert.files());

        assertTrue(gw.gateway().reloadCertificates()); // what SIGHUP calls

        await().atMost(WAIT).until(() -> renewed.serial().equals(peerSerial(
                client().send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString()))));
        await().atMost(WAIT).until(() -> gw.gateway().smpp().tlsCertificate().current().leaf().getSerialNumber()
                .equals(renewed.serial()));
        TestCarrier fresh = bindOverTls("acme-2");
        assertEquals(renewed.serial(), fresh.peerCertificate().getSerialNumber());
        assertEquals(cert.serial(), old.peerCertificate().getSerialNumber());
        assertEquals(SmppConstants.STATUS_OK, old.send(new EnquireLink(), WAIT)
                .getCommandStatus());
    }

    private static BigInteger peerSerial(HttpResponse<?> response) throws Exception {
        return ((X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber();
    }

    private JsonObject message(long id) throws Exception {
        return new JsonObject(gw.get("/api/v1/messages/" + id).body());
    }
}
