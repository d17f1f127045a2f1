package io.dlrgate.reporting.write;

import io.dlrgate.reporting.message.MessageStore;
import io.dlrgate.reporting.state.DeliveryStateMachine;
import io.dlrgate.reporting.testing.TestDatabase;
import io.dlrgate.reporting.testing.TestMessages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fresh database with a message store and a group-commit writer at a fixed time, default state machine: what
 * the writer's tests share. Each test queues messages of carriers of its own, so tests never see each other's rows.
 */
final class WriterTestStore implements AutoCloseable {

    final Instant now;
    final TestDatabase db;
    final MessageStore messages;
    final DeliveryWriter writer;
    private final AtomicInteger seq = new AtomicInteger();

    WriterTestStore(Instant now) {
        this.now = now;
        this.db = TestDatabase.create();
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        this.messages = new MessageStore(db.database().dataSource(), clock);
        DeliveryStateMachine machine = DeliveryStateMachine.withDefaults();
        this.writer = new DeliveryWriter(db.database().dataSource(), carrier -> machine, clock);
    }

    /** Queues and claims one message of this carrier to a number of its own (numbers start with the prefix). */
    long inFlight(String carrier, String numberPrefix) throws Exception {
        return TestMessages.inFlight(messages, carrier, numberPrefix + String.format("%05d", seq.incrementAndGet()),
                now.plus(Duration.ofDays(2)));
    }

    @Override
    public void close() {
        db.close();
    }
}
