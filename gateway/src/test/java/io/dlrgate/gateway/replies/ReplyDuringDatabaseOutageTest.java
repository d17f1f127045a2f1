package io.dlrgate.gateway.replies;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.DeliverSm;
import io.dlrgate.config.BindType;
import io.dlrgate.config.ConfigLoader;
import io.dlrgate.config.GatewayConfig;
import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.gateway.testing.TcpProxy;
import io.dlrgate.gateway.testing.TestCarrier;
import io.dlrgate.reporting.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A reply that cannot be stored is answered with the carrier's temporary error, never OK, so the carrier sends it
 * again; once the database is back the same reply is stored and acknowledged. The gateway reaches PostgreSQL through
 * a {@link TcpProxy} the test cuts; the test reads the store directly.
 */
class ReplyDuringDatabaseOutageTest {

    TestDatabase db;
    TcpProxy proxy;
    Gateway gateway;
    TestCarrier acme;

    @AfterEach
    void tearDown() {
        if (acme != null) {
            acme.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (db != null) {
            db.close();
        }
    }

    long storedStops() throws Exception {
        try (Connection c = db.database().connection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from replies r join suppressions s "
                     + "on s.number = r.from_number and s.reason = 'opt-out' where r.kind = 'opt-out'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aReplyNotStoredIsAnsweredWithTheTemporaryErrorAndStoredWhenResent() throws Exception {
        db = TestDatabase.create();
        proxy = TcpProxy.inFrontOf(db.url());
        String yaml = "smpp:\n  host: 127.0.0.1\n  port: 0\n"
                + "http:\n  host: 127.0.0.1\n  port: 0\n  api_key: outage-key-0123456789\n"
                + "database:\n  url: \"" + proxy.jdbcUrl(db.url()) + "\"\n  pool_size: 4\n"
                + "receipts:\n  max_queue_wait: 500ms\n"
                + """
                carriers:
                  - id: acme
                    system_id: acme
                    password: acme-pw
                    prefixes: ["+44"]
                """;
        GatewayConfig config = ConfigLoader.fromYaml(yaml, "outage.yaml", Map.of());
        gateway = Gateway.start(config, Clock.systemUTC());
        acme = TestCarrier.to(gateway.smppPort()).systemId("acme").password("acme-pw")
                .bindType(BindType.TRANSCEIVER).requestTimeout(Duration.ofSeconds(30)).bind();
        DeliverSm stop = RepliesEndToEndTest.gsm("447700900301", "STOP");
        int throttle = config.carriers().get(0).throttleStatus();

        proxy.cut();
        assertEquals(throttle, acme.send(stop, Duration.ofSeconds(30)).getCommandStatus(),
                "not stored: the carrier is told to retry");
        assertEquals(0, storedStops(), "nothing stored while the database is away");

        proxy.restore();
        // The carrier's retry: answered OK once stored (the pool may need a few tries to reconnect).
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                acme.send(RepliesEndToEndTest.gsm("447700900301", "STOP"), Duration.ofSeconds(30))
                        .getCommandStatus() == SmppConstants.STATUS_OK);
        assertEquals(1, storedStops(), "stored once, with its opt-out");
    }
}
