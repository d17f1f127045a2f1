package io.dlrgate.gateway.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogRateLimitTest {

    private static final Duration WINDOW = Duration.ofSeconds(10);

    // Starts just short of Long.MAX_VALUE so the first window ends across the wrap, as System.nanoTime() may.
    private final AtomicLong now = new AtomicLong(Long.MAX_VALUE - WINDOW.toNanos() / 2);
    private final LogRateLimit limit = new LogRateLimit(3, WINDOW, now::get);

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void allowsNPerWindowThenReportsHowManyWereDropped() {
        assertEquals(0, limit.tryAcquire());
        assertEquals(0, limit.tryAcquire());
        assertEquals(0, limit.tryAcquire());
        assertEquals(-1, limit.tryAcquire(), "the 4th line in the window");
        advance(WINDOW.minusNanos(1));
        assertEquals(-1, limit.tryAcquire(), "still the same window");
        assertEquals(-1, limit.tryAcquire());

        advance(Duration.ofNanos(1));
        assertEquals(3, limit.tryAcquire(), "the first line of the next window reports the 3 dropped");
        assertEquals(0, limit.tryAcquire(), "and only once");
    }

    @Test
    void aNewWindowStartsWithTheFirstLineAfterTheLastOneRanOut() {
        limit.tryAcquire();
        advance(WINDOW.multipliedBy(5)); // a quiet spell: nothing dropped, nothing to report
        assertEquals(0, limit.tryAcquire());
        assertEquals(0, limit.tryAcquire());
        assertEquals(0, limit.tryAcquire());
        assertEquals(-1, limit.tryAcquire(), "the window began with the line after the quiet spell");
    }

    @Test
    void theSuffixSaysHowManyLinesWereNotLogged() {
        assertEquals("", LogRateLimit.droppedSuffix(0));
        assertEquals(" (1 similar line not logged since the last one)", LogRateLimit.droppedSuffix(1));
        assertEquals(" (1,234 similar lines not logged since the last one)", LogRateLimit.droppedSuffix(1_234));
    }

    @Test
    void concurrentCallersNeverGetMoreThanNPerWindow() throws Exception {
        int threads = 4;
        int calls = 10_000;
        LogRateLimit shared = new LogRateLimit(20, WINDOW, now::get);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> allowed = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                allowed.add(pool.submit(() -> {
                    go.await();
                    int n = 0;
                    for (int i = 0; i < calls; i++) {
                        if (shared.tryAcquire() >= 0) {
                            n++;
                        }
                    }
                    return n;
                }));
            }
            go.countDown();
            int total = 0;
            for (Future<Integer> f : allowed) {
                total += f.get(30, TimeUnit.SECONDS);
            }
            assertEquals(20, total);
            advance(WINDOW);
            assertEquals(threads * calls - 20, shared.tryAcquire(), "every dropped call was counted");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void warnLogsWithinTheLimitAndTheNextLineCarriesTheSuffix() {
        Logger logger = (Logger) LoggerFactory.getLogger(LogRateLimitTest.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            for (int i = 1; i <= 5; i++) {
                limit.warn(logger, "bad PDU {} from {}", i, "peer");
            }
            advance(WINDOW);
            limit.warn(logger, "bad PDU {} from {}", 6, "peer");
        } finally {
            logger.detachAppender(lines);
        }
        assertEquals(List.of("bad PDU 1 from peer", "bad PDU 2 from peer", "bad PDU 3 from peer",
                        "bad PDU 6 from peer (2 similar lines not logged since the last one)"),
                lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
        assertEquals(ch.qos.logback.classic.Level.WARN, lines.list.get(0).getLevel());
    }

    @Test
    void refusesALimitThatCouldNeverLogAnything() {
        assertThrows(IllegalArgumentException.class, () -> new LogRateLimit(0, WINDOW));
        assertThrows(IllegalArgumentException.class, () -> new LogRateLimit(1, Duration.ZERO));
    }
}
