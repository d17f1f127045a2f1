package io.dlrgate.reporting.write;

import io.dlrgate.config.Tab;

/**
 * One message reached a final tab for the first time in a committed batch: what the outcome metric counts. A
 * message is told once, when it leaves Pending; a later receipt that moves it between final tabs (a late DELIVRD
 * after the gateway's own expiry) is not a new finalization.
 *
 * @param carrierId the carrier the message was sent through
 * @param tab       the final tab it entered
 * @param cause     what decided it, in the reports' vocabulary ({@link io.dlrgate.reporting.report.FailureCause}):
 *                  {@code receipt}, {@code gateway-expiry}, {@code submit-rejected}, {@code submit-timeout},
 *                  {@code submit-failed}
 */
public record Finalization(String carrierId, Tab tab, String cause) {
}
