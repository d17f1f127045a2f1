package io.dlrgate.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppBindType;
import io.dlrgate.gateway.tls.TestCertificates;
import io.dlrgate.simulator.testing.TestEsme;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dlrgate-sim smsc}: a user's own ESME binds to the port it prints (port 0 asked), submits, gets its
 * receipts; at exit the command prints a summary of what was sent and writes the ledger, with no gateway at all.
 */
class SmscCommandTest {
    static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

    @Test
    void anEsmeOfYourOwnGetsItsReceiptsAndTheSummaryAndLedgerAtExit(@TempDir Path dir) throws Exception {
        Path scenario = dir.resolve("mine.yaml");
        Files.writeString(scenario, """
                name: my esme
                carriers:
                  - id: acme
                    system_id: acme
                    password: acme-pw
                    receipt_delay: 0ms..20ms
                rules:
                  - match: {number_prefix: "+4477009000"}
                    outcome: UNDELIV
                  - outcome: DELIVRD
                """);
        Path ledger = dir.resolve("ledger.jsonl");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> SimCommand.commandLine()
                .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute("smsc", "--scenario", scenario.toString(), "--port", "0", "--stop-after", "6",
                        "--ledger", ledger.toString(), "--max-seconds", "60", "--print-gateway-config"));
        int port = 0;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (port == 0 && System.nanoTime() < end && !exit.isDone()) {
            Matcher m = LISTENING.matcher(out.toString());
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
            } else {
                Thread.sleep(10);
            }
        }
        assertTrue(port > 0, out + "\n" + err);
        try (TestEsme esme = new TestEsme(port, "acme", "acme-pw")) {
            esme.bind(SmppBindType.TRANSMITTER);
            esme.bind(SmppBindType.RECEIVER);
            for (int i = 0; i < 6; i++) {
                assertEquals(0, esme.submit("44770090" + (i < 2 ? "00" : "99") + i, "mine " + i).getCommandStatus());
            }
            assertTrue(esme.awaitReceipts(6, Duration.ofSeconds(30)));
            assertEquals(0, (int) exit.get(60, TimeUnit.SECONDS), out + "\n" + err);
        }
        String text = out.toString();
        assertTrue(text.contains("connect:\n      host: 127.0.0.1\n      port: " + port), text);
        assertTrue(text.contains("6 messages accepted and every receipt answered: stopping"), text);
        assertTrue(text.contains("carrier acme (system_id acme): binds 2"), text);
        assertTrue(text.contains("final stats {DELIVRD=4, UNDELIV=2}; tabs {delivered=4, hard-bounces=2}"), text);
        assertTrue(text.contains("receipts planned 6, sent 6 (retries included), acknowledged 6"), text);
        List<String> lines = Files.readAllLines(ledger);
        assertEquals(6, lines.size());
        assertTrue(lines.stream().filter(l -> l.contains("\"finalStat\":\"UNDELIV\"")).count() == 2, lines.toString());
    }

    @Test
    void runPlaysAFileWithRoleSmscAsSmscsOnAFreePort(@TempDir Path dir) throws Exception {
        Path scenario = dir.resolve("smsc.yaml");
        Files.writeString(scenario, "role: smsc\ncarriers: [{id: acme, password: acme-pw}]\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SimCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute("run", scenario.toString(), "--smpp-port", "0", "--max-seconds", "1");
        assertEquals(0, code, out + "\n" + err);
        Matcher m = LISTENING.matcher(out.toString());
        assertTrue(m.find() && Integer.parseInt(m.group(1)) > 0, out.toString());
        assertTrue(out.toString().contains("summary of scenario smsc.yaml (smsc role, seed 1)"), out.toString());
    }

    @Test
    void theGatewayConfigOfATlsSmscTrustsItsCertificate(@TempDir Path dir) throws Exception {
        TestCertificates.Issued smsc = TestCertificates.in(dir).server("smsc");
        Path scenario = dir.resolve("tls.yaml");
        Files.writeString(scenario, "carriers: [{id: acme, password: acme-pw}]\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SimCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute("smsc", "--scenario", scenario.toString(), "--port", "0", "--max-seconds", "1",
                        "--tls-cert", smsc.files().cert().toString(), "--tls-key", smsc.files().key().toString(),
                        "--print-gateway-config");
        assertEquals(0, code, out + "\n" + err);
        assertTrue(out.toString().contains("      sessions: 1\n      tls:\n        trust: \""
                + smsc.files().cert().toAbsolutePath() + "\"\n    window_size:"), out.toString());
    }
}
