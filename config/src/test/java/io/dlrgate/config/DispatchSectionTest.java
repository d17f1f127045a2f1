package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.fails;
import static io.dlrgate.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code dispatch} section's two waits: the submit_sm_resp wait and the window-slot wait, each its own key. */
class DispatchSectionTest {

    @Test
    void submitTimeoutAndWindowWaitAreReadApart() {
        DispatchConfig d = load("dispatch: {submit_timeout: 2s, window_wait: 250ms}\n").dispatch();
        assertEquals(Duration.ofSeconds(2), d.submitTimeout());
        assertEquals(Duration.ofMillis(250), d.windowWait());
    }

    @Test
    void defaultsAreTenSecondsEach() {
        DispatchConfig d = load("").dispatch();
        assertEquals(Duration.ofSeconds(10), d.submitTimeout());
        assertEquals(Duration.ofSeconds(10), d.windowWait());
    }

    @Test
    void theDefaultSubmitTimeoutNeverOutlastsTheRequestExpiry() {
        // smpp.request_expiry ends every request; a default submit wait longer than it could never be kept
        assertEquals(Duration.ofSeconds(3), load("smpp: {request_expiry: 3s}\n").dispatch().submitTimeout());
    }

    @Test
    void throttleRetriesDefaultToTenAndAreBounded() {
        assertEquals(10, load("").dispatch().throttleRetries());
        assertEquals(0, load("dispatch: {throttle_retries: 0}\n").dispatch().throttleRetries());
        assertProblem(fails(
                "dispatch: {throttle_retries: 1001}\n"), "dispatch.throttle_retries", "must be between 0 and 1000");
    }
}
