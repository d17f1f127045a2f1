package io.dlrgate.gateway.tls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.TlsFiles;
import io.dlrgate.gateway.testing.LogCapture;
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

    /**
     * The files parse, but the listener cannot build its TLS context from them (as NettyServerTls throws when
     * SslContext building fails): the old certificate stays the current one, the failure is logged once (later
     * polls do not call the refused files "unchanged"), and a later good file is picked up.
     */
    @Test
    void aCertificateTheListenerCannotApplyIsNotRecordedAsInUse() throws Exception {
        TestCertificates certs = TestCertificates.in(dir);
        TestCertificates.Issued first = certs.server("first");
        TestCertificates.Issued unusable = certs.server("unusable");
        TestCertificates.Issued renewed = certs.server("renewed");
        ReloadingCertificate watched = ReloadingCertificate.load("smpp.tls", first.files());
        List<BigInteger> applied = new CopyOnWriteArrayList<>(List.of(first.serial()));
        watched.onChange(c -> {
            if (c.leaf().getSerialNumber().equals(unusable.serial())) {
                throw new CertificateFileException("cannot set up TLS with " + c.describe() + ": test refusal");
            }
            applied.add(c.leaf().getSerialNumber());
        });
        unusable.copyTo(first.files());
        LogCapture.Lines lines = LogCapture.during(ReloadingCertificate.class, () -> {
            for (int i = 0; i < 5; i++) {
                assertEquals(ReloadingCertificate.Outcome.KEPT_OLD, watched.reload(false), "poll " + i);
            }
        });
        assertEquals(first.serial(), watched.current().leaf().getSerialNumber(), "the one still served");
        assertEquals(List.of(first.serial()), applied);
        List<String> warnings = lines.messages().stream().filter(m -> m.contains("not used")).toList();
        assertEquals(1, warnings.size(), lines.messages().toString());
        assertTrue(warnings.get(0).contains("test refusal"), warnings.get(0));
        assertTrue(lines.messages().stream().noneMatch(m -> m.contains("reloaded")), lines.messages().toString());

        renewed.copyTo(first.files());
        assertEquals(ReloadingCertificate.Outcome.RELOADED, watched.reload(false));
        assertEquals(renewed.serial(), watched.current().leaf().getSerialNumber());
        assertEquals(List.of(first.serial(), renewed.serial()), applied);
    }
}
