package io.dlrgate.simulator.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The few calls of the gateway's HTTP API that verify needs. Its own small client: no gateway code. */
public final class GatewayClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String apiKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public GatewayClient(String baseUrl, String apiKey) {
        String b = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        URI uri = URI.create(b);
        if (uri.getHost() == null || !io.dlrgate.simulator.carrier.SmppSessions.isLoopback(uri.getHost())
                && !Boolean.getBoolean("dlrgate.sim.allowRemote")) {
            throw new IllegalArgumentException("gateway URL " + baseUrl + " is not on a loopback address");
        }
        this.baseUrl = b;
        this.apiKey = apiKey;
    }

    public record CampaignSendResult(long sendId, int queued, int skipped, List<String> suppressed) {
    }

    public record SingleSendResult(Long messageId, boolean skipped) {
    }

    public record MessageState(String tab, String stat, String dispatchState) {
    }

    public long createCampaign(String name, String content) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("name", name).put("content", content).put("createdBy", "dlrgate-sim");
        return call("POST", "/api/v1/campaigns", body, 201).get("id").asLong();
    }

    public CampaignSendResult sendCampaign(long id, List<String> contacts) throws IOException, InterruptedException {
        return sendCampaign(id, contacts, null);
    }

    /** @param validityMillis the validity asked for (sent as ISO-8601, e.g. PT3S), or null for the default */
    public CampaignSendResult sendCampaign(long id, List<String> contacts, Long validityMillis)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("sentBy", "dlrgate-sim");
        if (validityMillis != null) {
            body.put("validity", Duration.ofMillis(validityMillis).toString());
        }
        contacts.forEach(body.putArray("contacts")::add);
        JsonNode r = call("POST", "/api/v1/campaigns/" + id + "/sends", body, 202);
        List<String> suppressed = new java.util.ArrayList<>();
        r.path("suppressed").forEach(n -> suppressed.add(n.asText()));
        return new CampaignSendResult(r.path("sendId").asLong(), r.path("queued").asInt(), r.path("skipped").asInt(),
                suppressed);
    }

    public SingleSendResult sendSingle(String to, String content) throws IOException, InterruptedException {
        return sendSingle(to, content, null);
    }

    public SingleSendResult sendSingle(String to, String content, Long validityMillis)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("to", to).put("content", content);
        if (validityMillis != null) {
            body.put("validity", Duration.ofMillis(validityMillis).toString());
        }
        HttpResponse<String> resp = send("POST", "/api/v1/messages", body);
        JsonNode r = parse(resp, "POST /api/v1/messages");
        if (resp.statusCode() == 200 && "skipped".equals(r.path("status").asText())) {
            return new SingleSendResult(null, true);
        }
        expect(resp, 202, "POST /api/v1/messages");
        return new SingleSendResult(r.get("id").asLong(), false);
    }

    /** Count per tab, in the gateway's order. */
    public Map<String, Long> report(long campaignId) throws IOException, InterruptedException {
        JsonNode tabs = call("GET", "/api/v1/campaigns/" + campaignId + "/report", null, 200).get("tabs");
        Map<String, Long> out = new LinkedHashMap<>();
        for (String t : Scenario.TABS) {
            out.put(t, tabs.path(t).asLong());
        }
        return out;
    }

    /** The figures of a campaign's parts report names, in this order. */
    public static final List<String> PART_FIGURES = List.of("messages", "total", "delivered", "failed", "deleted",
            "expired", "pending");

    /**
     * The parts figure beside a campaign's counts (messages sent as concatenated parts, and their parts by state), or
     * null when the gateway's report has none (a gateway that does not send long messages as parts).
     */
    public Map<String, Long> partFigures(long campaignId) throws IOException, InterruptedException {
        JsonNode parts = call("GET", "/api/v1/campaigns/" + campaignId + "/report", null, 200).get("parts");
        if (parts == null || !parts.isObject()) {
            return null;
        }
        Map<String, Long> out = new LinkedHashMap<>();
        PART_FIGURES.forEach(f -> out.put(f, parts.path(f).asLong()));
        return out;
    }

    /**
     * The gateway's suppressed list ({@code GET /api/v1/suppressions}, every page; at most 100,000 numbers),
     * as E.164 numbers with '+'.
     */
    public java.util.Set<String> suppressions() throws IOException, InterruptedException {
        java.util.Set<String> out = new java.util.TreeSet<>();
        int limit = 1000;
        for (int page = 0; page < 100; page++) {
            JsonNode r = call("GET", "/api/v1/suppressions?limit=" + limit + "&offset=" + page * limit, null, 200);
            JsonNode items = r.path("items");
            items.forEach(i -> out.add(i.path("number").asText()));
            if (items.size() < limit) {
                break;
            }
        }
        return out;
    }

    public MessageState message(long id) throws IOException, InterruptedException {
        JsonNode m = call("GET", "/api/v1/messages/" + id, null, 200);
        return new MessageState(m.path("tab").asText(), m.path("stat").isNull() ? null : m.path("stat").asText(),
                m.path("dispatchState").asText());
    }

    private JsonNode call(String method, String path, JsonNode body, int expected) throws IOException, InterruptedException {
        HttpResponse<String> resp = send(method, path, body);
        expect(resp, expected, method + " " + path);
        return parse(resp, method + " " + path);
    }

    private HttpResponse<String> send(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + apiKey);
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(HttpResponse<String> resp, int status, String what) throws IOException {
        if (resp.statusCode() != status) {
            throw new IOException(what + " answered " + resp.statusCode() + ": " + resp.body());
        }
    }

    private static JsonNode parse(HttpResponse<String> resp, String what) throws IOException {
        try {
            return JSON.readTree(resp.body());
        } catch (IOException e) {
            throw new IOException(what + " answered something that is not JSON: " + resp.body(), e);
        }
    }
}
