package io.dlrgate.reporting.suppression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.dlrgate.config.BouncesConfig.SuppressionMode;
import io.dlrgate.config.Tab;
import org.junit.jupiter.api.Test;

/** When a number's bounce counts put it on the suppressed list, and the reason it is given; no database. */
class SuppressionThresholdTest {

    static final BounceEvent BOUNCE = BounceEvent.permanentBounce("+447700900001", "acme", "err 001");

    static SuppressionSettings.Values settings(boolean enabled, int threshold, SuppressionMode mode) {
        return new SuppressionSettings.Values(enabled, threshold, mode);
    }

    @Test
    void consecutiveModeSuppressesAtTheThresholdNotBefore() {
        SuppressionSettings.Values three = settings(true, 3, SuppressionMode.CONSECUTIVE);
        // many bounces in total, but a delivery reset the run: only the consecutive count matters
        assertNull(BounceCounter.suppressionReason(three, 2, 9, BOUNCE));
        assertEquals("3 consecutive permanent hard bounces, last err 001 on carrier acme",
                BounceCounter.suppressionReason(three, 3, 3, BOUNCE));
    }

    @Test
    void totalModeCountsEveryBounceWhateverCameBetween() {
        SuppressionSettings.Values three = settings(true, 3, SuppressionMode.TOTAL);
        assertNull(BounceCounter.suppressionReason(three, 1, 2, BOUNCE));
        assertEquals("3 permanent hard bounces, last err 001 on carrier acme",
                BounceCounter.suppressionReason(three, 1, 3, BOUNCE));
    }

    @Test
    void aThresholdOfOneSuppressesTheFirstBounceInTheSingular() {
        assertEquals("1 consecutive permanent hard bounce, last err 001 on carrier acme",
                BounceCounter.suppressionReason(settings(true, 1, SuppressionMode.CONSECUTIVE), 1, 1, BOUNCE));
    }

    @Test
    void settingOffNeverSuppressesAndTurningItOnSuppressesANumberAlreadyPastTheThreshold() {
        assertNull(BounceCounter.suppressionReason(settings(false, 3, SuppressionMode.CONSECUTIVE), 5, 5, BOUNCE));
        assertEquals("6 consecutive permanent hard bounces, last without an error code on carrier acme",
                BounceCounter.suppressionReason(settings(true, 3, SuppressionMode.CONSECUTIVE), 6, 6,
                        BounceEvent.permanentBounce("+447700900001", "acme", null)));
    }

    @Test
    void aReportRowCountsOnlyAPermanentHardBounceAndAnInvalidNumberOnlyWhenTheSettingsSay() {
        SuppressionSettings.Values off = new SuppressionSettings.Values(true, 3, SuppressionMode.CONSECUTIVE, false);
        SuppressionSettings.Values on = new SuppressionSettings.Values(true, 3, SuppressionMode.CONSECUTIVE, true);
        Tab hard = Tab.HARD_BOUNCES;
        assertEquals(true, off.countsTowardSuppression(hard, "permanent", "receipt"));
        assertEquals(true, off.countsTowardSuppression(hard, "permanent", "submit-rejected"));
        assertEquals(false, off.countsTowardSuppression(hard, "transient", "receipt"), "a transient UNDELIV");
        assertEquals(false, off.countsTowardSuppression(Tab.SOFT_BOUNCES, "transient", "gateway-expiry"));
        assertEquals(false, off.countsTowardSuppression(hard, "permanent", "invalid-number"));
        assertEquals(false, off.countsTowardSuppression(hard, "permanent", "no-route"));
        assertEquals(true, on.countsTowardSuppression(hard, "permanent", "invalid-number"));
        assertEquals(true, on.countsTowardSuppression(hard, "permanent", "no-route"));
        assertEquals(false, on.countsTowardSuppression(hard, "transient", "receipt"));
        assertNull(off.countsTowardSuppression(Tab.DELIVERED, null, null), "not failed: nothing to say");
        assertNull(off.countsTowardSuppression(Tab.PENDING, null, null));
    }
}
