package io.dlrgate.reporting.expiry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.Tab;
import io.dlrgate.reporting.message.MessageStore;
import io.dlrgate.reporting.message.MessageView;
import io.dlrgate.reporting.message.NewMessage;
import io.dlrgate.reporting.message.Source;
import io.dlrgate.reporting.message.SubmitOutcome;
import io.dlrgate.reporting.state.DeliveryStateMachine;
import io.dlrgate.reporting.state.LateReceiptPolicy;
import io.dlrgate.reporting.state.StatMapping;
import io.dlrgate.reporting.testing.TestDatabase;
import io.dlrgate.reporting.write.DeliveryWriter;
import io.dlrgate.reporting.write.IncomingReceipt;
import io.dlrgate.reporting.write.ReceiptOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Receipts that arrive after the gateway's sweeper expired their message, through the real writer and store,
 * under both late-receipt policies.
 */
class LateReceiptAfterExpiryTest {

    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    static final Duration GRACE = Duration.ofMinutes(5);
    static final AtomicInteger SEQ = new AtomicInteger();
    static TestDatabase db;
    static MessageStore messages;

    @BeforeAll
    static void up() {
        db = TestDatabase.create();
        messages = new MessageStore(db.database().dataSource(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterAll
    static void down() {
        db.close();
    }

    static DeliveryWriter writer(LateReceiptPolicy policy) {
        DeliveryStateMachine machine = new DeliveryStateMachine(StatMapping.defaults(), policy);
        return new DeliveryWriter(db.database().dataSource(), c -> machine, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** A submitted message (carrier id known) that the sweeper then expired; returns its id. */
    static long submittedThenExpired(DeliveryWriter writer, String carrier, String carrierId) throws Exception {
        Instant deadline = NOW.plus(Duration.ofMinutes(10));
        long id = messages.insert(new NewMessage(null, null, Source.API,
                "+4477009" + String.format("%05d", SEQ.incrementAndGet()), "GB", "hi", carrier, deadline));
        assertEquals(1, messages.claim(carrier, 10).size());
        writer.write(List.of(SubmitOutcome.accepted(id, carrier, carrierId, NOW, 0)), List.of());
        List<Long> expired = new java.util.ArrayList<>();
        new ExpirySweeper(db.database().dataSource(), GRACE, 100).sweepOnce(deadline.plus(GRACE),
                b -> b.stream().filter(e -> e.carrierId().equals(carrier)).forEach(e -> expired.add(e.id())));
        assertEquals(List.of(id), expired);
        MessageView v = messages.find(id).orElseThrow();
        assertEquals(Tab.SOFT_BOUNCES, v.tab());
        assertEquals("expiry", v.finalBy());
        return id;
    }

    static IncomingReceipt receipt(String carrier, String id, String stat) {
        return new IncomingReceipt(NOW.plus(Duration.ofHours(1)), carrier, "deliver_sm", 0x04, id, id, stat, "000",
                null, null, null, null, false, "id:" + id + " stat:" + stat);
    }

    @ParameterizedTest
    @EnumSource(LateReceiptPolicy.class)
    void lateDelivrd(LateReceiptPolicy policy) throws Exception {
        DeliveryWriter writer = writer(policy);
        String carrier = "d-" + policy.name().toLowerCase();
        long id = submittedThenExpired(writer, carrier, "late-1");

        ReceiptOutcome o = writer.write(List.of(), List.of(receipt(carrier, "late-1", "DELIVRD"))).receipts().get(0);
        MessageView v = messages.find(id).orElseThrow();
        if (policy == LateReceiptPolicy.DELIVERED_WINS) {
            assertEquals("late_after_expiry_applied", o.result());
            assertEquals(Tab.DELIVERED, v.tab(), "the handset has it");
            assertEquals("DELIVRD", v.lastStat());
            assertEquals("receipt", v.finalBy());
        } else {
            assertEquals("late_after_expiry_ignored", o.result());
            assertEquals(Tab.SOFT_BOUNCES, v.tab());
            assertEquals("EXPIRED", v.lastStat());
            assertEquals("expiry", v.finalBy());
        }
        assertEquals(id, o.messageId(), "the late receipt is logged against its message either way");
    }

    @ParameterizedTest
    @EnumSource(LateReceiptPolicy.class)
    void lateUndelivStaysSoftBounce(LateReceiptPolicy policy) throws Exception {
        DeliveryWriter writer = writer(policy);
        String carrier = "u-" + policy.name().toLowerCase();
        long id = submittedThenExpired(writer, carrier, "late-2");

        for (String stat : List.of("UNDELIV", "ENROUTE", "DELETED")) {
            ReceiptOutcome o = writer.write(List.of(), List.of(receipt(carrier, "late-2", stat))).receipts().get(0);
            assertEquals("late_after_expiry_ignored", o.result(), stat);
        }
        MessageView v = messages.find(id).orElseThrow();
        assertEquals(Tab.SOFT_BOUNCES, v.tab());
        assertEquals("EXPIRED", v.lastStat());
        assertEquals("expiry", v.finalBy());
        assertTrue(v.finalAt() != null);
    }
}
