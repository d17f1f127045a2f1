package io.dlrgate.simulator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dlrgate.gateway.testing.MutableClock;
import io.dlrgate.simulator.carrier.CarrierStats;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class VerifyProgressTest {
    @Test
    void printsOneLinePerIntervalWithTheStepAndTheCarriersCounters() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        StringWriter out = new StringWriter();
        AtomicLong submits = new AtomicLong();
        VerifyProgress p = new VerifyProgress(new PrintWriter(out), clock, VerifyProgress.LOG_EVERY,
                () -> new CarrierStats(submits.get(), 0, submits.get(), submits.get() / 2, submits.get() / 4, 0, 0, 0,
                        0, 0, 0, 0, 0));
        p.step("sending campaign Welcome");
        for (int second = 1; second <= 25; second++) { // verify ticks every 250 ms; one tick a second is enough here
            clock.advance(Duration.ofSeconds(1));
            submits.addAndGet(40);
            if (second == 12) {
                p.step("all sent, waiting for the gateway's report to match the carriers");
            }
            p.tick();
        }
        assertEquals("""
                progress: sending campaign Welcome; carriers got 400 messages, sent 200 receipts (300 not acknowledged yet)
                progress: all sent, waiting for the gateway's report to match the carriers; carriers got 800 messages, \
                sent 400 receipts (600 not acknowledged yet)
                """, out.toString());
    }
}
