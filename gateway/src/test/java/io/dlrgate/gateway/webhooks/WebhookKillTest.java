package io.dlrgate.gateway.webhooks;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.intake.GatewayProcessMain;
import io.dlrgate.gateway.testing.JvmProcess;
import io.dlrgate.gateway.testing.ReceiptFixtures;
import io.dlrgate.gateway.testing.ReceiptStreamer;
import io.dlrgate.reporting.testing.TestDatabase;
import io.dlrgate.reporting.webhooks.EventType;
import io.dlrgate.reporting.webhooks.Outbox;
import io.dlrgate.reporting.webhooks.WebhookEndpoint;
import io.dlrgate.reporting.webhooks.WebhookEndpointStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway is killed (SIGKILL, a JVM of its own) while it delivers webhooks, and started again on the same
 * database: every event of the outbox still reaches the receiver, and every message's final state with it (the set
 * of eventIds received against the outbox and the messages' tabs in the database: none missing).
 */
class WebhookKillTest {

    static final int MESSAGES = 1_000;

    @TempDir
    Path dir;
    TestDatabase db;
    WebhookReceiver receiver;
    String classPath;
    final List<JvmProcess> processes = new ArrayList<>();
    final List<ReceiptStreamer> streamers = new ArrayList<>();

    @AfterEach
    void tearDown() {
        streamers.forEach(ReceiptStreamer::close);
        processes.forEach(JvmProcess::close);
        if (receiver != null) {
            receiver.close();
        }
        if (db != null) {
            db.close();
        }
    }

    JvmProcess startGateway(Path config, String name, int[] smppPort) throws Exception {
        if (classPath == null) {
            classPath = JvmProcess.snapshotClassPath(Files.createDirectories(dir.resolve("classpath")));
        }
        GatewayProcessMain.Child child = GatewayProcessMain.launch(classPath, config, "512m",
                dir.resolve(name + ".log"), Duration.ofSeconds(90));
        processes.add(child.process());
        smppPort[0] = child.ports().smpp();
        return child.process();
    }

    ReceiptStreamer stream(int port, List<ReceiptStreamer.Receipt> receipts) {
        ReceiptStreamer s = ReceiptStreamer.to(port).systemId("acme").password("acme-pw").sessions(2).window(50)
                .requestTimeout(Duration.ofSeconds(30)).backoff(Duration.ofMillis(100)).start(receipts);
        streamers.add(s);
        return s;
    }

    @Test
    void aGatewayKilledMidStreamDeliversEveryEventOnceRestarted() throws Exception {
        db = TestDatabase.create();
        receiver = WebhookReceiver.start(0, 1);
        // Small batches answered slowly: delivery takes seconds, so the kill lands in the middle of it.
        receiver.delay(20);
        WebhookEndpoint endpoint = new WebhookEndpointStore(db.database().dataSource(), Clock.systemUTC(),
                new Outbox()).create(receiver.url(), List.of(EventType.TAB_CHANGED.wireName(),
                EventType.FINAL.wireName()), null, "kill-test-secret-0123456789", true);
        receiver.secret(endpoint.secret());
        long campaign;
        try (Connection c = db.database().connection()) {
            campaign = ReceiptFixtures.seedCampaign(c, "Webhook kill");
            ReceiptFixtures.seedSubmittedMessages(c, campaign, "acme", "wk", MESSAGES);
        }
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, "smpp:\n  host: 127.0.0.1\n  port: 0\n"
                + "http:\n  host: 127.0.0.1\n  port: 0\n  api_key: kill-key-0123456789\n"
                + "database:\n  url: \"" + db.url() + "\"\n  pool_size: 8\n"
                + "webhooks:\n  allow_http: true\n  allow_private: true\n  max_batch: 5\n  timeout: 1s\n"
                + "  retry_initial: 100ms\n"
                + """
                carriers:
                  - id: acme
                    system_id: acme
                    password: acme-pw
                    prefixes: ["+44"]
                    max_binds: 8
                """);
        List<ReceiptStreamer.Receipt> receipts = ReceiptFixtures.receipts("wk", MESSAGES);

        int[] port = new int[1];
        JvmProcess first = startGateway(config, "gateway-1", port);
        ReceiptStreamer before = stream(port[0], receipts);
        await().atMost(Duration.ofSeconds(120)).until(() -> receiver.accepted().size() >= MESSAGES / 2);
        first.kill();
        before.close();
        int atKill = receiver.acceptedIds().size();
        Set<String> acked = before.ackedOk();

        JvmProcess second = startGateway(config, "gateway-2", port);
        ReceiptStreamer after = stream(port[0], receipts.stream().filter(r -> !acked.contains(r.id())).toList());
        assertTrue(after.awaitDone(Duration.ofSeconds(120)), after.figures());
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250)).until(() -> {
            try (Connection c = db.database().connection()) {
                return WebhookOutboxReads.undelivered(c) == 0;
            }
        });

        Set<String> written;
        Set<String> finals;
        Map<Long, List<String>> perMessage;
        try (Connection c = db.database().connection()) {
            written = WebhookOutboxReads.allEventIds(c, endpoint.id());
            finals = WebhookOutboxReads.finalMessages(c, campaign);
            perMessage = WebhookOutboxReads.eventsPerMessage(c, endpoint.id());
        }
        System.out.printf("webhook kill: %d events accepted before the kill, %d after the restart (%d requests); "
                + "outbox %d events%n", atKill, receiver.acceptedIds().size(), receiver.requests(), written.size());
        assertTrue(atKill < written.size(), "killed mid-delivery, not after it");
        assertEquals(MESSAGES, finals.size(), "every message final");
        assertEquals(2 * MESSAGES, written.size(), "a tab change and a final event per message");
        Set<String> missing = new TreeSet<>(written);
        missing.removeAll(receiver.acceptedIds());
        assertEquals(Set.of(), missing, "every event of the outbox received");
        assertEquals(finals, WebhookOutboxReads.finalsReceived(receiver.accepted()), "every final state received");
        assertEquals(perMessage, receiver.firstOrderPerMessage(), "each message's events first received in order");
        assertEquals(0, receiver.badSignatures());
        second.kill();
    }
}
