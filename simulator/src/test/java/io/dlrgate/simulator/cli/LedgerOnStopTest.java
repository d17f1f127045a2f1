package io.dlrgate.simulator.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.JvmProcess;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dlrgate-sim run --ledger} in a JVM of its own, stopped by SIGINT, SIGTERM or SIGKILL after it answered
 * submits: the ledger file holds every submit the simulator acknowledged, whatever the signal.
 */
class LedgerOnStopTest {

    static final int SUBMITS = 20;
    static final String SCENARIO = """
            name: ledger on stop
            seed: 7
            carriers:
              - {id: alpha, system_id: alpha, password: alpha-pw, prefixes: ["+44"], receipt_delay: 10ms}
            rules:
              - outcome: {stat: DELIVRD}
            sends:
              - campaign: unused
                content: "run sends nothing: the test sends through the gateway"
                contacts: ["+447700900001"]
            """;
    static GatewayHarness gw;
    static String classPath;
    static int round;

    @TempDir
    Path dir;
    JvmProcess sim;

    @BeforeAll
    static void gateway(@TempDir Path cp) throws Exception {
        gw = GatewayHarness.start("""
                carriers:
                  - {id: alpha, system_id: alpha, password: alpha-pw, prefixes: ["+44"], max_submit_rate: 20000}
                """);
        // Other builds may rewrite target/classes while this test runs; the simulator JVMs run on a copy.
        classPath = JvmProcess.snapshotClassPath(cp);
    }

    @AfterAll
    static void down() {
        gw.close();
    }

    @AfterEach
    void stopSim() {
        if (sim != null) {
            sim.close();
        }
    }

    /** Starts the simulator, has the gateway send it {@link #SUBMITS} messages, and waits until all are answered. */
    Set<String> runAndAnswer(Path ledger) throws Exception {
        Path scenario = dir.resolve("scenario.yaml");
        Files.writeString(scenario, SCENARIO);
        sim = JvmProcess.start(classPath, io.dlrgate.simulator.cli.SimCommand.class, List.of("-Xmx256m"),
                List.of("run", scenario.toString(), "--smpp-port", Integer.toString(gw.smppPort()),
                        "--ledger", ledger.toString()), dir.resolve("sim.log"));
        sim.awaitLine("scenario ledger on stop: 1 carriers bound", Duration.ofSeconds(60));
        long before = gw.count("select count(*) from messages where dispatch_state = 'submitted'");
        Set<String> numbers = new TreeSet<>();
        int r = ++round;
        for (int i = 0; i < SUBMITS; i++) {
            String to = String.format("+4477009%02d%03d", r, i);
            numbers.add(to);
            assertEquals(202, gw.post("/api/v1/messages", new JsonObject().put("to", to).put("content", "hello " + i)
                    .encode()).statusCode());
        }
        // submitted: the gateway has the simulator's submit_sm_resp, so the simulator acknowledged each one
        await().atMost(Duration.ofSeconds(60)).until(() ->
                gw.count("select count(*) from messages where dispatch_state = 'submitted'") == before + SUBMITS);
        return numbers;
    }

    /** The numbers in the ledger file, one line per submit. */
    static List<String> ledgerNumbers(Path ledger) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(ledger)) {
            out.add(json.readTree(line).get("number").asText());
        }
        return out;
    }

    void assertEveryAnsweredSubmitIsInTheLedger(String signal) throws Exception {
        Path ledger = dir.resolve("ledger-" + signal + ".jsonl");
        Set<String> answered = runAndAnswer(ledger);
        switch (signal) {
            case "KILL" -> sim.process().destroyForcibly();
            case "TERM" -> sim.process().destroy();
            default -> assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(sim.pid())).start()
                    .waitFor());
        }
        if (!sim.process().waitFor(60, TimeUnit.SECONDS)) {
            fail("still running 60 s after SIG" + signal + "; threads:\n" + threadDump(sim.pid()) + "\noutput:\n"
                    + sim.tail(30));
        }
        List<String> inLedger = ledgerNumbers(ledger);
        assertEquals(answered, new TreeSet<>(inLedger), "SIG" + signal + "; output:\n" + sim.tail(30));
        assertEquals(SUBMITS, inLedger.size(), "one line per submit: " + inLedger);
    }

    /** The threads of a process that did not stop, to tell which one holds it up (jstack ships with the JDK). */
    static String threadDump(long pid) {
        try {
            Process jstack = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jstack").toString(),
                    Long.toString(pid)).redirectErrorStream(true).start();
            String out = new String(jstack.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            jstack.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (Exception e) {
            return "(no thread dump: " + e + ")";
        }
    }

    @Test
    void sigint() throws Exception {
        assertEveryAnsweredSubmitIsInTheLedger("INT");
    }

    @Test
    void sigterm() throws Exception {
        assertEveryAnsweredSubmitIsInTheLedger("TERM");
    }

    @Test
    void sigkill() throws Exception {
        assertEveryAnsweredSubmitIsInTheLedger("KILL");
    }
}
