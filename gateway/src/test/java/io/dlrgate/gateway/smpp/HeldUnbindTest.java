package io.dlrgate.gateway.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Who sends a held unbind_resp, and that it is sent exactly once. */
class HeldUnbindTest {

    @Test
    void sentAtOnceWhenNothingIsOutstanding() {
        HeldUnbind h = new HeldUnbind();
        AtomicInteger sent = new AtomicInteger();
        assertTrue(h.unbind(sent::incrementAndGet));
        assertEquals(1, sent.get());
        assertFalse(h.release(), "nothing left to release");
        assertEquals(1, sent.get());
    }

    @Test
    void sentByTheLastAnswer() {
        HeldUnbind h = new HeldUnbind();
        AtomicInteger sent = new AtomicInteger();
        h.receiptTaken();
        h.receiptTaken();
        assertFalse(h.unbind(sent::incrementAndGet));
        h.receiptAnswered();
        assertEquals(0, sent.get(), "one answer still to come");
        h.receiptAnswered();
        assertEquals(1, sent.get());
        assertFalse(h.release(), "the timer finds it already sent");
        assertEquals(1, sent.get());
    }

    @Test
    void sentByTheTimerWhenAnswersDoNotCome() {
        HeldUnbind h = new HeldUnbind();
        AtomicInteger sent = new AtomicInteger();
        h.receiptTaken();
        h.unbind(sent::incrementAndGet);
        assertTrue(h.release());
        assertEquals(1, sent.get());
        h.receiptAnswered(); // the late answer does not send it again
        assertEquals(1, sent.get());
    }

    @Test
    void anAnswerNotCountedAsTakenDoesNotMakeTheCountNegative() {
        HeldUnbind h = new HeldUnbind();
        h.receiptAnswered(); // e.g. a malformed deliver_sm answered before the session's handler saw it
        assertEquals(0, h.unanswered());
        AtomicInteger sent = new AtomicInteger();
        assertTrue(h.unbind(sent::incrementAndGet), "not kept waiting for an answer that is not coming");
    }

    @Test
    void exactlyOnceWhenTheLastAnswerRacesTheUnbind() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 2_000; round++) {
                HeldUnbind h = new HeldUnbind();
                AtomicInteger sent = new AtomicInteger();
                h.receiptTaken();
                CountDownLatch go = new CountDownLatch(1);
                var answer = pool.submit(() -> {
                    go.await();
                    h.receiptAnswered();
                    return null;
                });
                var unbind = pool.submit(() -> {
                    go.await();
                    h.unbind(sent::incrementAndGet);
                    return null;
                });
                go.countDown();
                answer.get(5, TimeUnit.SECONDS);
                unbind.get(5, TimeUnit.SECONDS);
                assertEquals(1, sent.get(), "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
