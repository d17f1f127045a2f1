package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.fails;
import static io.dlrgate.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** smpp.tls and http.tls: the files named, the port, and what is refused with its key and line. */
class TlsSectionTest {

    @TempDir
    Path dir;

    private Path file(String name) throws IOException {
        return Files.writeString(dir.resolve(name), "-----BEGIN CERTIFICATE-----\n");
    }

    @Test
    void absentMeansNoTls() {
        GatewayConfig c = load("");
        assertNull(c.smpp().tls());
        assertNull(c.http().tls());
    }

    @Test
    void readsBothSections() throws IOException {
        Path cert = file("cert.pem");
        Path key = file("key.pem");
        GatewayConfig c = load("smpp:\n  tls:\n    port: 3551\n    cert: " + cert + "\n    key: " + key + "\n"
                + "http:\n  tls: {cert: " + cert + ", key: " + key + "}\n");
        assertEquals(new SmppTlsConfig(3551, new TlsFiles(cert, key)), c.smpp().tls());
        assertEquals(new TlsFiles(cert, key), c.http().tls());
    }

    @Test
    void smppTlsPortDefaultsTo3550AndTheEnvironmentOverridesIt() throws IOException {
        String yaml = "smpp:\n  tls:\n    cert: " + file("c.pem") + "\n    key: " + file("k.pem") + "\n";
        assertEquals(3550, load(yaml).smpp().tls().port());
        assertEquals(4550, ConfigLoader.fromYaml(yaml, ConfigAssertions.SOURCE,
                Map.of("DLRGATE_SMPP_TLS_PORT", "4550")).smpp().tls().port());
    }

    @Test
    void missingFileNamesTheKeyAndLine() throws IOException {
        Path key = file("key.pem");
        ConfigException e = fails("smpp:\n  tls:\n    cert: " + dir.resolve("nope.pem") + "\n    key: " + key + "\n");
        ConfigException.Problem p = assertProblem(e, "smpp.tls.cert", "no such file", "nope.pem");
        assertEquals(3, p.line());
    }

    @Test
    void unreadableOrMissingKeysAreRefused() throws IOException {
        assertProblem(fails("http:\n  tls:\n    cert: " + file("c.pem") + "\n"), "http.tls.key", "missing required key");
        assertProblem(fails("http:\n  tls:\n    cert: " + dir + "\n    key: " + file("k.pem") + "\n"),
                "http.tls.cert", "a directory");
        assertProblem(fails("smpp:\n  tls:\n    cert: c\n    key: k\n    password: x\n"), "smpp.tls.password",
                "unknown key");
    }

    @Test
    void tlsPortMustDifferFromTheOtherListeners() throws IOException {
        String files = "    cert: " + file("c.pem") + "\n    key: " + file("k.pem") + "\n";
        assertProblem(fails("smpp:\n  port: 2775\n  tls:\n    port: 2775\n" + files), "smpp.tls.port",
                "must differ from smpp.port");
        assertProblem(fails("http:\n  port: 3550\nsmpp:\n  tls:\n" + files), "smpp.tls.port", "http.port");
    }

    @Test
    void clientCertificatesOnTheSmppListener() throws IOException {
        String files = "    cert: " + file("c.pem") + "\n    key: " + file("k.pem") + "\n";
        Path ca = file("ca.pem");
        SmppTlsConfig t = load("smpp:\n  tls:\n" + files + "    client_auth: required\n    client_ca: " + ca + "\n")
                .smpp().tls();
        assertEquals(SmppTlsConfig.ClientAuth.REQUIRED, t.clientAuth());
        assertEquals(ca, t.clientCa());
        assertEquals(SmppTlsConfig.ClientAuth.NONE, load("smpp:\n  tls:\n" + files).smpp().tls().clientAuth());
        assertProblem(fails("smpp:\n  tls:\n" + files + "    client_auth: optional\n"), "smpp.tls.client_ca",
                "missing", "needs the PEM file");
        assertProblem(fails("smpp:\n  tls:\n" + files + "    client_ca: " + ca + "\n"), "smpp.tls.client_ca",
                "only with client_auth");
        assertProblem(fails("smpp:\n  tls:\n" + files + "    client_auth: maybe\n"), "smpp.tls.client_auth",
                "none, optional, required");
    }

    @Test
    void aClientCertificateOnAnOutboundBindNeedsBothFiles() throws IOException {
        String carrier = "carriers:\n  - id: alpha\n    prefixes: [\"+44\"]\n    connect:\n      host: 127.0.0.1\n"
                + "      port: 2775\n      system_id: a\n      password: p\n";
        Path cert = file("client.pem");
        Path key = file("client-key.pem");
        ConnectConfig.Tls tls = load(carrier + "      tls: {cert: " + cert + ", key: " + key + "}\n").carriers().get(0)
                .connect().tls();
        assertEquals(new TlsFiles(cert, key), tls.certificate());
        assertProblem(fails(carrier + "      tls: {cert: " + cert + "}\n"), "carriers[0].connect.tls.key",
                "missing required key");
    }
}
