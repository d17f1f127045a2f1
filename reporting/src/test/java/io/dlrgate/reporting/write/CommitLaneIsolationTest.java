package io.dlrgate.reporting.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.ReceiptConfig;
import io.dlrgate.reporting.message.SubmitOutcome;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The group committer's answer to a batch that fails for its data rather than for an outage: the batch is written
 * in parts, the culprit alone is refused (receipt) or dropped (submit outcome), everything else is stored once, and
 * the lane keeps going. An outage, by contrast, is answered "retry later" and never refuses anything. (The same
 * with a real PostgreSQL refusing a receipt: ReceiptIntakeTest.)
 */
class CommitLaneIsolationTest {

    static final Instant NOW = Instant.parse("2026-11-28T00:00:00Z");

    /** Stores batches in memory; fails the whole batch when {@code fails} says so for any item in it. */
    static final class FakeWriter implements BatchWriter {
        final List<List<String>> committed = new CopyOnWriteArrayList<>();
        final List<Long> committedSubmits = new CopyOnWriteArrayList<>();
        volatile Predicate<String> badReceipt = body -> false;
        volatile Predicate<Long> badSubmit = id -> false;
        volatile int outagesLeft;

        @Override
        public WriteResult write(List<SubmitOutcome> submits, List<IncomingReceipt> receipts) throws SQLException {
            if (outagesLeft > 0) {
                outagesLeft--;
                throw new SQLException("connection lost", "08006");
            }
            for (SubmitOutcome s : submits) {
                if (badSubmit.test(s.messageId())) {
                    throw new IllegalStateException("cannot process submit " + s.messageId());
                }
            }
            for (IncomingReceipt r : receipts) {
                if (badReceipt.test(r.body())) {
                    throw new IllegalArgumentException("cannot process " + r.body());
                }
            }
            List<String> bodies = new ArrayList<>();
            receipts.forEach(r -> bodies.add(r.body()));
            committed.add(bodies);
            submits.forEach(s -> committedSubmits.add(s.messageId()));
            return new WriteResult(List.of(), List.of(), 0, List.of(), List.of());
        }

        long timesStored(String body) {
            return committed.stream().flatMap(List::stream).filter(body::equals).count();
        }
    }

    /** Records how each receipt was answered. */
    static final class Answers {
        final Map<String, String> byBody = new ConcurrentHashMap<>();

        ReceiptAck forBody(String body) {
            return new ReceiptAck() {
                @Override
                public void stored() {
                    byBody.merge(body, "stored", (a, b) -> a + "+" + b);
                }

                @Override
                public void retryLater() {
                    byBody.merge(body, "retry", (a, b) -> a + "+" + b);
                }

                @Override
                public void refused(String why) {
                    byBody.merge(body, "refused", (a, b) -> a + "+" + b);
                }
            };
        }

        void awaitAll(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (byBody.size() < n && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(n, byBody.size(), "answered: " + byBody);
        }
    }

    static IncomingReceipt receipt(String body) {
        return new IncomingReceipt(NOW, "c", "deliver_sm", 0x04, body, body, "DELIVRD", "000", null, null, null, null,
                false, body);
    }

    /** One lane, batches of up to 500 closed 200 ms after their first receipt: what is sent together shares one. */
    static GroupCommitter committer(FakeWriter writer) {
        GroupCommitter c = new GroupCommitter(writer, new ReceiptConfig(500, Duration.ofMillis(200), Duration.ofSeconds(30),
                10_000, Duration.ofHours(1), ReceiptConfig.defaultStatMapping()), 1);
        c.start();
        return c;
    }

    @Test
    void aReceiptThatFailsItsBatchIsRefusedAloneAndTheOthersAreStoredOnce() throws Exception {
        FakeWriter writer = new FakeWriter();
        writer.badReceipt = body -> body.equals("r17");
        Answers answers = new Answers();
        try (GroupCommitter c = committer(writer)) {
            for (int i = 0; i < 50; i++) {
                c.submitReceipt(receipt("r" + i), answers.forBody("r" + i));
            }
            answers.awaitAll(50);
        }
        assertEquals("refused", answers.byBody.get("r17"));
        for (int i = 0; i < 50; i++) {
            if (i != 17) {
                assertEquals("stored", answers.byBody.get("r" + i), "r" + i);
                assertEquals(1, writer.timesStored("r" + i), "r" + i + " stored exactly once");
            }
        }
        assertEquals(0, writer.timesStored("r17"));
        // Written in order: the stored receipts appear in the order they came.
        List<String> order = writer.committed.stream().flatMap(List::stream).toList();
        List<String> sorted = new ArrayList<>(order);
        sorted.sort((a, b) -> Integer.compare(Integer.parseInt(a.substring(1)), Integer.parseInt(b.substring(1))));
        assertEquals(sorted, order);
    }

    @Test
    void aSubmitOutcomeThatFailsItsBatchIsDroppedAndNeverBlocksTheLane() throws Exception {
        FakeWriter writer = new FakeWriter();
        writer.badSubmit = id -> id == 666L;
        Answers answers = new Answers();
        try (GroupCommitter c = committer(writer)) {
            c.submitOutcome(SubmitOutcome.accepted(665, "c", "id-665", NOW, 0));
            c.submitOutcome(SubmitOutcome.accepted(666, "c", "id-666", NOW, 0));
            c.submitOutcome(SubmitOutcome.accepted(667, "c", "id-667", NOW, 0));
            for (int i = 0; i < 10; i++) {
                c.submitReceipt(receipt("a" + i), answers.forBody("a" + i));
            }
            answers.awaitAll(10);
            // Later batches do not carry the dropped outcome again.
            for (int i = 0; i < 10; i++) {
                c.submitReceipt(receipt("b" + i), answers.forBody("b" + i));
            }
            answers.awaitAll(20);
        }
        assertTrue(answers.byBody.values().stream().allMatch("stored"::equals), answers.byBody.toString());
        assertEquals(List.of(665L, 667L), writer.committedSubmits.stream().sorted().toList());
    }

    @Test
    void anOutageIsAnsweredRetryLaterAndRefusesNothing() throws Exception {
        FakeWriter writer = new FakeWriter();
        writer.outagesLeft = 1;
        Answers answers = new Answers();
        try (GroupCommitter c = committer(writer)) {
            for (int i = 0; i < 20; i++) {
                c.submitReceipt(receipt("o" + i), answers.forBody("o" + i));
            }
            answers.awaitAll(20);
        }
        assertTrue(answers.byBody.values().stream().allMatch("retry"::equals), answers.byBody.toString());
        assertFalse(writer.committed.stream().anyMatch(b -> !b.isEmpty()), "nothing stored during the outage");
    }

    @Test
    void anAnswerThatFailsAfterTheCommitDoesNotWriteTheBatchAgain() throws Exception {
        FakeWriter writer = new FakeWriter();
        Answers answers = new Answers();
        try (GroupCommitter c = committer(writer)) {
            c.submitReceipt(receipt("t1"), new ReceiptAck() {
                @Override
                public void stored() {
                    answers.byBody.merge("t1", "stored", (a, b) -> a + "+" + b);
                    throw new IllegalStateException("the channel's event loop is gone");
                }

                @Override
                public void retryLater() {
                    answers.byBody.merge("t1", "retry", (a, b) -> a + "+" + b);
                }

                @Override
                public void refused(String why) {
                    answers.byBody.merge("t1", "refused", (a, b) -> a + "+" + b);
                }
            });
            c.submitReceipt(receipt("t2"), answers.forBody("t2"));
            answers.awaitAll(2);
            Thread.sleep(300); // a second (wrong) write would happen now
        }
        assertEquals("stored", answers.byBody.get("t1"), "answered once");
        assertEquals("stored", answers.byBody.get("t2"), "answered once");
        assertEquals(1, writer.timesStored("t1"));
        assertEquals(1, writer.timesStored("t2"));
    }

    @Test
    void closingDuringAnOutageStillWritesTheSubmitOutcomesHeldForRetry() throws Exception {
        FakeWriter writer = new FakeWriter();
        writer.outagesLeft = 2;
        GroupCommitter c = committer(writer);
        c.submitOutcome(SubmitOutcome.accepted(41, "c", "id-41", NOW, 0));
        c.close(); // the outage outlasts the first attempts; the outcome must not be dropped on the way out
        assertEquals(List.of(41L), writer.committedSubmits);
    }
}
