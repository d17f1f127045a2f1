package io.dlrgate.simulator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.tls.TestCertificates;
import io.dlrgate.simulator.carrier.SmscTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator as a TLS SMSC ({@code dlrgate-sim smsc --tls-cert --tls-key}), no terminator in front: dlrgate binds
 * out to it over TLS, verifying its certificate and host name against the CA, and the ledger matches the report.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SmscTlsListenerTest {

    @TempDir
    Path dir;

    @Test
    void dlrgateBindsOutOverTlsToTheSimulatedSmscAndTheLedgerMatchesTheReport() throws Exception {
        TestCertificates certs = TestCertificates.in(dir);
        TestCertificates.Issued smsc = certs.server("smsc");
        Scenario s = ScenarioLoader.fromYaml("""
                name: TLS SMSC
                role: smsc
                seed: 15016
                timeout: 120s
                carriers:
                  - id: alpha
                    system_id: alpha
                    password: alpha-pw
                    prefixes: ["+44"]
                    bind_type: transceiver
                    receipt_delay: 0ms..100ms
                rules:
                  - name: some of each
                    weights:
                      - {weight: 70, outcome: DELIVRD}
                      - {weight: 30, outcome: UNDELIV}
                sends:
                  - campaign: Over TLS
                    content: "over TLS to the simulator"
                    contacts: {prefix: "+4477009", count: 200, width: 5}
                """, "tls-smsc.yaml", null);
        try (ScenarioRunner runner = new ScenarioRunner(s, "127.0.0.1", 0)) {
            runner.smscTls(SmscTls.fromPem(smsc.files().cert(), smsc.files().key()));
            runner.start(Duration.ZERO);
            ScenarioGateway.Front tls = new ScenarioGateway.Front(runner.smscPort(),
                    "{trust: \"" + certs.caFile() + "\", verify_hostname: true}");
            try (GatewayHarness gw = GatewayHarness.start(ScenarioGateway.connectYaml(s, tls, ""))) {
                assertTrue(runner.awaitBound(Duration.ofSeconds(30)), "bound over TLS: " + runner.failure());
                Verifier.Result r = new Verifier(s, runner, new GatewayClient(gw.baseUrl(), GatewayHarness.API_KEY))
                        .verify();
                assertTrue(r.ok(), r.text());
                assertEquals(200, runner.totals().submitsReceived());
            }
        }
    }

    @Test
    void aKeyInTheOldRsaFormatIsRefusedWithTheCommandThatConvertsIt() throws Exception {
        TestCertificates.Issued smsc = TestCertificates.in(dir).server("smsc");
        Path rsa = dir.resolve("rsa-key.pem");
        Files.writeString(rsa, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SmscTls.fromPem(smsc.files().cert(), rsa));
        assertTrue(e.getMessage().contains("--tls-key") && e.getMessage().contains("openssl pkcs8"), e.getMessage());
    }
}
