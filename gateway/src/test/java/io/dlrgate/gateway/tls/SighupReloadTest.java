package io.dlrgate.gateway.tls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dlrgate.gateway.testing.JvmProcess;
import io.dlrgate.reporting.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dlrgate serve} with TLS reads its certificate files again on SIGHUP, and keeps running: without the
 * handler the JVM takes SIGHUP as a reason to stop. The files are left unchanged, so that the line can only come
 * from the signal (the poller says nothing about unchanged files).
 */
class SighupReloadTest {

    @TempDir
    Path dir;

    @Test
    void sighupReloadsTheCertificatesAndTheGatewayKeepsRunning() throws Exception {
        TestCertificates.Issued cert = TestCertificates.in(dir).server("gateway");
        try (TestDatabase db = TestDatabase.create()) {
            Path config = Files.writeString(dir.resolve("dlrgate.yaml"), """
                    smpp: {host: 127.0.0.1, port: 0, tls: {port: 0, cert: %1$s, key: %2$s}}
                    http: {host: 127.0.0.1, port: 0, api_key: test-key-0123456789, tls: {cert: %1$s, key: %2$s}}
                    database: {url: "%3$s", pool_size: 4}
                    carriers:
                      - {id: acme, system_id: acme, password: acme-pw, prefixes: ["+44"]}
                    """.formatted(cert.files().cert(), cert.files().key(), db.url()));
            Path log = dir.resolve("serve.log");
            try (JvmProcess serve = JvmProcess.start(JvmProcess.snapshotClassPath(
                    Files.createDirectories(dir.resolve("classpath"))), ServeProcessMain.class, List.of("-Xmx384m"),
                    List.of("--config", config.toString()), log)) {
                serve.awaitLine("dlrgate ", Duration.ofSeconds(120)); // the banner: up and the handler installed

                Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(serve.pid())).start();
                assertEquals(0, kill.waitFor());

                try {
                    await().atMost(Duration.ofSeconds(60)).until(() -> output(log).contains(
                            "smpp.tls: certificate files unchanged") && output(log).contains(
                            "http.tls: certificate files unchanged"));
                } catch (ConditionTimeoutException e) {
                    fail("no reload line after SIGHUP (alive: " + serve.isAlive() + "); output:\n" + serve.tail(40));
                }
                assertTrue(serve.isAlive(), serve.tail(20));
            }
        }
    }

    /**
     * Started with SIGHUP ignored (nohup), the JVM installs no handler and a {@code kill -HUP} does nothing: the
     * gateway says so at start instead of leaving the operator to wonder.
     */
    @Test
    void startedWithSighupIgnoredItSaysSoAtStart() throws Exception {
        TestCertificates.Issued cert = TestCertificates.in(dir).server("gateway");
        try (TestDatabase db = TestDatabase.create()) {
            Path config = Files.writeString(dir.resolve("dlrgate.yaml"), """
                    smpp: {host: 127.0.0.1, port: 0, tls: {port: 0, cert: %1$s, key: %2$s}}
                    http: {host: 127.0.0.1, port: 0, api_key: test-key-0123456789}
                    database: {url: "%3$s", pool_size: 4}
                    carriers:
                      - {id: acme, system_id: acme, password: acme-pw, prefixes: ["+44"]}
                    """.formatted(cert.files().cert(), cert.files().key(), db.url()));
            Path log = dir.resolve("serve.log");
            try (JvmProcess serve = JvmProcess.start(List.of("nohup"), JvmProcess.snapshotClassPath(
                    Files.createDirectories(dir.resolve("classpath"))), ServeProcessMain.class, List.of("-Xmx384m"),
                    List.of("--config", config.toString()), log)) {
                serve.awaitLine("dlrgate ", Duration.ofSeconds(120));
                assertTrue(output(log).contains("SIGHUP is ignored in this process"), serve.tail(20));
            }
        }
    }

    private static String output(Path log) throws Exception {
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}
