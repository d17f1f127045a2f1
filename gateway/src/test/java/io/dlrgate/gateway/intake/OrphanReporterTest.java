package io.dlrgate.gateway.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.PduResponse;
import io.dlrgate.config.BindType;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.MutableClock;
import io.dlrgate.gateway.testing.TestCarrier;
import io.dlrgate.reporting.correlation.OrphanStore;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Orphans older than receipts.orphan_max_age are reported, and kept; younger ones are not reported. */
class OrphanReporterTest {

    @Test
    void oldOrphansAreReportedAndKept() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
        try (GatewayHarness gw = GatewayHarness.start("""
                receipts:
                  orphan_max_age: 1h
                carriers:
                  - {id: alpha, system_id: alpha, password: alpha-pw, prefixes: ["+44"]}
                """, "", clock);
             TestCarrier carrier = TestCarrier.to(gw.smppPort()).systemId("alpha").password("alpha-pw")
                     .bindType(BindType.TRANSMITTER).bind()) {
            PduResponse resp = carrier.sendDeliverSm(TestCarrier.receipt(
                    "id:nobody-sent-this sub:001 dlvrd:001 submit date:2611271000 done date:2611271001 stat:DELIVRD err:000 text:"));
            assertEquals(SmppConstants.STATUS_OK, resp.getCommandStatus(), "an orphan is acknowledged");

            OrphanReporter reporter = gw.gateway().orphans();
            clock.advance(Duration.ofMinutes(59));
            assertEquals(0, reporter.report(), "younger than orphan_max_age: not reported");
            clock.advance(Duration.ofMinutes(2));
            assertEquals(1, reporter.report(), "older than orphan_max_age: reported");
            assertEquals(1, reporter.lastCount());

            OrphanStore.Orphan o = new OrphanStore(gw.db().database().dataSource())
                    .openOlderThan(clock.instant(), 0, 10).get(0);
            assertEquals("alpha", o.carrierId());
            assertEquals("nobody-sent-this", o.receiptedIdRaw());
            assertEquals("DELIVRD", o.stat());
            assertEquals(1, gw.count("select count(*) from orphan_receipts where matched_at is null"), "still kept");
        }
    }
}
