package io.dlrgate.gateway.tls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.TlsFiles;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a certificate file must hold to be used, and the poller that notices a renewed one. */
class CertificateFilesTest {

    @TempDir
    Path dir;

    @Test
    void unusableFilesAreRefusedWithTheKeyAndFile() throws Exception {
        TestCertificates certs = TestCertificates.in(dir);
        TestCertificates.Issued a = certs.server("a");
        TestCertificates.Issued b = certs.server("b");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "not pem at all\n");
        Path encrypted = Files.writeString(dir.resolve("enc.pem"),
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");

        assertMessage(new TlsFiles(empty, a.files().key()), "smpp.tls.cert: no PEM certificate", "empty.pem");
        assertMessage(new TlsFiles(a.files().cert(), empty), "smpp.tls.key: expected one PEM private key", "found 0");
        assertMessage(new TlsFiles(a.files().cert(), encrypted), "smpp.tls.key", "encrypted", "openssl pkcs8");
        assertMessage(new TlsFiles(a.files().cert(), b.files().key()), "does not belong to the certificate");
        assertEquals(a.serial(), ServerCertificate.read("smpp.tls", a.files()).leaf().getSerialNumber());
    }

    private static void assertMessage(TlsFiles files, String... fragments) {
        CertificateFileException e = assertThrows(CertificateFileException.class,
                () -> ServerCertificate.read("smpp.tls", files));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), e.getMessage());
        }
    }

    @Test
    void thePollerPicksUpARenewedCertificate() throws Exception {
        TestCertificates certs = TestCertificates.in(dir);
        TestCertificates.Issued first = certs.server("first");
        ReloadingCertificate watched = ReloadingCertificate.load("http.tls", first.files());
        List<BigInteger> seen = new CopyOnWriteArrayList<>();
        watched.onChange(c -> seen.add(c.leaf().getSerialNumber()));
        try (CertificateReloader reloader = new CertificateReloader(List.of(watched), Duration.ofMillis(50))) {
            TestCertificates.Issued renewed = certs.server("renewed");
            renewed.copyTo(first.files());
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains(renewed.serial()));
            assertEquals(renewed.serial(), watched.current().leaf().getSerialNumber());
        }
    }
}
