package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.carrier;
import static io.dlrgate.config.ConfigAssertions.fails;
import static io.dlrgate.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OutOfRangeTest {

    @Test
    void windowSizeZero() {
        ConfigException e = fails("carriers:\n" + carrier("alpha") + carrier("beta", "window_size: 0"));
        assertEquals("dlrgate.yaml: carriers[1].window_size: must be between 1 and 10000, got 0 (line 8)",
                e.getMessage());
        assertEquals("carriers[1].window_size", e.keyPath());
        assertEquals("must be between 1 and 10000, got 0", e.problem());
    }

    @Test
    void windowSizeBounds() {
        assertEquals(1, load("carriers:\n" + carrier("a", "window_size: 1")).carriers().get(0).windowSize());
        assertEquals(10000, load("carriers:\n" + carrier("a", "window_size: 10000")).carriers().get(0).windowSize());
        assertProblem(fails("carriers:\n" + carrier("a", "window_size: 10001")), "carriers[0].window_size",
                "must be between 1 and 10000, got 10001");
    }

    @Test
    void idReuseHorizonShorterThanTheLastReceiptAwaited() {
        assertProblem(fails("dispatch: {max_validity: 72h}\ncarriers:\n" + carrier("a", "id_reuse_horizon: 2d")),
                "carriers[0].id_reuse_horizon",
                "must be 0s (no horizon) or at least dispatch.max_validity + expiry.grace (3d5m), got 2d");
        // Equal to the validity alone is too short: receipts inside the expiry grace would be orphaned.
        assertProblem(fails("dispatch: {max_validity: 72h}\nexpiry: {grace: 1h}\ncarriers:\n"
                + carrier("a", "id_reuse_horizon: 3d")), "carriers[0].id_reuse_horizon",
                "must be 0s (no horizon) or at least dispatch.max_validity + expiry.grace (3d1h), got 3d");
        assertProblem(fails("carriers:\n" + carrier("a", "id_reuse_horizon: 3651d")), "carriers[0].id_reuse_horizon",
                "must be at most 3650d, got 3651d");
        assertProblem(fails("carriers:\n" + carrier("a", "id_reuse_horizon: -1d")), "carriers[0].id_reuse_horizon",
                "not a duration: \"-1d\"");
        java.time.Duration off = load("carriers:\n" + carrier("a", "id_reuse_horizon: 0s")).carriers().get(0)
                .idReuseHorizon();
        assertEquals(java.time.Duration.ZERO, off, "0s turns the horizon off");
        assertEquals(java.time.Duration.ofHours(73), load("dispatch: {max_validity: 72h}\nexpiry: {grace: 1h}\n"
                + "carriers:\n" + carrier("a", "id_reuse_horizon: 73h")).carriers().get(0).idReuseHorizon(),
                "the bound itself is fine");
    }

    @Test
    void idReuseHorizonDefaultsToAWeekOrADayBeyondTheLastReceiptAwaited() {
        assertEquals(java.time.Duration.ofDays(7), load("carriers:\n" + carrier("a")).carriers().get(0)
                .idReuseHorizon());
        assertEquals(java.time.Duration.ofDays(11).plusMinutes(5), load("dispatch: {max_validity: 10d}\ncarriers:\n"
                + carrier("a")).carriers().get(0).idReuseHorizon(), "10d validity + 5m grace + 1d");
        assertEquals(java.time.Duration.ofDays(7).plusHours(12), load("dispatch: {max_validity: 5d}\n"
                + "expiry: {grace: 36h}\ncarriers:\n" + carrier("a")).carriers().get(0).idReuseHorizon());
    }

    @Test
    void ports() {
        assertProblem(fails("smpp: {port: 65536}\n"), "smpp.port", "must be between 0 and 65535, got 65536");
        assertProblem(fails("http: {port: -1}\n"), "http.port", "must be between 0 and 65535, got -1");
        assertProblem(fails("database: {embedded_port: 99999999999999999999}\n"), "database.embedded_port",
                "must be between 0 and 65535, got 99999999999999999999");
        assertEquals(0, load("smpp: {port: 0}\n").smpp().port());
    }

    @Test
    void samePortForBothListeners() {
        assertProblem(fails("smpp: {port: 9000}\nhttp: {port: 9000}\n"), "http.port",
                "smpp.port and http.port are both 9000");
    }

    @Test
    void rates() {
        assertProblem(fails("carriers:\n" + carrier("a", "max_submit_rate: 0")), "carriers[0].max_submit_rate",
                "must be between 1 and 1000000, got 0");
        assertProblem(fails("carriers:\n" + carrier("a", "max_binds: 0")), "carriers[0].max_binds",
                "must be between 1 and 1000, got 0");
    }

    @Test
    void poolSize() {
        assertProblem(fails("database: {pool_size: 0}\n"), "database.pool_size", "must be between 1 and 200, got 0");
        assertProblem(fails("database: {pool_size: 201}\n"), "database.pool_size", "must be between 1 and 200, got 201");
    }

    @Test
    void dispatchAndReceipts() {
        assertProblem(fails("dispatch: {max_submit_attempts: 0}\n"), "dispatch.max_submit_attempts",
                "must be between 1 and 100, got 0");
        assertProblem(fails("dispatch: {batch_size: 0}\n"), "dispatch.batch_size", "must be between 1 and 100000");
        assertProblem(fails("receipts: {queue_capacity: 0}\n"), "receipts.queue_capacity", "must be between 1 and");
        assertProblem(fails("receipts: {batch_size: 1000, queue_capacity: 10}\n"), "receipts.queue_capacity",
                "must be at least receipts.batch_size (1000)");
    }

    @Test
    void durationsMustBePositive() {
        assertProblem(fails("dispatch: {submit_timeout: 0s}\n"), "dispatch.submit_timeout",
                "must be a positive duration, got 0s");
        assertProblem(fails("receipts: {max_queue_wait: PT-1S}\n"), "receipts.max_queue_wait",
                "must be a positive duration, got PT-1S");
    }

    @Test
    void validityWithinMaxValidity() {
        ConfigException e = fails("dispatch: {max_validity: 72h}\ncarriers:\n" + carrier("a", "default_validity: 4d"));
        assertProblem(e, "carriers[0].default_validity", "must not exceed dispatch.max_validity (3d), got 4d");
        assertEquals(java.time.Duration.ofDays(4), load("dispatch: {max_validity: 5d}\ncarriers:\n"
                + carrier("a", "default_validity: 4d")).carriers().get(0).defaultValidity());
    }

    @Test
    void throttleStatus() {
        assertProblem(fails("carriers:\n" + carrier("a", "throttle_status: 0")), "carriers[0].throttle_status",
                "must be between 1 and 2147483647, got 0");
        assertEquals(0x14, load("carriers:\n" + carrier("a", "throttle_status: 0x14")).carriers().get(0).throttleStatus());
        assertEquals(88, load("carriers:\n" + carrier("a", "throttle_status: 88")).carriers().get(0).throttleStatus());
        assertEquals(0x58, load("carriers:\n" + carrier("a", "throttle_status: \"0X58\"")).carriers().get(0)
                .throttleStatus());
    }
}
