package io.dlrgate.simulator.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dlrgate.simulator.carrier.CarrierStats;
import io.dlrgate.simulator.carrier.SimulatedCarrier;
import io.dlrgate.simulator.scenario.Scenario;
import io.dlrgate.simulator.scenario.ScenarioPolicy;
import io.dlrgate.simulator.scenario.ScenarioRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The simulator's control endpoint, so QA can act while a scenario runs. JDK HTTP server on 127.0.0.1 only,
 * JSON in and out, no authentication (loopback only, like the rest of the simulator):
 * <pre>
 * GET  /carriers                        every carrier: id, system_id, bound sessions, held down, counters
 * GET  /carriers/{id}                   one carrier, plus the weights in force of each weighted rule
 * PUT  /carriers/{id}/rules/{rule}/weights   {"DELIVRD": 50, "UNDELIV": 50}: new weights of a weighted rule
 *                                       ({rule}: its name or its 0-based index; outcomes not named get 0)
 * POST /carriers/{id}/drop              drop every bind and keep it down
 * POST /carriers/{id}/restore           let the binds come back
 * GET  /metrics                         every carrier's counters, Prometheus text format 0.0.4 ({@link SimMetrics})
 * </pre>
 * Errors: 404 for an unknown carrier or path, 405 for a wrong method, 400 with {"error": "..."} for a bad body.
 */
public final class ControlServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ScenarioRunner runner;
    private final HttpServer server;
    private final ExecutorService executor;

    private ControlServer(ScenarioRunner runner, HttpServer server, ExecutorService executor) {
        this.runner = runner;
        this.server = server;
        this.executor = executor;
    }

    /** Starts on 127.0.0.1:{@code port} (0: a free port). */
    public static ControlServer start(ScenarioRunner runner, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sim-control");
            t.setDaemon(true);
            return t;
        });
        ControlServer c = new ControlServer(runner, server, executor);
        server.createContext("/", c::handle);
        server.setExecutor(executor);
        server.start();
        return c;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String[] parts = ex.getRequestURI().getPath().replaceAll("^/+|/+$", "").split("/");
            String method = ex.getRequestMethod();
            if (parts.length == 1 && parts[0].equals("metrics")) {
                if (method.equals("GET") || method.equals("HEAD")) {
                    MetricsServer.sendText(ex, 200, SimMetrics.render(runner.carriers().values()), SimMetrics.CONTENT_TYPE);
                } else {
                    send(ex, 405, error("GET only"));
                }
                return;
            }
            if (parts.length == 0 || !parts[0].equals("carriers")) {
                send(ex, 404, error("no such path; try GET /carriers"));
                return;
            }
            if (parts.length == 1) {
                if (!method.equals("GET")) {
                    send(ex, 405, error("GET only"));
                    return;
                }
                ArrayNode list = JSON.createArrayNode();
                runner.carriers().forEach((id, c) -> list.add(carrier(id, c, false)));
                send(ex, 200, JSON.createObjectNode().set("carriers", list));
                return;
            }
            String id = java.net.URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
            SimulatedCarrier c = runner.carriers().get(id);
            if (c == null) {
                send(ex, 404, error("no carrier '" + id + "'; the carriers are " + runner.carriers().keySet()));
                return;
            }
            if (parts.length == 2) {
                if (!method.equals("GET")) {
                    send(ex, 405, error("GET only"));
                    return;
                }
                send(ex, 200, carrier(id, c, true));
            } else if (parts.length == 3 && (parts[2].equals("drop") || parts[2].equals("restore"))) {
                if (!method.equals("POST")) {
                    send(ex, 405, error("POST only"));
                    return;
                }
                if (parts[2].equals("drop")) {
                    c.holdDown();
                } else {
                    c.restore();
                }
                send(ex, 200, carrier(id, c, false));
            } else if (parts.length == 5 && parts[2].equals("rules") && parts[4].equals("weights")) {
                if (!method.equals("PUT")) {
                    send(ex, 405, error("PUT only"));
                    return;
                }
                String rule = java.net.URLDecoder.decode(parts[3], StandardCharsets.UTF_8);
                Map<String, Integer> weights = new LinkedHashMap<>();
                JsonNode body;
                try (InputStream in = ex.getRequestBody()) {
                    body = JSON.readTree(in.readNBytes(64 * 1024));
                } catch (IOException e) {
                    send(ex, 400, error("body is not JSON: " + e.getMessage()));
                    return;
                }
                if (body == null || !body.isObject() || body.isEmpty()) {
                    send(ex, 400, error("body must be an object of outcome to weight, e.g. {\"DELIVRD\": 50, \"UNDELIV\": 50}"));
                    return;
                }
                for (var it = body.fields(); it.hasNext(); ) {
                    var e = it.next();
                    if (!e.getValue().canConvertToInt() || !e.getValue().isIntegralNumber()) {
                        send(ex, 400, error("weight of '" + e.getKey() + "' must be a whole number"));
                        return;
                    }
                    weights.put(e.getKey(), e.getValue().asInt());
                }
                ScenarioPolicy policy = runner.policy(id);
                try {
                    Map<String, Integer> now = policy.setWeights(rule, weights);
                    ObjectNode out = JSON.createObjectNode().put("carrier", id).put("rule", rule);
                    out.set("weights", JSON.valueToTree(now));
                    send(ex, 200, out);
                } catch (IllegalArgumentException e) {
                    send(ex, 400, error(e.getMessage()));
                }
            } else {
                send(ex, 404, error("no such path under /carriers/" + id));
            }
        } catch (RuntimeException e) {
            send(ex, 500, error(e.toString()));
        }
    }

    private ObjectNode carrier(String id, SimulatedCarrier c, boolean withRules) {
        CarrierStats s = c.stats();
        ObjectNode n = JSON.createObjectNode().put("id", id).put("systemId", c.config().systemId())
                .put("boundSessions", s.boundSessions()).put("heldDown", s.heldDown());
        ObjectNode counters = JSON.valueToTree(s);
        counters.remove("boundSessions");
        counters.remove("heldDown");
        counters.put("receiptsOutstanding", s.receiptsOutstanding());
        n.set("counters", counters);
        if (withRules) {
            ArrayNode rules = n.putArray("weightedRules");
            Scenario sc = runner.scenario();
            for (int i = 0; i < sc.rules().size(); i++) {
                if (sc.rules().get(i).choice() instanceof Scenario.Weighted) {
                    ObjectNode r = rules.addObject().put("index", i).put("name", sc.rules().get(i).label());
                    r.set("weights", JSON.valueToTree(runner.policy(id).weights(i)));
                }
            }
        }
        return n;
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
