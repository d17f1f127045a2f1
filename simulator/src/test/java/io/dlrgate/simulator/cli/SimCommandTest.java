package io.dlrgate.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppBindType;
import io.dlrgate.simulator.carrier.IdFormat;
import io.dlrgate.simulator.carrier.SimCarrierSettings;
import io.dlrgate.simulator.outcome.DelayRange;
import io.dlrgate.simulator.outcome.OutcomeWeights;
import io.dlrgate.simulator.receipt.ReceiptDialect;
import io.dlrgate.simulator.testing.FakeGatewayServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimCommandTest {
    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = SimCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void carrierFlagsBecomeConfigurations() {
        CarrierCommand cmd = new CarrierCommand();
        new CommandLine(cmd).parseArgs("--port", "2999", "--system-id", "c1,c2", "--password", "p1,p2",
                "--bind-type", "receiver+transmitter", "--sessions", "2", "--id-format", "hex", "--weights",
                "DELIVRD=80,UNDELIV=10,EXPIRED=10", "--enroute", "--delay-ms", "5..50", "--seed", "9", "--labels",
                "upper", "--data-sm", "--esm-class", "0x44", "--enroute-esm-class", "0x04", "--date-digits", "12");
        List<SimCarrierSettings> configs = cmd.configs();
        assertEquals(2, configs.size());
        SimCarrierSettings c = configs.get(1);
        assertEquals("c2", c.systemId());
        assertEquals("p2", c.password());
        assertEquals(2999, c.port());
        assertEquals(List.of(SmppBindType.RECEIVER, SmppBindType.TRANSMITTER), c.bindTypes());
        assertEquals(2, c.sessions());
        assertEquals(IdFormat.HEX, c.idFormat());
        assertEquals(OutcomeWeights.parse("DELIVRD=80,UNDELIV=10,EXPIRED=10").asMap(), c.weights().asMap());
        assertTrue(c.enroute());
        assertEquals(new DelayRange(5, 50), c.delay());
        assertEquals(10, c.seed());
        assertEquals(9, configs.get(0).seed());
        ReceiptDialect d = c.dialect();
        assertEquals(ReceiptDialect.LabelCase.UPPER, d.labels());
        assertTrue(d.dataSm());
        assertEquals(0x44, d.receiptEsmClass());
        assertEquals(0x04, d.intermediateEsmClass());
        assertEquals(12, d.dateDigits());
    }

    @Test
    void badFlagValuesGetAClearError() {
        Run r = run("carrier", "--weights", "DELIVRD=80,BOUNCED=20");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("unknown stat 'BOUNCED'"), r.err());
        Run host = run("load", "--host", "192.0.2.1", "--ids", "1..10");
        assertEquals(2, host.exit());
        assertTrue(host.err().contains("only targets 127.0.0.1/localhost"), host.err());
        Run noIds = run("load");
        assertEquals(2, noIds.exit());
        assertTrue(noIds.err().contains("--ids"), noIds.err());
    }

    @Test
    void loadPrintsItsFigures() throws Exception {
        try (FakeGatewayServer gateway = FakeGatewayServer.start("sim", "secret")) {
            Run r = run("load", "--port", Integer.toString(gateway.port()), "--sessions", "2", "--window", "10",
                    "--ids", "100..599", "--max-seconds", "30");
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("500 receipts requested, 500 acknowledged OK"), r.out());
            assertTrue(r.out().contains("p99"), r.out());
            assertEquals(500, gateway.acknowledgedCount());
        }
    }

    @Test
    void loadReadsAnIdsFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ids.txt");
        Files.writeString(file, "A1\nA2\n\nA3\n");
        try (FakeGatewayServer gateway = FakeGatewayServer.start("sim", "secret")) {
            Run r = run("load", "--port", Integer.toString(gateway.port()), "--ids-file", file.toString(),
                    "--count", "9", "--sessions", "1");
            assertEquals(0, r.exit(), r.err());
            assertEquals(java.util.Map.of("A1", 3, "A2", 3, "A3", 3), gateway.acknowledgedIds());
        }
    }

    @Test
    void carrierRunsUntilItsTimeBoundAndPrintsCounters(@TempDir Path dir) throws Exception {
        try (FakeGatewayServer gateway = FakeGatewayServer.start("sim", "secret")) {
            Path ledger = dir.resolve("ledger.jsonl");
            CompletableFuture<Run> running = CompletableFuture.supplyAsync(() -> run("carrier", "--port",
                    Integer.toString(gateway.port()), "--delay-ms", "0..10", "--max-seconds", "3", "--ledger",
                    ledger.toString(), "--weights", "UNDELIV=1"));
            assertTrue(gateway.awaitSessions(1, java.time.Duration.ofSeconds(10)));
            for (int i = 0; i < 10; i++) {
                gateway.submit("DLRGATE", "44" + i, "hello " + i);
            }
            Run r = running.get(20, TimeUnit.SECONDS);
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("submits received 10"), r.out());
            assertTrue(r.out().contains("acknowledged 10"), r.out());
            assertEquals(10, Files.readAllLines(ledger).size());
            assertTrue(gateway.acknowledged().stream().allMatch(x -> x.stat().equals("UNDELIV")));
        }
    }
}
