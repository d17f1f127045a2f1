package io.dlrgate.simulator.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.simulator.scenario.GatewayClient;
import io.dlrgate.simulator.scenario.Scenario;
import io.dlrgate.simulator.scenario.ScenarioLoader;
import io.dlrgate.simulator.scenario.ScenarioRunner;
import io.dlrgate.simulator.scenario.Verifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The control endpoint mid-run against a real gateway: list carriers with counters, change a rule's weights
 * (and the gateway's report follows), drop a carrier's binds and keep them down, restore them.
 */
class ControlServerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    static final String SCENARIO = """
            name: control
            seed: 1
            timeout: 60s
            carriers:
              - {id: kappa, system_id: kappa, password: kappa-pw, prefixes: ["+44"], receipt_delay: 0ms..50ms}
              - {id: lambda, system_id: lambda, password: lam-pw, prefixes: ["+33"], receipt_delay: 0ms..50ms}
            rules:
              - name: mostly delivered
                weights: {DELIVRD: 100, UNDELIV: 0, DELETED: 0}
            sends:
              - campaign: Controlled
                content: "Controlled mid-run"
                contacts: {prefix: "+447700", count: 40, width: 6}
            expect:
              campaigns:
                Controlled: {delivered: 0, deleted: 40}
            """;

    HttpResponse<String> call(int port, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void listChangeWeightsDropAndRestore() throws Exception {
        Scenario s = ScenarioLoader.fromYaml(SCENARIO, "control.yaml", null);
        StringBuilder carriers = new StringBuilder("carriers:\n");
        for (Scenario.Carrier c : s.carriers()) {
            carriers.append("  - {id: ").append(c.id()).append(", system_id: ").append(c.systemId())
                    .append(", password: ").append(c.password()).append(", prefixes: [\"")
                    .append(c.prefixes().get(0)).append("\"]}\n");
        }
        try (GatewayHarness gw = GatewayHarness.start(carriers.toString());
             ScenarioRunner runner = new ScenarioRunner(s, "127.0.0.1", gw.smppPort());
             ControlServer control = ControlServer.start(runner, 0)) {
            assertTrue(runner.start(Duration.ofSeconds(30)));
            int port = control.port();

            HttpResponse<String> list = call(port, "GET", "/carriers", null);
            assertEquals(200, list.statusCode(), list.body());
            JsonNode cs = JSON.readTree(list.body()).get("carriers");
            assertEquals(2, cs.size());
            assertEquals("kappa", cs.get(0).get("id").asText());
            assertEquals(1, cs.get(0).get("boundSessions").asInt());
            assertTrue(cs.get(0).get("counters").has("receiptsAcknowledged"), list.body());

            // bad requests name what is wrong
            assertEquals(404, call(port, "GET", "/carriers/nobody", null).statusCode());
            HttpResponse<String> bad = call(port, "PUT", "/carriers/kappa/rules/mostly%20delivered/weights",
                    "{\"DELIVERED\": 5}");
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().contains("DELIVERED") && bad.body().contains("is not an outcome"), bad.body());
            assertEquals(400, call(port, "PUT", "/carriers/kappa/rules/nope/weights", "{\"DELIVRD\": 1}").statusCode());
            assertEquals(400, call(port, "PUT", "/carriers/kappa/rules/0/weights", "{\"DELIVRD\": 0}").statusCode());
            assertEquals(405, call(port, "GET", "/carriers/kappa/drop", null).statusCode());

            // every message to kappa is now deleted by the network (by rule index 0, same rule)
            HttpResponse<String> put = call(port, "PUT", "/carriers/kappa/rules/0/weights", "{\"DELETED\": 7}");
            assertEquals(200, put.statusCode(), put.body());
            assertEquals(Map.of("DELIVRD", 0, "UNDELIV", 0, "DELETED", 7),
                    JSON.convertValue(JSON.readTree(put.body()).get("weights"), Map.class));
            JsonNode one = JSON.readTree(call(port, "GET", "/carriers/kappa", null).body());
            assertEquals(7, one.get("weightedRules").get(0).get("weights").get("DELETED").asInt());
            // lambda keeps the file's weights
            JsonNode other = JSON.readTree(call(port, "GET", "/carriers/lambda", null).body());
            assertEquals(100, other.get("weightedRules").get(0).get("weights").get("DELIVRD").asInt());

            // drop lambda's bind and keep it down; restore it
            HttpResponse<String> drop = call(port, "POST", "/carriers/lambda/drop", null);
            assertEquals(200, drop.statusCode(), drop.body());
            var lambda = runner.carriers().get("lambda");
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (lambda.boundSessions() > 0 && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            Thread.sleep(300); // past the reconnect back-off (50 ms)
            JsonNode dropped = JSON.readTree(call(port, "GET", "/carriers/lambda", null).body());
            assertEquals(0, dropped.get("boundSessions").asInt(), dropped.toString());
            assertTrue(dropped.get("heldDown").asBoolean());
            assertEquals(200, call(port, "POST", "/carriers/lambda/restore", null).statusCode());
            assertTrue(lambda.awaitBound(Duration.ofSeconds(10)), "bound again");
            assertEquals(2, lambda.stats().binds());

            // the gateway's report follows the new weights, and verify agrees with the ledger
            Verifier.Result r = new Verifier(s, runner, new GatewayClient(gw.baseUrl(), GatewayHarness.API_KEY))
                    .verify();
            System.out.println(r.text());
            assertTrue(r.ok(), r.text());
            assertEquals(40L, r.gatewayTabs().get("Controlled").get("deleted"));
        }
    }
}
