package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.fails;

import org.junit.jupiter.api.Test;

/** A submit_sm_resp wait longer than the SMPP layer keeps any request could not be kept: refused at its key. */
class SubmitTimeoutOverRequestExpiryTest {

    @Test
    void submitTimeoutLongerThanRequestExpiryIsRefused() {
        assertProblem(fails("smpp: {request_expiry: 5s}\ndispatch: {submit_timeout: 6s}\n"),
                "dispatch.submit_timeout", "must be at most smpp.request_expiry (5s), got 6s");
    }
}
